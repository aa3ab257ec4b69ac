// Hooks shared by the RHS incident view and the incident page: loading one incident (again after a reconnect, a retry,
// or a websocket delta newer than the copy shown), a clock for durations, and user names from the host's profiles.
import {useCallback, useEffect, useRef, useState} from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {ApiError, client} from '../client';
import {messages} from '../i18n';
import {selectKnownVersion, selectRevision, selectUsers} from '../reducer';
import type {HostState, IncidentDetail} from '../types';
import {errorText} from './format';

/** Why an incident is not shown: the text, and the HTTP status when the server answered (404: missing or private). */
export type LoadError = {message: string; status?: number};

export function useIncident(incidentId: string) {
    const revision = useSelector(selectRevision);
    const known = useSelector((state: HostState) => selectKnownVersion(state, incidentId));
    const [detail, setDetail] = useState<IncidentDetail>();
    const [error, setError] = useState<LoadError>();
    const [attempt, setAttempt] = useState(0);

    const stale = detail === undefined || known > detail.version;
    const loadedFor = useRef('');
    useEffect(() => {
        // Fetch on first show, on a reconnect or retry, and when a delta says someone else changed it.
        const key = `${incidentId}:${revision}:${attempt}`;
        if (!stale && loadedFor.current === key) {
            return undefined;
        }
        loadedFor.current = key;
        let cancelled = false;
        client.getIncident(incidentId).then(
            (d) => {
                if (cancelled) {
                    return;
                }
                if (d && typeof d.id === 'string' && Array.isArray(d.checklists)) {
                    setDetail(d);
                    setError(undefined);
                } else {
                    setError({message: 'unexpected answer from the server'});
                }
            },
            (err: unknown) => {
                if (!cancelled) {
                    setError({message: errorText(err), status: err instanceof ApiError ? err.status : undefined});
                    if (err instanceof ApiError && err.status === 404) {
                        // Gone, or no longer readable (access revoked): nothing of it may stay on screen.
                        setDetail(undefined);
                    }
                }
            },
        );
        return () => {
            cancelled = true;
        };
    }, [incidentId, revision, attempt, stale, known]);

    const reload = useCallback(() => setAttempt((n) => n + 1), []);
    return {detail, setDetail, error, setError, reload};
}

/** `Date.now()`, refreshed every 30 seconds. */
export function useNow(): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        const timer = setInterval(() => setNow(Date.now()), 30000);
        return () => clearInterval(timer);
    }, []);
    return now;
}

/** `@name` material: a user's username from the host's profiles, or "someone". */
export function useUserName(): (userId: string | null) => string {
    const intl = useIntl();
    const profiles = useSelector(selectUsers);
    return useCallback(
        (userId: string | null) => (userId && profiles[userId]?.username) || intl.formatMessage(messages.someone),
        [profiles, intl],
    );
}
