// The plugin's Redux slice (`state['plugins-<id>']`), its actions and selectors over the host state.
import type {AnyAction} from 'redux';
import {pluginId} from './manifest';
import type {HostState, IncidentDelta, PluginState} from './types';

export const INCIDENTS_CHANGED = `${pluginId}/INCIDENTS_CHANGED`;
export const INCIDENT_DELTA = `${pluginId}/INCIDENT_DELTA`;

/** Something changed that a delta cannot describe (a reconnect): lists and details refetch once. */
export const incidentsChanged = (): AnyAction => ({type: INCIDENTS_CHANGED});
/** A websocket delta, or an action's answer: the incident is now at least at `version`. */
export const incidentDelta = (delta: Pick<IncidentDelta, 'incident_id' | 'version'> & {change?: IncidentDelta['change']}): AnyAction =>
    ({type: INCIDENT_DELTA, delta});

const initialState: PluginState = {revision: 0, listRevision: 0, versions: {}};

export function reducer(state: PluginState = initialState, action: AnyAction): PluginState {
    if (action.type === INCIDENTS_CHANGED) {
        return {...state, revision: state.revision + 1};
    }
    if (action.type === INCIDENT_DELTA) {
        const delta = action.delta as IncidentDelta | undefined;
        if (!delta || typeof delta.incident_id !== 'string' || typeof delta.version !== 'number') {
            return state;
        }
        const known = state.versions[delta.incident_id] ?? 0;
        if (delta.version <= known) {
            return state;
        }
        return {
            ...state,
            listRevision: state.listRevision + 1,
            versions: {...state.versions, [delta.incident_id]: delta.version},
        };
    }
    return state;
}

const slice = (state: HostState): PluginState | undefined => state[`plugins-${pluginId}`] as PluginState | undefined;
export const selectRevision = (state: HostState): number => slice(state)?.revision ?? 0;
/** Moves on reconnects and on every delta: lists (counts, statuses) refetch when it moves. */
export const selectListRevision = (state: HostState): number => (slice(state)?.revision ?? 0) + (slice(state)?.listRevision ?? 0);
export const selectKnownVersion = (state: HostState, incidentId: string): number => slice(state)?.versions?.[incidentId] ?? 0;
export const selectCurrentChannelId = (state: HostState): string => state.entities?.channels?.currentChannelId ?? '';
export const selectCurrentTeamId = (state: HostState): string => state.entities?.teams?.currentTeamId ?? '';
export const selectCurrentUserId = (state: HostState): string => state.entities?.users?.currentUserId ?? '';
export const selectUsername = (state: HostState, userId: string): string | undefined => state.entities?.users?.profiles?.[userId]?.username;
export const selectPostChannelId = (state: HostState, postId: string): string =>
    state.entities?.posts?.posts?.[postId]?.channel_id ?? selectCurrentChannelId(state);
/** The URL name of a team (`/<team name>/…`); '' when the host does not know it. */
export const selectTeamName = (state: HostState, teamId: string): string => state.entities?.teams?.teams?.[teamId]?.name ?? '';
/** Whether the current user is in a channel, from the host's memberships (`entities.channels.myMembers`). */
export const selectIsChannelMember = (state: HostState, channelId: string): boolean =>
    Boolean(state.entities?.channels?.myMembers?.[channelId]);
