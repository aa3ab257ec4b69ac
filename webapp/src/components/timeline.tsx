// The incident timeline, loaded on demand, with a filter by event type.
import React, {useEffect, useState} from 'react';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import type {TimelineItem} from '../types';
import {errorText} from './format';
import {styles} from './styles';

/** `task_checked` → `Task checked`. */
const kindLabel = (kind: string): string => {
    const words = kind.replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
};

export function Timeline({incidentId, version, name}: {incidentId: string; version: number; name(userId: string | null): string}) {
    const intl = useIntl();
    const [events, setEvents] = useState<TimelineItem[]>();
    const [error, setError] = useState('');
    const [filter, setFilter] = useState('');

    useEffect(() => {
        let cancelled = false;
        client.getTimeline(incidentId).then(
            (items) => {
                if (!cancelled) {
                    setEvents(Array.isArray(items) ? items : []);
                    setError('');
                }
            },
            (err: unknown) => {
                if (!cancelled) {
                    setError(errorText(err));
                }
            },
        );
        return () => {
            cancelled = true;
        };
    }, [incidentId, version]);

    if (error) {
        return <p role='alert' style={styles.error}>{intl.formatMessage(messages.actionFailed, {error})}</p>;
    }
    if (!events) {
        return <p role='status' style={styles.muted}>{intl.formatMessage(messages.loadingIncident)}</p>;
    }
    const kinds = [...new Set(events.map((e) => e.kind))];
    const shown = events.filter((e) => !filter || e.kind === filter);
    return (
        <div data-testid='incident-timeline'>
            <label style={styles.row}>
                <span style={styles.meta}>{intl.formatMessage(messages.timelineFilter)}</span>
                <select value={filter} onChange={(e) => setFilter(e.target.value)} style={styles.input} data-testid='incident-timeline-filter'>
                    <option value=''>{intl.formatMessage(messages.allEvents)}</option>
                    {kinds.map((k) => <option key={k} value={k}>{kindLabel(k)}</option>)}
                </select>
            </label>
            {shown.length === 0 && <p style={styles.muted}>{intl.formatMessage(messages.noEvents)}</p>}
            <ol style={styles.list}>
                {shown.map((e, i) => (
                    <li key={`${e.at}-${i}`} style={styles.event} data-testid='incident-timeline-event' data-kind={e.kind}>
                        <span style={styles.meta}>{intl.formatDate(e.at, {dateStyle: 'short', timeStyle: 'short'})}</span>
                        {' '}
                        <strong>{kindLabel(e.kind)}</strong>
                        {e.actor_id && <span>{` · @${name(e.actor_id)}`}</span>}
                        {e.subject_id && <span>{` → @${name(e.subject_id)}`}</span>}
                        {e.summary && <div style={styles.meta}>{e.summary}</div>}
                    </li>
                ))}
            </ol>
        </div>
    );
}
