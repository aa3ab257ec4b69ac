// The team's stats on the incident list page: active and ended counts and the mean time to resolve, overall and per
// playbook (named from the playbooks the user may see). Counts only incidents the user may see; refetched with the list.
import React from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import {selectListRevision} from '../reducer';
import type {IncidentCounts} from '../types';
import {formatDuration} from './format';
import {styles} from './styles';
import {useLoad} from './use_team_data';

/** Titles of the team's playbooks, archived ones too (a stats row may name either). */
async function playbookTitles(teamId: string): Promise<Record<string, string>> {
    const lists = await Promise.all([false, true].map((archived) => client.listPlaybooks(teamId, archived, 0, 200).catch(() => undefined)));
    return Object.fromEntries(lists.flatMap((l) => (Array.isArray(l?.items) ? l.items : [])).map((p) => [p.id, p.title]));
}

export function StatsCards({teamId}: {teamId: string}) {
    const intl = useIntl();
    const revision = useSelector(selectListRevision);
    const stats = useLoad(teamId ? `${teamId}:${revision}` : '', () => client.getStats(teamId), true);
    const titles = useLoad(teamId, () => playbookTitles(teamId));
    const mttr = (c: IncidentCounts) =>
        (c.mean_time_to_resolve_ms === null || c.mean_time_to_resolve_ms === undefined ? intl.formatMessage(messages.statsNone) : formatDuration(c.mean_time_to_resolve_ms));

    if (stats.error) {
        return <p role='alert' style={styles.error} data-testid='incident-stats-error'>{intl.formatMessage(messages.statsFailed, {error: stats.error})}</p>;
    }
    if (!stats.data) {
        return <p role='status' style={styles.muted} data-testid='incident-stats-loading'>{intl.formatMessage(messages.statsLoading)}</p>;
    }
    const s = stats.data;
    const cards = [
        {key: 'active', label: intl.formatMessage(messages.statusActive), value: String(s.active ?? 0)},
        {key: 'ended', label: intl.formatMessage(messages.statusEnded), value: String(s.ended ?? 0)},
        {key: 'mttr', label: intl.formatMessage(messages.statsMttr), value: mttr(s)},
    ];
    const perPlaybook = Array.isArray(s.per_playbook) ? s.per_playbook : [];
    return (
        <section aria-label={intl.formatMessage(messages.stats)} data-testid='incident-stats'>
            <div style={styles.cards}>
                {cards.map((c) => (
                    <div key={c.key} style={styles.card} data-testid={`incident-stats-${c.key}`}>
                        <div style={styles.meta}>{c.label}</div>
                        <div style={styles.cardValue}>{c.value}</div>
                    </div>
                ))}
            </div>
            {perPlaybook.some((p) => p.playbook_id) && (
                <details style={styles.box}>
                    <summary style={styles.label}>{intl.formatMessage(messages.statsPerPlaybook)}</summary>
                    <ul style={styles.list}>
                        {perPlaybook.map((p) => (
                            <li key={p.playbook_id ?? ''} style={styles.task} data-testid='incident-stats-playbook' data-playbook-id={p.playbook_id ?? ''}>
                                <span>
                                    {p.playbook_id ? titles.data?.[p.playbook_id] ?? intl.formatMessage(messages.statsUnknownPlaybook, {id: p.playbook_id.slice(0, 8)}) :
                                        intl.formatMessage(messages.statsNoPlaybook)}
                                </span>
                                <span style={styles.meta}>{intl.formatMessage(messages.statsRow, {active: p.active, ended: p.ended, mttr: mttr(p)})}</span>
                            </li>
                        ))}
                    </ul>
                </details>
            )}
        </section>
    );
}
