// Thunks that load page data from the dev host server, and the WebSocket event router (built-in events, then plugin handlers).
import type {WebSocketMessage} from '../src/types';
import {api} from './api';
import {actions, EPHEMERAL_TYPE, type DevDispatch, type DevState} from './store';
import type {PluginEvents} from './registry';
import type {DevPost, OpenDialog, PluginStatus} from './types';

type GetState = () => DevState;

export const loadDevState = () => async (dispatch: DevDispatch) => {
    dispatch(actions.receivedDevState(await api.getDevState()));
};

export const loadChannels = () => async (dispatch: DevDispatch, getState: GetState) => {
    const teamId = getState().entities.teams.currentTeamId;
    if (!teamId) {
        return;
    }
    const [mine, pub] = await Promise.all([api.getMyChannels(teamId), api.getPublicChannels(teamId)]);
    dispatch(actions.receivedChannels(mine, pub));
};

export const loadTeams = () => async (dispatch: DevDispatch) => {
    dispatch(actions.receivedTeams(await api.getMyTeams()));
    await dispatch(loadChannels());
};

export const loadPosts = (channelId: string) => async (dispatch: DevDispatch) => {
    if (!channelId) {
        return;
    }
    const list = await api.getPosts(channelId);
    dispatch(actions.receivedPosts(channelId, list.order.map((id) => list.posts[id]).filter(Boolean)));
};

let localSeq = 0;

/** Adds a page-local ephemeral post (e.g. an action's `ephemeral_text`). */
export const addEphemeral = (channelId: string, message: string) => (dispatch: DevDispatch, getState: GetState) => {
    const now = Date.now();
    dispatch(actions.receivedPost({
        id: `ephemeral-${now}-${++localSeq}`, create_at: now, update_at: now, user_id: getState().entities.users.currentUserId,
        channel_id: channelId, root_id: '', message, type: EPHEMERAL_TYPE,
    }));
};

const parseJson = <T>(value: unknown): T | undefined => {
    if (typeof value !== 'string') {
        return value as T | undefined;
    }
    try {
        return JSON.parse(value) as T;
    } catch {
        return undefined;
    }
};

type RouterDeps = {dispatch: DevDispatch; getState: GetState; events: PluginEvents; reloadPlugins: () => void};

/** Applies a server event to the store, then hands it to every plugin's handler for that exact event name. */
export function routeSocketMessage(msg: WebSocketMessage, {dispatch, getState, events, reloadPlugins}: RouterDeps): void {
    const data = msg.data ?? {};
    const report = (err: unknown) => console.error(`[devhost] handling ${msg.event} failed`, err);
    switch (msg.event) {
    case 'posted':
    case 'post_edited': {
        const post = parseJson<DevPost>(data.post);
        if (post) {
            dispatch(actions.receivedPost(post));
        }
        break;
    }
    case 'ephemeral_message': {
        const post = parseJson<DevPost>(data.post);
        if (post) {
            const now = Date.now();
            dispatch(actions.receivedPost({
                ...post, id: post.id || `ephemeral-${now}-${++localSeq}`, create_at: post.create_at || now, type: EPHEMERAL_TYPE,
            }));
        }
        break;
    }
    case 'open_dialog': {
        const opened = parseJson<Omit<OpenDialog, 'channel_id' | 'team_id'>>(data.dialog);
        if (opened?.dialog) {
            const {currentChannelId} = getState().entities.channels;
            const {currentTeamId} = getState().entities.teams;
            dispatch(actions.openDialog({...opened, channel_id: currentChannelId, team_id: currentTeamId}));
        }
        break;
    }
    case 'channel_created':
    case 'user_added':
    case 'user_removed':
        dispatch(loadChannels()).catch(report);
        break;
    case 'plugin_statuses_changed': {
        const status = parseJson<PluginStatus>(data.state);
        if (status) {
            dispatch(actions.pluginStatus(status));
        }
        reloadPlugins();
        break;
    }
    default:
        break;
    }
    events.dispatch(msg);
}

/** After a WebSocket reconnect: refetch page data once, reload plugin bundles, then run the plugins' reconnect handlers. */
export async function resync(dispatch: DevDispatch, getState: GetState, events: PluginEvents, reloadPlugins: () => Promise<void>) {
    await Promise.all([
        dispatch(loadDevState()),
        dispatch(loadChannels()),
        dispatch(loadPosts(getState().entities.channels.currentChannelId)),
        reloadPlugins(),
    ]).catch((err: unknown) => console.error('[devhost] resync failed', err));
    events.runReconnectHandlers();
}
