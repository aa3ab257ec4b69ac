// The plugin's one registration file: registers the RHS, header button, post menu action, reducer and event handlers.
import React from 'react';
import {FormattedMessage} from 'react-intl';
import FireIcon from '@mattermost/compass-icons/components/fire';
import {ApiError, client} from './client';
import {messages} from './i18n';
import {pluginId} from './manifest';
import {incidentDelta, incidentsChanged, reducer, selectCurrentTeamId, selectPostChannelId} from './reducer';
import {RHS} from './components/rhs';
import type {HostStore, IncidentDelta, PluginRegistry} from './types';

declare global {
    interface Window {
        registerPlugin(id: string, plugin: Plugin): void;
    }
}

/** Opens the start-incident dialog seeded with a post; falls back to the plain slash command on servers without the endpoint. */
async function startIncidentFromPost(store: HostStore, postId: string): Promise<void> {
    const state = store.getState();
    const channelId = selectPostChannelId(state, postId);
    const teamId = selectCurrentTeamId(state);
    try {
        await client.startIncidentFromPost(postId, channelId, teamId);
    } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
            await client.executeCommand(channelId, teamId, '/incident start');
            return;
        }
        throw err;
    }
}

export class Plugin {
    initialize(registry: PluginRegistry, store: HostStore): void {
        registry.registerReducer(reducer);

        const {toggleRHSPlugin} = registry.registerRightHandSidebarComponent(RHS, <FormattedMessage {...messages.rhsTitle}/>);
        registry.registerChannelHeaderButtonAction(
            <FireIcon size={18}/>,
            () => store.dispatch(toggleRHSPlugin),
            <FormattedMessage {...messages.headerButton}/>,
            <FormattedMessage {...messages.headerTooltip}/>,
        );

        registry.registerPostDropdownMenuAction(
            <FormattedMessage {...messages.startFromPost}/>,
            (postId: string) => {
                startIncidentFromPost(store, postId).catch((err: unknown) => console.error(`[${pluginId}] start from post failed`, err));
            },
        );

        // Deltas say which incident moved to which version; views holding an older copy refetch that incident only.
        registry.registerWebSocketEventHandler(`custom_${pluginId}_incident_updated`, (msg) =>
            store.dispatch(incidentDelta(msg.data as unknown as IncidentDelta)));
        // After a reconnect events may have been missed: everything shown refetches once.
        registry.registerReconnectHandler(() => store.dispatch(incidentsChanged()));
    }
}

window.registerPlugin(pluginId, new Plugin());
