// Loading a list of incidents (a channel's, a team's, "yours"): loading, empty (a 404 or no items), list or error,
// again when the source, a retry or the list revision moves.
import {useCallback, useEffect, useState} from 'react';
import {ApiError} from '../client';
import type {IncidentList} from '../types';

export type View = {kind: 'empty'} | {kind: 'error'; message: string} | {kind: 'list'; list: IncidentList};

/** Loads incidents; `view` is undefined while the first answer for (source, attempt) is pending. */
export function useIncidents(source: string, load: () => Promise<IncidentList>, revision: number) {
    const [attempt, setAttempt] = useState(0);
    const key = `${source}:${attempt}`;
    const [result, setResult] = useState<{key: string; view: View}>();

    useEffect(() => {
        if (!source) {
            return undefined;
        }
        let cancelled = false;
        load().then(
            (list) => {
                if (!cancelled) {
                    const items = Array.isArray(list?.items) ? list.items : [];
                    setResult({key, view: items.length ? {kind: 'list', list: {items, total: list.total ?? items.length}} : {kind: 'empty'}});
                }
            },
            (err: unknown) => {
                if (cancelled) {
                    return;
                }
                if (err instanceof ApiError && err.status === 404) {
                    setResult({key, view: {kind: 'empty'}});
                } else {
                    setResult({key, view: {kind: 'error', message: err instanceof Error ? err.message : String(err)}});
                }
            },
        );
        return () => {
            cancelled = true;
        };
    // `load` is derived from `source`, which is in `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [source, key, revision]);

    const retry = useCallback(() => setAttempt((n) => n + 1), []);
    return {view: result?.key === key ? result.view : undefined, retry};
}
