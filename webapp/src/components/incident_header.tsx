// The top of an incident, in the RHS and on the incident page: name with the padlock of a private incident, the
// private banner, status, reference and how long it has run.
import React from 'react';
import {useIntl} from 'react-intl';
import LockOutlineIcon from '@mattermost/compass-icons/components/lock-outline';
import ClockOutlineIcon from '@mattermost/compass-icons/components/clock-outline';
import {messages} from '../i18n';
import type {IncidentDetail} from '../types';
import {formatDuration} from './format';
import {styles} from './styles';

/** The padlock shown next to a private incident's name (here and in list rows). */
export function PrivateLock({size}: {size: number}) {
    const intl = useIntl();
    const label = intl.formatMessage(messages.privateBadge);
    return (
        <span title={label} data-testid='incident-private'>
            <LockOutlineIcon size={size} aria-label={label}/>
        </span>
    );
}

export function IncidentHeader({detail, now}: {detail: IncidentDetail; now: number}) {
    const intl = useIntl();
    const active = detail.status === 'active';
    const duration = formatDuration((detail.ended_at ?? now) - detail.created_at);
    return (
        <>
            <h3 style={styles.title}>
                <span data-testid='incident-name'>{detail.name}</span>
                {detail.is_private && <PrivateLock size={16}/>}
            </h3>
            {detail.is_private && (
                <p role='note' style={styles.banner} data-testid='incident-private-banner'>
                    <LockOutlineIcon size={14}/>
                    {intl.formatMessage(messages.privateBanner)}
                </p>
            )}
            <div style={styles.row}>
                <span style={{...styles.badge, ...(active ? styles.active : styles.ended)}} data-testid='incident-status'>
                    {intl.formatMessage(active ? messages.statusActive : messages.statusEnded)}
                </span>
                <span style={styles.meta}>{detail.reference}</span>
                <span style={styles.meta}>
                    <ClockOutlineIcon size={12}/>
                    {intl.formatMessage(active ? messages.duration : messages.durationEnded, {duration})}
                </span>
            </div>
        </>
    );
}
