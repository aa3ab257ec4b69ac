// The plugin's one registration file: registers the RHS, header button, the post menu actions (start an incident,
// add to an incident timeline, whose modal is a root component), the incident pages (one team route) with their main
// menu entry, the reducer and event handlers.
import React from 'react';
import {FormattedMessage} from 'react-intl';
import FireIcon from '@mattermost/compass-icons/components/fire';
import {ApiError, client} from './client';
import {messages} from './i18n';
import {pluginId} from './manifest';
import {incidentPagePath, navigate} from './location';
import {
    incidentDelta, incidentsChanged, openAddToTimeline, reducer, selectCurrentTeamId, selectPostChannelId, selectTeamName,
} from './reducer';
import {AddToTimeline} from './components/add_to_timeline';
import {IncidentPage} from './components/incident_page';
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

        // "Add to incident timeline": the modal lives in the Root slot and opens for the post through the plugin's slice.
        registry.registerRootComponent(AddToTimeline);
        registry.registerPostDropdownMenuAction(
            <FormattedMessage {...messages.addToTimeline}/>,
            (postId: string) => store.dispatch(openAddToTimeline({postId, channelId: selectPostChannelId(store.getState(), postId)})),
        );

        // The incident pages: `/<team>/<plugin id>/incidents[/<id> | /playbooks[/<id>]]` (the route is a prefix, so
        // the paths below it render it too).
        registry.registerNeedsTeamRoute('/incidents', IncidentPage);
        registry.registerMainMenuAction(
            <FormattedMessage {...messages.mainMenu}/>,
            () => {
                const state = store.getState();
                const team = selectTeamName(state, selectCurrentTeamId(state));
                if (team) {
                    navigate(incidentPagePath(team));
                }
            },
            <FireIcon size={16}/>,
        );

        // Deltas say which incident moved to which version; views holding an older copy refetch that incident only.
        registry.registerWebSocketEventHandler(`custom_${pluginId}_incident_updated`, (msg) =>
            store.dispatch(incidentDelta(msg.data as unknown as IncidentDelta)));
        // After a reconnect events may have been missed: everything shown refetches once.
        registry.registerReconnectHandler(() => store.dispatch(incidentsChanged()));
    }
}

window.registerPlugin(pluginId, new Plugin());
