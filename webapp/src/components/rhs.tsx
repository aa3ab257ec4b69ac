// The right-hand sidebar. In an incident channel: the incident (several → a list first). Elsewhere: "No incident in
// this channel", the user's active incidents in this team and "Start incident". Loading, empty and error states.
import React, {useCallback, useEffect, useState} from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import {selectCurrentChannelId, selectCurrentTeamId, selectCurrentUserId, selectListRevision} from '../reducer';
import type {HostState} from '../types';
import {IncidentDetail} from './incident_detail';
import {IncidentItem} from './incident_item';
import {styles} from './styles';
import {LoadFailed, Loading} from './load_states';
import {useIncidents} from './use_incidents';

function useHealth(): boolean | undefined {
    const [healthy, setHealthy] = useState<boolean>();
    useEffect(() => {
        let cancelled = false;
        client.getHealth().then(() => !cancelled && setHealthy(true), () => !cancelled && setHealthy(false));
        return () => {
            cancelled = true;
        };
    }, []);
    return healthy;
}

function StartIncidentButton({channelId, teamId}: {channelId: string; teamId: string}) {
    const intl = useIntl();
    const [starting, setStarting] = useState(false);
    const [error, setError] = useState('');
    const start = async () => {
        setStarting(true);
        setError('');
        try {
            await client.executeCommand(channelId, teamId, '/incident start');
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        } finally {
            setStarting(false);
        }
    };
    return (
        <div>
            <button type='button' style={styles.primaryButton} onClick={start} disabled={starting} data-testid='incident-start'>
                {intl.formatMessage(starting ? messages.starting : messages.startIncident)}
            </button>
            {error && <p role='alert' style={styles.error}>{intl.formatMessage(messages.startFailed, {error})}</p>}
        </div>
    );
}

function MyIncidents({teamId, userId, revision, onOpen}: {teamId: string; userId: string; revision: number; onOpen(id: string): void}) {
    const intl = useIntl();
    const [showPrivate, setShowPrivate] = useState(false);
    const source = teamId && userId ? `${teamId}:${userId}:${showPrivate}` : '';
    const {view} = useIncidents(source, () => client.listMyIncidents(teamId, userId, showPrivate), revision);
    if (!source || view?.kind === 'error') {
        return null;
    }
    return (
        <section style={styles.section} data-testid='incident-mine'>
            <div style={styles.sectionTitle}>{intl.formatMessage(messages.myIncidents)}</div>
            <label style={styles.muted}>
                <input
                    type='checkbox'
                    checked={showPrivate}
                    onChange={(e) => setShowPrivate(e.target.checked)}
                    data-testid='incident-show-private'
                />
                {' '}{intl.formatMessage(messages.showPrivate)}
            </label>
            {!view && <p role='status' style={styles.muted}>{intl.formatMessage(messages.loading)}</p>}
            {view?.kind === 'empty' && <p style={styles.muted}>{intl.formatMessage(messages.noMyIncidents)}</p>}
            {view?.kind === 'list' && (
                <ul style={styles.list}>
                    {view.list.items.map((incident) => <IncidentItem key={incident.id} incident={incident} onOpen={onOpen}/>)}
                </ul>
            )}
        </section>
    );
}

export function RHS() {
    const intl = useIntl();
    const channelId = useSelector(selectCurrentChannelId);
    const teamId = useSelector(selectCurrentTeamId);
    const userId = useSelector(selectCurrentUserId);
    const revision = useSelector((state: HostState) => selectListRevision(state));
    const healthy = useHealth();
    const {view, retry} = useIncidents(channelId, () => client.listIncidents(channelId), revision);
    const [selected, setSelected] = useState<{channelId: string; id: string}>();
    const open = useCallback((id: string) => setSelected({channelId, id}), [channelId]);
    const openId = selected?.channelId === channelId ? selected.id : undefined;

    let body: React.ReactNode;
    if (!channelId) {
        body = <p style={styles.muted}>{intl.formatMessage(messages.noChannel)}</p>;
    } else if (openId) {
        body = <IncidentDetail key={openId} incidentId={openId} onBack={() => setSelected(undefined)}/>;
    } else if (!view) {
        body = <Loading/>;
    } else if (view.kind === 'error') {
        body = <LoadFailed message={view.message} onRetry={retry}/>;
    } else if (view.kind === 'empty') {
        body = (
            <div>
                <div data-testid='incident-empty'>
                    <p style={styles.emptyTitle}>{intl.formatMessage(messages.empty)}</p>
                    <p style={styles.muted}>{intl.formatMessage(messages.emptyHint)}</p>
                    <StartIncidentButton channelId={channelId} teamId={teamId}/>
                </div>
                <MyIncidents teamId={teamId} userId={userId} revision={revision} onOpen={open}/>
            </div>
        );
    } else if (view.list.items.length === 1) {
        const only = view.list.items[0];
        body = <IncidentDetail key={only.id} incidentId={only.id}/>;
    } else {
        body = (
            <div>
                <p style={styles.muted}>{intl.formatMessage(messages.total, {total: view.list.total})}</p>
                <ul style={styles.list} data-testid='incident-list'>
                    {view.list.items.map((incident) => <IncidentItem key={incident.id} incident={incident} onOpen={open}/>)}
                </ul>
                <StartIncidentButton channelId={channelId} teamId={teamId}/>
            </div>
        );
    }

    return (
        <div style={styles.root} data-testid='incident-rhs'>
            {healthy === false && <p role='status' style={styles.warning}>{intl.formatMessage(messages.healthFailed)}</p>}
            {body}
        </div>
    );
}
