// The plugin's Redux slice (`state['plugins-<id>']`), its actions and selectors over the host state.
import type {AnyAction} from 'redux';
import {pluginId} from './manifest';
import type {HostState, PluginState} from './types';

export const INCIDENTS_CHANGED = `${pluginId}/INCIDENTS_CHANGED`;

export const incidentsChanged = (): AnyAction => ({type: INCIDENTS_CHANGED});

const initialState: PluginState = {revision: 0};

export function reducer(state: PluginState = initialState, action: AnyAction): PluginState {
    if (action.type === INCIDENTS_CHANGED) {
        return {revision: state.revision + 1};
    }
    return state;
}

export const selectRevision = (state: HostState): number =>
    (state[`plugins-${pluginId}`] as PluginState | undefined)?.revision ?? 0;
export const selectCurrentChannelId = (state: HostState): string => state.entities?.channels?.currentChannelId ?? '';
export const selectCurrentTeamId = (state: HostState): string => state.entities?.teams?.currentTeamId ?? '';
export const selectPostChannelId = (state: HostState, postId: string): string =>
    state.entities?.posts?.posts?.[postId]?.channel_id ?? selectCurrentChannelId(state);
