// Loading what the incident pages need about a team: its users (commander filter, people pickers), its public
// channels (channel pickers) and the effective settings (may this user manage playbooks, are private incidents on).
import {useCallback, useEffect, useState} from 'react';
import {client} from '../client';
import type {ChannelSummary, PluginSettings, UserSummary} from '../types';
import {errorText} from './format';

export type Loaded<T> = {data?: T; error?: string; reload(): void};

/**
 * Loads `load()` once per `key` (and per reload); '' loads nothing. `data` is undefined until the answer for `key`,
 * unless `keepStale`: then the previous answer stays shown while the next one loads (counts refreshed by deltas).
 */
export function useLoad<T>(key: string, load: () => Promise<T>, keepStale = false): Loaded<T> {
    const [attempt, setAttempt] = useState(0);
    const [result, setResult] = useState<{key: string; data?: T; error?: string}>();
    const tag = `${key}#${attempt}`;
    useEffect(() => {
        if (!key) {
            return undefined;
        }
        let cancelled = false;
        load().then(
            (data) => !cancelled && setResult({key: tag, data}),
            (err: unknown) => !cancelled && setResult({key: tag, error: errorText(err)}),
        );
        return () => {
            cancelled = true;
        };
    // `load` is derived from `key`, which is in `tag`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [tag]);
    const reload = useCallback(() => setAttempt((n) => n + 1), []);
    const current = result?.key === tag || (keepStale && result?.data !== undefined) ? result : undefined;
    return {data: current?.data, error: current?.error, reload};
}

const byName = <T>(name: (t: T) => string) => (a: T, b: T) => name(a).localeCompare(name(b));

/** The team's active users, by username. */
export function useTeamUsers(teamId: string): Loaded<UserSummary[]> {
    return useLoad(teamId, () => client.teamMembers(teamId).then(
        (users) => (Array.isArray(users) ? [...users].sort(byName((u) => u.username)) : []),
    ));
}

/** The team's public channels, by display name. */
export function useTeamChannels(teamId: string): Loaded<ChannelSummary[]> {
    return useLoad(teamId, () => client.teamChannels(teamId).then(
        (channels) => (Array.isArray(channels) ? [...channels].sort(byName((c) => c.display_name || c.name)) : []),
    ));
}

/** What the System Console settings allow this user in this team. */
export function useSettings(teamId: string): Loaded<PluginSettings> {
    return useLoad(teamId, () => client.getSettings(teamId));
}
