// The dev host page's fetch layer for /api/v4 and /dev/api (PAGE-API.md), reusing the plugin's CSRF-aware fetchJson.
import {fetchJson} from '../src/client';
import type {
    AutocompleteCommand, CommandResponse, DevApiState, DevChannel, DevPost, DevTeam, DialogSubmitResponse,
    PostActionResponse, PostList, User, WebappManifest,
} from './types';

const base = (): string => window.basename ?? '';
const v4 = (path: string): string => `${base()}/api/v4${path}`;
const enc = encodeURIComponent;

export const api = {
    getDevState: () => fetchJson<DevApiState>(`${base()}/dev/api/state`),
    switchUser: (userId: string) => fetchJson<User>(`${base()}/dev/api/switch-user`, 'POST', {user_id: userId}),
    getWebappPlugins: () => fetchJson<WebappManifest[]>(v4('/plugins/webapp')),
    getMyTeams: () => fetchJson<DevTeam[]>(v4('/users/me/teams')),
    getMyChannels: (teamId: string) => fetchJson<DevChannel[]>(v4(`/users/me/teams/${enc(teamId)}/channels`)),
    getPublicChannels: (teamId: string) => fetchJson<DevChannel[]>(v4(`/teams/${enc(teamId)}/channels`)),
    joinChannel: (channelId: string, userId: string) =>
        fetchJson<unknown>(v4(`/channels/${enc(channelId)}/members`), 'POST', {user_id: userId}),
    getPosts: (channelId: string) => fetchJson<PostList>(v4(`/channels/${enc(channelId)}/posts?page=0&per_page=60`)),
    createPost: (channelId: string, message: string) => fetchJson<DevPost>(v4('/posts'), 'POST', {channel_id: channelId, message}),
    executeCommand: (channelId: string, teamId: string, command: string) =>
        fetchJson<CommandResponse>(v4('/commands/execute'), 'POST', {channel_id: channelId, team_id: teamId, command}),
    getAutocomplete: (teamId: string) => fetchJson<AutocompleteCommand[]>(v4(`/teams/${enc(teamId)}/commands/autocomplete`)),
    doPostAction: (postId: string, actionId: string, selectedOption?: string) =>
        fetchJson<PostActionResponse>(
            v4(`/posts/${enc(postId)}/actions/${enc(actionId)}`), 'POST',
            selectedOption === undefined ? {} : {selected_option: selectedOption},
        ),
    submitDialog: (body: {
        url: string; callback_id: string; state: string; submission: Record<string, string | boolean | null>;
        cancelled: boolean; channel_id: string; team_id: string;
    }) => fetchJson<DialogSubmitResponse | undefined>(v4('/actions/dialogs/submit'), 'POST', body),
};
