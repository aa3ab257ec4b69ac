// One incident row in the RHS list: name, status, privacy, task progress and start date; a button when it opens.
import React from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import type {Incident} from '../types';
import {PrivateLock} from './incident_header';
import {styles} from './styles';

export function IncidentItem({incident, onOpen}: {incident: Incident; onOpen?: (id: string) => void}) {
    const intl = useIntl();
    const active = incident.status === 'active';
    const content = (
        <>
            <div style={styles.itemTitle}>
                <span>{incident.name}</span>
                <span style={{...styles.badge, ...(active ? styles.active : styles.ended)}}>
                    {intl.formatMessage(active ? messages.statusActive : messages.statusEnded)}
                </span>
                {incident.is_private && <PrivateLock size={14}/>}
            </div>
            <div style={styles.meta}>
                {intl.formatMessage(messages.tasks, {done: incident.tasks_done, total: incident.tasks_total})}
                {' · '}
                {intl.formatMessage(messages.started, {
                    date: intl.formatDate(incident.created_at, {dateStyle: 'medium', timeStyle: 'short'}),
                })}
            </div>
        </>
    );
    return (
        <li style={styles.item} data-testid='incident-item' data-incident-id={incident.id}>
            {onOpen ? (
                <button
                    type='button'
                    style={styles.itemButton}
                    onClick={() => onOpen(incident.id)}
                    aria-label={intl.formatMessage(messages.openIncident, {name: incident.name})}
                    data-testid='incident-open'
                >
                    {content}
                </button>
            ) : content}
        </li>
    );
}
