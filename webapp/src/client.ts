// The plugin's one fetch layer: plugin API under /plugins/<id>/api/v0 and the few /api/v4 calls, with CSRF headers.
import {pluginId} from './manifest';
import type {
    AccessList, AccessRequestResult, ActionResult, ChannelSummary, IncidentDetail, IncidentList, IncidentQuery, MessageResult, Playbook,
    PlaybookExport, PlaybookImported, PlaybookInput, PlaybookList, PluginSettings, Stats, TimelineItem, UserSummary,
} from './types';

/** `GET /incidents/{id}/review`. */
export type Review = {duration_ms: number; member_ids: string[]; messages: number};

declare global {
    interface Window {
        basename?: string;
    }
}

/** An HTTP answer outside 2xx, with Mattermost's `{id, message}` error body when the server sent one. */
export class ApiError extends Error {
    readonly status: number;
    readonly serverId?: string;
    readonly body?: unknown;

    constructor(status: number, message: string, serverId?: string, body?: unknown) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.serverId = serverId;
        this.body = body;
    }
}

/** Reads the `MMCSRF` cookie the way Mattermost's Client4 does. */
export function csrfToken(cookie: string = document.cookie): string | undefined {
    for (const part of cookie.split(';')) {
        const [name, ...rest] = part.trim().split('=');
        if (name === 'MMCSRF') {
            return decodeURIComponent(rest.join('='));
        }
    }
    return undefined;
}

/** Headers for a request: always X-Requested-With; X-CSRF-Token for every non-GET when the cookie is set. */
export function requestHeaders(method: string, hasBody: boolean, cookie?: string): Record<string, string> {
    const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest'};
    if (hasBody) {
        headers['Content-Type'] = 'application/json';
    }
    const upper = method.toUpperCase();
    if (upper !== 'GET' && upper !== 'HEAD') {
        const token = csrfToken(cookie);
        if (token) {
            headers['X-CSRF-Token'] = token;
        }
    }
    return headers;
}

