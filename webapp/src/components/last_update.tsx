// The commander and the latest status update of an incident (with the overdue state), shared by the RHS and the page.
import React, {type ReactNode} from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import type {IncidentDetail} from '../types';
import {DATE_TIME} from './format';
import {styles} from './styles';

export function Commander({detail, name, children}: {detail: IncidentDetail; name(userId: string | null): string; children?: ReactNode}) {
    const intl = useIntl();
    return (
        <section style={styles.section}>
            <div style={styles.sectionTitle}>{intl.formatMessage(messages.commander)}</div>
            <div style={styles.row}>
                <span data-testid='incident-commander'>{`@${name(detail.commander_id)}`}</span>
                {children}
            </div>
        </section>
    );
}

type Props = {detail: IncidentDetail; now: number; name(userId: string | null): string; children?: ReactNode};

/** `children` go below the update (the RHS puts "Update status" there). */
export function LastUpdate({detail, now, name, children}: Props) {
    const intl = useIntl();
    const active = detail.status === 'active';
    const overdue = active && detail.update_due_at !== null && detail.update_due_at < now;
    const when = (at: number) => intl.formatDate(at, DATE_TIME);
    return (
        <section style={styles.section} data-testid='incident-last-update' data-overdue={overdue}>
            <div style={styles.sectionTitle}>{intl.formatMessage(messages.lastUpdate)}</div>
            {detail.last_update ? (
                <>
                    <p style={styles.body}>{detail.last_update.message}</p>
                    <div style={styles.meta}>
                        {intl.formatMessage(messages.updateBy, {user: `@${name(detail.last_update.author_id)}`, date: when(detail.last_update.at)})}
                    </div>
                </>
            ) : <p style={styles.muted}>{intl.formatMessage(messages.noUpdate)}</p>}
            {detail.update_due_at !== null && active && (
                <p role={overdue ? 'alert' : undefined} style={overdue ? styles.warning : styles.meta}>
                    {intl.formatMessage(overdue ? messages.overdue : messages.dueAt, {date: when(detail.update_due_at)})}
                </p>
            )}
            {children}
        </section>
    );
}
