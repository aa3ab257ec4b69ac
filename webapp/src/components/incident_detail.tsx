// One incident in the RHS: summary, commander (with a picker), description, latest update, checklists, timeline and
// End / Restart. Actions answer the saved incident, which is shown at once; websocket deltas with a newer version
// (someone else's change) fetch this incident again.
import React, {useCallback, useEffect, useRef, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import LockOutlineIcon from '@mattermost/compass-icons/components/lock-outline';
import ChevronLeftIcon from '@mattermost/compass-icons/components/chevron-left';
import ClockOutlineIcon from '@mattermost/compass-icons/components/clock-outline';
import {ApiError, client} from '../client';
import {messages} from '../i18n';
import {incidentDelta, selectKnownVersion, selectRevision} from '../reducer';
import type {ActionResult, HostState, IncidentDetail as Detail, UserSummary} from '../types';
import {Checklists} from './checklists';
import {errorText, formatDuration} from './format';
import {styles} from './styles';
import {ReviewAndExport} from './review';
import {Timeline} from './timeline';

type Confirming = 'end' | 'restart' | undefined;

function CommanderPicker({detail, disabled, onPick}: {detail: Detail; disabled: boolean; onPick(userId: string): void}) {
    const intl = useIntl();
    const [users, setUsers] = useState<UserSummary[]>();
    const [error, setError] = useState('');
    const open = () => {
        client.channelMembers(detail.channel_id).then(
            (list) => setUsers(Array.isArray(list) ? list : []),
            (err: unknown) => setError(errorText(err)),
        );
    };
    if (error) {
        return <p role='alert' style={styles.error}>{intl.formatMessage(messages.actionFailed, {error})}</p>;
    }
    if (!users) {
        return (
            <button type='button' style={styles.linkButton} onClick={open} disabled={disabled} data-testid='incident-commander-change'>
                {intl.formatMessage(messages.changeCommander)}
            </button>
        );
    }
    return (
        <select
            aria-label={intl.formatMessage(messages.changeCommander)}
            value={detail.commander_id}
            disabled={disabled}
            onChange={(e) => {
                setUsers(undefined);
                onPick(e.target.value);
            }}
            style={styles.input}
            data-testid='incident-commander-picker'
        >
            {!users.some((u) => u.id === detail.commander_id) && <option value={detail.commander_id}>{detail.commander_id}</option>}
            {users.map((u) => <option key={u.id} value={u.id}>{`@${u.username}`}</option>)}
        </select>
    );
}

export function IncidentDetail({incidentId, onBack}: {incidentId: string; onBack?: () => void}) {
    const intl = useIntl();
    const dispatch = useDispatch();
    const revision = useSelector(selectRevision);
    const known = useSelector((state: HostState) => selectKnownVersion(state, incidentId));
    const profiles = useSelector((state: HostState) => state.entities?.users?.profiles);
    const [detail, setDetail] = useState<Detail>();
    const [loadError, setLoadError] = useState('');
    const [attempt, setAttempt] = useState(0);
    const [busy, setBusy] = useState(false);
    const [actionError, setActionError] = useState('');
    const [notice, setNotice] = useState('');
    const [confirming, setConfirming] = useState<Confirming>();
    const [showTimeline, setShowTimeline] = useState(false);
    const [now, setNow] = useState(() => Date.now());

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
                    setLoadError('');
                } else {
                    setLoadError('unexpected answer from the server');
                }
            },
            (err: unknown) => {
                if (!cancelled) {
                    setLoadError(errorText(err));
                }
            },
        );
        return () => {
            cancelled = true;
        };
    }, [incidentId, revision, attempt, stale, known]);

    useEffect(() => {
        const timer = setInterval(() => setNow(Date.now()), 30000);
        return () => clearInterval(timer);
    }, []);

    const name = useCallback(
        (userId: string | null) => (userId && profiles?.[userId]?.username) || intl.formatMessage(messages.someone),
        [profiles, intl],
    );

    const run = async (action: () => Promise<ActionResult>) => {
        setBusy(true);
        setActionError('');
        setNotice('');
        try {
            const result = await action();
            setDetail(result.incident);
            dispatch(incidentDelta({incident_id: result.incident.id, version: result.incident.version}));
            // Saved; the server may add a warning (e.g. a post that failed).
            setNotice(result.message ?? '');
        } catch (err) {
            setActionError(errorText(err));
            if (err instanceof ApiError && err.status === 404) {
                setDetail(undefined);
                setLoadError(err.message);
            }
        } finally {
            setBusy(false);
            setConfirming(undefined);
        }
    };

    if (loadError && !detail) {
        return (
            <div data-testid='incident-error'>
                <p role='alert' style={styles.error}>{intl.formatMessage(messages.loadFailed, {error: loadError})}</p>
                <button type='button' style={styles.secondaryButton} onClick={() => setAttempt((n) => n + 1)}>
                    {intl.formatMessage(messages.retry)}
                </button>
            </div>
        );
    }
    if (!detail) {
        return <p role='status' style={styles.muted} data-testid='incident-loading'>{intl.formatMessage(messages.loadingIncident)}</p>;
    }

    const active = detail.status === 'active';
    const duration = formatDuration((detail.ended_at ?? now) - detail.created_at);
    const overdue = active && detail.update_due_at !== null && detail.update_due_at < now;
    const id = detail.id;

    return (
        <div data-testid='incident-detail' data-incident-id={id} data-version={detail.version}>
            {onBack && (
                <button type='button' style={styles.linkButton} onClick={onBack} data-testid='incident-back'>
                    <ChevronLeftIcon size={14}/>{intl.formatMessage(messages.back)}
                </button>
            )}
            <h3 style={styles.title}>
                <span data-testid='incident-name'>{detail.name}</span>
                {detail.is_private && (
                    <span title={intl.formatMessage(messages.privateBadge)} data-testid='incident-private'>
                        <LockOutlineIcon size={16} aria-label={intl.formatMessage(messages.privateBadge)}/>
                    </span>
                )}
            </h3>
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

            <section style={styles.section}>
                <div style={styles.sectionTitle}>{intl.formatMessage(messages.commander)}</div>
                <div style={styles.row}>
                    <span data-testid='incident-commander'>{`@${name(detail.commander_id)}`}</span>
                    <CommanderPicker detail={detail} disabled={busy} onPick={(u) => run(() => client.setCommander(id, u))}/>
                </div>
            </section>

            <section style={styles.section}>
                <div style={styles.sectionTitle}>{intl.formatMessage(messages.description)}</div>
                <p style={detail.description ? styles.body : styles.muted} data-testid='incident-description'>
                    {detail.description || intl.formatMessage(messages.noDescription)}
                </p>
            </section>

            <section style={styles.section} data-testid='incident-last-update' data-overdue={overdue}>
                <div style={styles.sectionTitle}>{intl.formatMessage(messages.lastUpdate)}</div>
                {detail.last_update ? (
                    <>
                        <p style={styles.body}>{detail.last_update.message}</p>
                        <div style={styles.meta}>
                            {intl.formatMessage(messages.updateBy, {
                                user: `@${name(detail.last_update.author_id)}`,
                                date: intl.formatDate(detail.last_update.at, {dateStyle: 'medium', timeStyle: 'short'}),
                            })}
                        </div>
                    </>
                ) : <p style={styles.muted}>{intl.formatMessage(messages.noUpdate)}</p>}
                {detail.update_due_at !== null && active && (
                    <p role={overdue ? 'alert' : undefined} style={overdue ? styles.warning : styles.meta}>
                        {intl.formatMessage(overdue ? messages.overdue : messages.dueAt, {
                            date: intl.formatDate(detail.update_due_at, {dateStyle: 'medium', timeStyle: 'short'}),
                        })}
                    </p>
                )}
                {active && (
                    <button
                        type='button'
                        style={styles.secondaryButton}
                        disabled={busy}
                        onClick={() => {
                            client.executeCommand(detail.channel_id, detail.team_id, '/incident update').catch(
                                (err: unknown) => setActionError(errorText(err)),
                            );
                        }}
                        data-testid='incident-update-status'
                    >
                        {intl.formatMessage(messages.updateStatus)}
                    </button>
                )}
            </section>

            <Checklists
                checklists={detail.checklists}
                channelId={detail.channel_id}
                disabled={busy}
                name={name}
                onAssign={(c, i, u) => run(() => client.assignTask(id, c, i, u))}
                onSet={(c, i, done) => run(() => client.setTask(id, c, i, done))}
                onRemove={(c, i) => run(() => client.removeTask(id, c, i))}
                onAdd={(c, title) => run(() => client.addTask(id, c, title))}
            />

            <section style={styles.section}>
                <button
                    type='button'
                    style={styles.linkButton}
                    aria-expanded={showTimeline}
                    onClick={() => setShowTimeline((s) => !s)}
                    data-testid='incident-timeline-toggle'
                >
                    {showTimeline ? intl.formatMessage(messages.hideTimeline) :
                        intl.formatMessage(messages.showTimeline, {count: detail.timeline_events})}
                </button>
                {showTimeline && <Timeline incidentId={id} version={detail.version} name={name}/>}
            </section>

            <ReviewAndExport incidentId={id} ended={!active} version={detail.version}/>

            {notice && <p role='status' style={styles.warning} data-testid='incident-notice'>{notice}</p>}
            {actionError && <p role='alert' style={styles.error} data-testid='incident-action-error'>{intl.formatMessage(messages.actionFailed, {error: actionError})}</p>}

            <section style={styles.section}>
                {confirming ? (
                    <div style={styles.row} data-testid='incident-confirm'>
                        <span>{intl.formatMessage(confirming === 'end' ? messages.endConfirm : messages.restartConfirm)}</span>
                        <button
                            type='button'
                            style={styles.dangerButton}
                            disabled={busy}
                            onClick={() => run(() => (confirming === 'end' ? client.endIncident(id, true) : client.restartIncident(id)))}
                            data-testid='incident-confirm-yes'
                        >
                            {intl.formatMessage(messages.confirm)}
                        </button>
                        <button type='button' style={styles.secondaryButton} onClick={() => setConfirming(undefined)} data-testid='incident-confirm-no'>
                            {intl.formatMessage(messages.cancel)}
                        </button>
                    </div>
                ) : (
                    <button
                        type='button'
                        style={active ? styles.dangerButton : styles.secondaryButton}
                        disabled={busy}
                        onClick={() => setConfirming(active ? 'end' : 'restart')}
                        data-testid={active ? 'incident-end' : 'incident-restart'}
                    >
                        {intl.formatMessage(active ? messages.endIncident : messages.restartIncident)}
                    </button>
                )}
            </section>
        </div>
    );
}