/** Sends one JSON request with the host's cookies and returns the parsed body (undefined when empty). */
export async function fetchJson<T>(url: string, method = 'GET', body?: unknown): Promise<T> {
    const response = await fetch(url, {
        method,
        credentials: 'include',
        headers: requestHeaders(method, body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
        parsed = text ? JSON.parse(text) : undefined;
    } catch {
        parsed = undefined;
    }
    if (!response.ok) {
        // The plugin answers `{error, detail}`; the Mattermost server itself answers `{id, message}`.
        const err = (parsed ?? {}) as {detail?: unknown; message?: unknown; id?: unknown; error?: unknown};
        const text = [err.detail, err.message, err.error].find((v): v is string => typeof v === 'string');
        const message = text ?? `HTTP ${response.status}`;
        const code = [err.id, err.error].find((v): v is string => typeof v === 'string');
        throw new ApiError(response.status, message, code, parsed);
    }
    return parsed as T;
}

const basename = (): string => window.basename ?? '';
export const pluginApiUrl = (path: string): string => `${basename()}/plugins/${pluginId}/api/v0${path}`;

const incidentUrl = (id: string, path = ''): string => pluginApiUrl(`/incidents/${encodeURIComponent(id)}${path}`);
const playbookUrl = (id: string, path = ''): string => pluginApiUrl(`/playbooks/${encodeURIComponent(id)}${path}`);
const query = (params: Record<string, string>): string =>
    Object.entries(params).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

export const client = {
    getHealth: (): Promise<unknown> => fetchJson(pluginApiUrl('/health')),
    listIncidents: (channelId: string): Promise<IncidentList> =>
        fetchJson(pluginApiUrl(`/incidents?channel_id=${encodeURIComponent(channelId)}`)),
    /** The active incidents of a team that `memberId` takes part in; private ones only with `includePrivate`. */
    listMyIncidents: (teamId: string, memberId: string, includePrivate = false): Promise<IncidentList> =>
        fetchJson(pluginApiUrl(`/incidents?${query({team_id: teamId, member_id: memberId, status: 'active', include_private: String(includePrivate)})}`)),
    /** The team's incidents (all statuses, newest first); private ones the user may see only with `includePrivate`. */
    listTeamIncidents: (teamId: string, includePrivate: boolean): Promise<IncidentList> =>
        fetchJson(pluginApiUrl(`/incidents?${query({team_id: teamId, include_private: String(includePrivate)})}`)),
    /** The team's incident list page: search, filters, sort and paging on the server. */
    searchIncidents: (q: IncidentQuery): Promise<IncidentList> => fetchJson(pluginApiUrl(`/incidents?${query({
        team_id: q.teamId, q: q.q.trim(), status: q.status === 'all' ? '' : q.status, commander_id: q.commanderId, sort: q.sort,
        page: String(q.page), per_page: String(q.perPage), include_private: String(q.includePrivate),
    })}`)),
    getIncident: (id: string): Promise<IncidentDetail> => fetchJson(incidentUrl(id)),
    /** Active/ended counts and mean time to resolve, overall and per playbook (only incidents the caller may see). */
    getStats: (teamId: string): Promise<Stats> => fetchJson(pluginApiUrl(`/stats?${query({team_id: teamId})}`)),
    /** Adds a post to an incident's timeline (`post_added`); 200 `{message}` (with the saved incident, when the server sends it). */
    addToTimeline: (id: string, postId: string): Promise<MessageResult & Partial<ActionResult>> => fetchJson(incidentUrl(id, '/timeline'), 'POST', {post_id: postId}),
    listPlaybooks: (teamId: string, archived: boolean, page = 0, perPage = 50): Promise<PlaybookList> =>
        fetchJson(pluginApiUrl(`/playbooks?${query({team_id: teamId, archived: String(archived), page: String(page), per_page: String(perPage)})}`)),
    getPlaybook: (id: string): Promise<Playbook> => fetchJson(playbookUrl(id)),
    createPlaybook: (teamId: string, input: PlaybookInput): Promise<Playbook> =>
        fetchJson(pluginApiUrl(`/playbooks?${query({team_id: teamId})}`), 'POST', input),
    updatePlaybook: (id: string, input: PlaybookInput): Promise<Playbook> => fetchJson(playbookUrl(id), 'PUT', input),
    archivePlaybook: (id: string): Promise<Playbook> => fetchJson(playbookUrl(id, '/archive'), 'POST', {}),
    duplicatePlaybook: (id: string): Promise<Playbook> => fetchJson(playbookUrl(id, '/duplicate'), 'POST', {}),
    /** Where the browser downloads a playbook file (a GET with the session cookie). */
    playbookExportUrl: (id: string): string => playbookUrl(id, '/export'),
    importPlaybook: (teamId: string, file: PlaybookExport): Promise<PlaybookImported> =>
        fetchJson(pluginApiUrl(`/playbooks/import?${query({team_id: teamId})}`), 'POST', file),
    getSettings: (teamId: string): Promise<PluginSettings> => fetchJson(pluginApiUrl(`/settings?${query({team_id: teamId})}`)),
    /** Who has access to a (private) incident: members, invited and revoked people. */
    getAccess: (id: string): Promise<AccessList> => fetchJson(incidentUrl(id, '/access')),
    /** Grants access (adds to the channel); `minutes` makes it time-boxed. */
    grantAccess: (id: string, username: string, minutes?: number): Promise<MessageResult> =>
        fetchJson(incidentUrl(id, '/access/grant'), 'POST', minutes === undefined ? {username} : {username, expires_in_minutes: minutes}),
    revokeAccess: (id: string, username: string): Promise<MessageResult> =>
        fetchJson(incidentUrl(id, '/access/revoke'), 'POST', {username}),
    /** Going public needs `confirmed`; without it the server answers 409 with the text to confirm. */
    setVisibility: (id: string, visibility: 'public' | 'private', confirmed: boolean): Promise<MessageResult> =>
        fetchJson(incidentUrl(id, '/visibility'), 'POST', {visibility, confirmed}),
    /** Asks a private incident's members for access: 202 for any id, 429 within 15 minutes. */
    requestAccess: (id: string): Promise<AccessRequestResult> => fetchJson(incidentUrl(id, '/request-access'), 'POST', {}),
    /** Joins the incident channel (anyone who may read the incident). */
    joinIncident: (id: string): Promise<MessageResult> => fetchJson(incidentUrl(id, '/join'), 'POST', {}),
    getTimeline: (id: string): Promise<TimelineItem[]> => fetchJson(incidentUrl(id, '/timeline')),
    /** Review numbers: duration, people involved, channel messages. */
    getReview: (id: string): Promise<Review> => fetchJson(incidentUrl(id, '/review')),
    /** Where the browser downloads the export (a GET with the session cookie). */
    exportUrl: (id: string, format: 'markdown' | 'json'): string => incidentUrl(id, `/export?format=${format}`),
    /** Checks (`done`) or unchecks a task; indexes are zero-based. */
    setTask: (id: string, checklist: number, item: number, done: boolean): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, '/tasks/toggle'), 'POST', {checklist, item, done}),
    /** Gives a task to a channel member, or clears its assignee with `null`. */
    assignTask: (id: string, checklist: number, item: number, userId: string | null): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, '/tasks/assign'), 'POST', {checklist, item, user_id: userId}),
    addTask: (id: string, checklist: number, title: string): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, '/tasks'), 'POST', {checklist, title}),
    removeTask: (id: string, checklist: number, item: number): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, `/tasks/${checklist}/${item}`), 'DELETE'),
    setCommander: (id: string, userId: string): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, '/commander'), 'POST', {user_id: userId}),
    endIncident: (id: string, confirm: boolean): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, '/end'), 'POST', {confirm}),
    restartIncident: (id: string): Promise<ActionResult> => fetchJson(incidentUrl(id, '/restart'), 'POST', {}),
    postStatusUpdate: (id: string, message: string): Promise<ActionResult> =>
        fetchJson(incidentUrl(id, '/status'), 'POST', {message}),
    /** Members of a channel, for the commander picker (`/api/v4/users?in_channel=`). */
    channelMembers: (channelId: string): Promise<UserSummary[]> =>
        fetchJson(`${basename()}/api/v4/users?${query({in_channel: channelId, per_page: '200'})}`),
    /** The team's users, for the commander filter and the playbook editor's people pickers. */
    teamMembers: (teamId: string): Promise<UserSummary[]> =>
        fetchJson(`${basename()}/api/v4/users?${query({in_team: teamId, active: 'true', per_page: '200'})}`),
    /** The team's public channels, for the playbook editor's channel pickers. */
    teamChannels: (teamId: string): Promise<ChannelSummary[]> =>
        fetchJson(`${basename()}/api/v4/teams/${encodeURIComponent(teamId)}/channels?${query({per_page: '200'})}`),
    executeCommand: (channelId: string, teamId: string, command: string): Promise<unknown> =>
        fetchJson(`${basename()}/api/v4/commands/execute`, 'POST', {channel_id: channelId, team_id: teamId, command}),
    startIncidentFromPost: (postId: string, channelId: string, teamId: string): Promise<unknown> =>
        fetchJson(pluginApiUrl('/incidents/dialog'), 'POST', {post_id: postId, channel_id: channelId, team_id: teamId}),
};
