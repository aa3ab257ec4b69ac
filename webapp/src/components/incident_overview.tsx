// The incident page's overview of one incident, readable without joining its channel: name (padlock and banner when
// private), status, commander, latest update and checklist progress, who has access (private), and "Join channel"
// when the user is not in the incident channel. A 404 (missing, or private to this user) shows the access request.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import {selectIsChannelMember} from '../reducer';
import type {HostState, IncidentDetail} from '../types';
import {AccessPanel} from './access_panel';
import {AccessRequest} from './access_request';
import {errorText} from './format';
import {IncidentHeader} from './incident_header';
import {Commander, LastUpdate} from './last_update';
import {styles} from './styles';
import {Loading} from './load_states';
import {useIncident, useNow, useUserName} from './use_incident';

function JoinChannel({detail}: {detail: IncidentDetail}) {
    const intl = useIntl();
    const member = useSelector((state: HostState) => selectIsChannelMember(state, detail.channel_id));
    const [busy, setBusy] = useState(false);
    const [result, setResult] = useState<{text: string; failed: boolean}>();
    const joined = result && !result.failed;
    if (member && !result) {
        return null;
    }
    const join = async () => {
        setBusy(true);
        try {
            const answer = await client.joinIncident(detail.id);
            setResult({text: answer?.message ?? '', failed: false});
        } catch (err) {
            setResult({text: intl.formatMessage(messages.actionFailed, {error: errorText(err)}), failed: true});
        } finally {
            setBusy(false);
        }
    };
    return (
        <div data-testid='incident-join'>
            {!member && !joined && (
                <div style={styles.row}>
                    <span style={styles.muted}>{intl.formatMessage(messages.notInChannel)}</span>
                    <button type='button' style={styles.secondaryButton} disabled={busy} onClick={join} data-testid='incident-join-button'>
                        {intl.formatMessage(messages.joinChannel)}
                    </button>
                </div>
            )}
            {result && (
                <p role={result.failed ? 'alert' : 'status'} style={result.failed ? styles.error : styles.muted} data-testid='incident-join-result'>
                    {result.text}
                </p>
            )}
        </div>
    );
}

function Progress({detail}: {detail: IncidentDetail}) {
    const intl = useIntl();
    return (
        <section style={styles.section} data-testid='incident-page-progress'>
            <div style={styles.sectionTitle}>
                <span>{intl.formatMessage(messages.overallProgress)}</span>
                <span style={styles.meta}>{intl.formatMessage(messages.tasks, {done: detail.tasks_done, total: detail.tasks_total})}</span>
            </div>
            <progress style={styles.progress} max={Math.max(1, detail.tasks_total)} value={detail.tasks_done}/>
            <ul style={styles.list}>
                {detail.checklists.map((list, c) => (
                    <li key={`${c}-${list.title}`} style={styles.task} data-testid='incident-page-checklist'>
                        <span>{list.title}</span>
                        <span style={styles.meta}>
                            {intl.formatMessage(messages.progress, {done: list.items.filter((t) => t.done).length, total: list.items.length})}
                        </span>
                    </li>
                ))}
            </ul>
        </section>
    );
}

export function IncidentOverview({incidentId}: {incidentId: string}) {
    const intl = useIntl();
    const {detail, error, reload} = useIncident(incidentId);
    const now = useNow();
    const name = useUserName();
    const [notice, setNotice] = useState('');

    if (error?.status === 404) {
        return <AccessRequest incidentId={incidentId}/>;
    }
    if (error && !detail) {
        return (
            <div data-testid='incident-error'>
                <p role='alert' style={styles.error}>{intl.formatMessage(messages.loadFailed, {error: error.message})}</p>
                <button type='button' style={styles.secondaryButton} onClick={reload}>{intl.formatMessage(messages.retry)}</button>
            </div>
        );
    }
    if (!detail) {
        return <Loading text={messages.loadingIncident}/>;
    }
    return (
        <div data-testid='incident-overview' data-incident-id={detail.id} data-version={detail.version}>
            <IncidentHeader detail={detail} now={now}/>
            <JoinChannel detail={detail}/>
            {notice && <p role='status' style={styles.warning} data-testid='incident-notice'>{notice}</p>}
            <Commander detail={detail} name={name}/>
            <LastUpdate detail={detail} now={now} name={name}/>
            <Progress detail={detail}/>
            {detail.is_private && (
                <AccessPanel
                    incidentId={detail.id}
                    version={detail.version}
                    onVisibilityChanged={(message) => {
                        setNotice(message);
                        reload();
                    }}
                />
            )}
        </div>
    );
}
