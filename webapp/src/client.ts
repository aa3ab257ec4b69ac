// The plugin's one fetch layer: plugin API under /plugins/<id>/api/v0 and the few /api/v4 calls, with CSRF headers.
import {pluginId} from './manifest';
import type {IncidentList} from './types';

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
        const err = (parsed ?? {}) as {message?: unknown; id?: unknown; error?: unknown};
        const message = typeof err.message === 'string' ? err.message :
            typeof err.error === 'string' ? err.error : `HTTP ${response.status}`;
        throw new ApiError(response.status, message, typeof err.id === 'string' ? err.id : undefined, parsed);
    }
    return parsed as T;
}

const basename = (): string => window.basename ?? '';
export const pluginApiUrl = (path: string): string => `${basename()}/plugins/${pluginId}/api/v0${path}`;

export const client = {
    getHealth: (): Promise<unknown> => fetchJson(pluginApiUrl('/health')),
    listIncidents: (channelId: string): Promise<IncidentList> =>
        fetchJson(pluginApiUrl(`/incidents?channel_id=${encodeURIComponent(channelId)}`)),
    executeCommand: (channelId: string, teamId: string, command: string): Promise<unknown> =>
        fetchJson(`${basename()}/api/v4/commands/execute`, 'POST', {channel_id: channelId, team_id: teamId, command}),
    startIncidentFromPost: (postId: string, channelId: string, teamId: string): Promise<unknown> =>
        fetchJson(pluginApiUrl('/incidents/dialog'), 'POST', {post_id: postId, channel_id: channelId, team_id: teamId}),
};
