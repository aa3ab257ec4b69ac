// One incident row (RHS and incident page lists): name, status, privacy, reference, commander (when known), task
// progress and start date; a button when it opens.
import React from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import type {Incident} from '../types';
import {DATE_TIME} from './format';
import {PrivateLock} from './incident_header';
import {styles} from './styles';

type Props = {incident: Incident; onOpen?: (id: string) => void; commanderName?: string};

export function IncidentItem({incident, onOpen, commanderName}: Props) {
    const intl = useIntl();
    const active = incident.status === 'active';
    const content = (
        <>
            <div style={styles.itemTitle}>
                <span data-testid='incident-item-name'>{incident.name}</span>
                <span style={{...styles.badge, ...(active ? styles.active : styles.ended)}}>
                    {intl.formatMessage(active ? messages.statusActive : messages.statusEnded)}
                </span>
                {incident.is_private && <PrivateLock size={14}/>}
            </div>
            <div style={styles.meta}>
                {incident.reference && `${incident.reference} · `}
                {commanderName && `${intl.formatMessage(messages.commandedBy, {name: commanderName})} · `}
                {intl.formatMessage(messages.tasks, {done: incident.tasks_done, total: incident.tasks_total})}
                {' · '}
                {intl.formatMessage(messages.started, {
                    date: intl.formatDate(incident.created_at, DATE_TIME),
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
