// One incident in the RHS: summary, commander (with a picker), description, latest update, checklists, timeline and
// End / Restart. Actions answer the saved incident, which is shown at once; websocket deltas with a newer version
// (someone else's change) fetch this incident again.
import React, {useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import ChevronLeftIcon from '@mattermost/compass-icons/components/chevron-left';
import OpenInNewIcon from '@mattermost/compass-icons/components/open-in-new';
import {ApiError, client} from '../client';
import {messages} from '../i18n';
import {incidentPagePath, navigate} from '../location';
import {incidentDelta, selectTeamName} from '../reducer';
import type {ActionResult, HostState} from '../types';
import {AccessPanel} from './access_panel';
import {Checklists} from './checklists';
import {CommanderPicker} from './commander_picker';
import {errorText} from './format';
import {IncidentHeader} from './incident_header';
import {Commander, LastUpdate} from './last_update';
import {styles} from './styles';
import {Loading} from './load_states';
import {ReviewAndExport} from './review';
import {Timeline} from './timeline';
import {useIncident, useNow, useUserName} from './use_incident';

type Confirming = 'end' | 'restart' | undefined;

export function IncidentDetail({incidentId, onBack}: {incidentId: string; onBack?: () => void}) {
    const intl = useIntl();
    const dispatch = useDispatch();
    const {detail, setDetail, error: loadError, setError: setLoadError, reload} = useIncident(incidentId);
    const teamName = useSelector((state: HostState) => selectTeamName(state, detail?.team_id ?? ''));
    const [busy, setBusy] = useState(false);
    const [actionError, setActionError] = useState('');
    const [notice, setNotice] = useState('');
    const [confirming, setConfirming] = useState<Confirming>();
    const [showTimeline, setShowTimeline] = useState(false);
    const now = useNow();
    const name = useUserName();

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
                setLoadError({message: err.message, status: 404});
            }
        } finally {
            setBusy(false);
            setConfirming(undefined);
        }
    };

    if (loadError && !detail) {
        return (
            <div data-testid='incident-error'>
                <p role='alert' style={styles.error}>{intl.formatMessage(messages.loadFailed, {error: loadError.message})}</p>
                <button type='button' style={styles.secondaryButton} onClick={reload}>
                    {intl.formatMessage(messages.retry)}
                </button>
            </div>
        );
    }
    if (!detail) {
        return <Loading text={messages.loadingIncident}/>;
    }

    const active = detail.status === 'active';
    const id = detail.id;

    return (
        <div data-testid='incident-detail' data-incident-id={id} data-version={detail.version}>
            {onBack && (
                <button type='button' style={styles.linkButton} onClick={onBack} data-testid='incident-back'>
                    <ChevronLeftIcon size={14}/>{intl.formatMessage(messages.back)}
                </button>
            )}
            <IncidentHeader detail={detail} now={now}/>
            {teamName && (
                <button type='button' style={styles.linkButton} onClick={() => navigate(incidentPagePath(teamName, id))} data-testid='incident-open-page'>
                    <OpenInNewIcon size={14}/>{intl.formatMessage(messages.openPage)}
                </button>
            )}

            <Commander detail={detail} name={name}>
                <CommanderPicker detail={detail} disabled={busy} onPick={(u) => run(() => client.setCommander(id, u))}/>
            </Commander>

            <section style={styles.section}>
                <div style={styles.sectionTitle}>{intl.formatMessage(messages.description)}</div>
                <p style={detail.description ? styles.body : styles.muted} data-testid='incident-description'>
                    {detail.description || intl.formatMessage(messages.noDescription)}
                </p>
            </section>

            <LastUpdate detail={detail} now={now} name={name}>
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
            </LastUpdate>

            {detail.is_private && (
                <AccessPanel
                    incidentId={id}
                    version={detail.version}
                    onVisibilityChanged={(message) => {
                        setNotice(message);
                        reload();
                    }}
                />
            )}

            <Checklists
                now={now}
                checklists={detail.checklists}
                channelId={detail.channel_id}
                disabled={busy}
                name={name}
                onAssign={(c, i, u) => run(() => client.assignTask(id, c, i, u))}
                onSet={(c, i, done) => run(() => client.setTask(id, c, i, done))}
                onRemove={(c, i) => run(() => client.removeTask(id, c, i))}
                onAdd={(c, title) => run(() => client.addTask(id, c, title))}
                onRun={(command) => {
                    setActionError('');
                    client.executeCommand(detail.channel_id, detail.team_id, command).then(
                        () => setNotice(intl.formatMessage(messages.ranCommand, {command})),
                        (err: unknown) => setActionError(errorText(err)),
                    );
                }}
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
