// The plugin's Redux slice (`state['plugins-<id>']`), its actions, and the selectors over the host state, which use
// mattermost-redux's own selectors (guarded, since a host may leave parts of `entities` out).
import type {AnyAction} from 'redux';
import type {GlobalState} from '@mattermost/types/store';
import type {UserProfile} from '@mattermost/types/users';
import {getCurrentChannelId, getCurrentUserId, getMyChannelMemberships, getUsers} from 'mattermost-redux/selectors/entities/common';
import {getCurrentTeamId, getTeam} from 'mattermost-redux/selectors/entities/teams';
import {getPost} from 'mattermost-redux/selectors/entities/posts';
import {pluginId} from './manifest';
import type {HostState, IncidentDelta, PluginState, TimelineTarget} from './types';

export const INCIDENTS_CHANGED = `${pluginId}/INCIDENTS_CHANGED`;
export const INCIDENT_DELTA = `${pluginId}/INCIDENT_DELTA`;
export const OPEN_ADD_TO_TIMELINE = `${pluginId}/OPEN_ADD_TO_TIMELINE`;
export const CLOSE_ADD_TO_TIMELINE = `${pluginId}/CLOSE_ADD_TO_TIMELINE`;

/** Something changed that a delta cannot describe (a reconnect): lists and details refetch once. */
export const incidentsChanged = (): AnyAction => ({type: INCIDENTS_CHANGED});
/** A websocket delta, or an action's answer: the incident is now at least at `version`. */
export const incidentDelta = (delta: Pick<IncidentDelta, 'incident_id' | 'version'> & {change?: IncidentDelta['change']}): AnyAction =>
    ({type: INCIDENT_DELTA, delta});
/** The post menu's "Add to incident timeline": opens the modal (a root component) for that post. */
export const openAddToTimeline = (target: TimelineTarget): AnyAction => ({type: OPEN_ADD_TO_TIMELINE, target});
export const closeAddToTimeline = (): AnyAction => ({type: CLOSE_ADD_TO_TIMELINE});

const initialState: PluginState = {revision: 0, listRevision: 0, versions: {}, timelineTarget: null};

export function reducer(state: PluginState = initialState, action: AnyAction): PluginState {
    switch (action.type) {
    case INCIDENTS_CHANGED:
        return {...state, revision: state.revision + 1};
    case INCIDENT_DELTA: {
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
    case OPEN_ADD_TO_TIMELINE: {
        const target = action.target as TimelineTarget | undefined;
        return target && typeof target.postId === 'string' ? {...state, timelineTarget: target} : state;
    }
    case CLOSE_ADD_TO_TIMELINE:
        return state.timelineTarget ? {...state, timelineTarget: null} : state;
    default:
        return state;
    }
}

const slice = (state: HostState): PluginState | undefined => state[`plugins-${pluginId}`] as PluginState | undefined;
export const selectRevision = (state: HostState): number => slice(state)?.revision ?? 0;
/** Moves on reconnects and on every delta: lists (counts, statuses) refetch when it moves. */
export const selectListRevision = (state: HostState): number => (slice(state)?.revision ?? 0) + (slice(state)?.listRevision ?? 0);
export const selectKnownVersion = (state: HostState, incidentId: string): number => slice(state)?.versions?.[incidentId] ?? 0;
/** The post the "Add to incident timeline" modal is open for, if any. */
export const selectTimelineTarget = (state: HostState): TimelineTarget | null => slice(state)?.timelineTarget ?? null;

// Host state through mattermost-redux. The plugin is built against the same `GlobalState` shape; `HostState` only
// says which parts it reads, so each selector checks that its part is there before handing the state over.
const host = (state: HostState): GlobalState => state as unknown as GlobalState;
const NO_USERS: Record<string, Pick<UserProfile, 'id' | 'username'>> = {};

export const selectCurrentChannelId = (state: HostState): string =>
    (state.entities?.channels ? getCurrentChannelId(host(state)) : undefined) ?? '';
export const selectCurrentTeamId = (state: HostState): string =>
    (state.entities?.teams ? getCurrentTeamId(host(state)) : undefined) ?? '';
export const selectCurrentUserId = (state: HostState): string =>
    (state.entities?.users ? getCurrentUserId(host(state)) : undefined) ?? '';
/** The host's known user profiles, by id. */
export const selectUsers = (state: HostState): Record<string, Pick<UserProfile, 'id' | 'username'>> =>
    (state.entities?.users?.profiles ? getUsers(host(state)) : undefined) ?? NO_USERS;
export const selectUsername = (state: HostState, userId: string): string | undefined => selectUsers(state)[userId]?.username;
/** The channel of a post the host has loaded; the current channel otherwise. */
export const selectPostChannelId = (state: HostState, postId: string): string =>
    (state.entities?.posts?.posts ? getPost(host(state), postId)?.channel_id : undefined) || selectCurrentChannelId(state);
/** The URL name of a team (`/<team name>/…`); '' when the host does not know it. */
export const selectTeamName = (state: HostState, teamId: string): string =>
    (state.entities?.teams?.teams ? getTeam(host(state), teamId)?.name : undefined) ?? '';
/** Whether the current user is in a channel, from the host's memberships (`entities.channels.myMembers`). */
export const selectIsChannelMember = (state: HostState, channelId: string): boolean =>
    Boolean(state.entities?.channels?.myMembers && getMyChannelMemberships(host(state))?.[channelId]);
