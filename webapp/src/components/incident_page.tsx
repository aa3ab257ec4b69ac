// The incident page, registered with registerNeedsTeamRoute at `/<team>/<plugin id>/incidents`: with an id
// (`…/incidents/<id>`, or `?id=`) the incident's overview, without one the team's incidents with the
// "Show private incidents" toggle.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import ChevronLeftIcon from '@mattermost/compass-icons/components/chevron-left';
import {client} from '../client';
import {messages} from '../i18n';
import {incidentIdFrom, incidentPagePath, navigate, useHostLocation} from '../location';
import {selectCurrentTeamId, selectListRevision, selectTeamName} from '../reducer';
import type {HostState} from '../types';
import {IncidentItem} from './incident_item';
import {IncidentOverview} from './incident_overview';
import {styles} from './styles';
import {useIncidents} from './use_incidents';

function TeamIncidents({teamId, teamName}: {teamId: string; teamName: string}) {
    const intl = useIntl();
    const revision = useSelector(selectListRevision);
    const [showPrivate, setShowPrivate] = useState(false);
    const source = teamId ? `${teamId}:${showPrivate}` : '';
    const {view, retry} = useIncidents(source, () => client.listTeamIncidents(teamId, showPrivate), revision);
    let body: React.ReactNode;
    if (!view) {
        body = <p role='status' style={styles.muted} data-testid='incident-loading'>{intl.formatMessage(messages.loading)}</p>;
    } else if (view.kind === 'error') {
        body = (
            <div data-testid='incident-error'>
                <p role='alert' style={styles.error}>{intl.formatMessage(messages.loadFailed, {error: view.message})}</p>
                <button type='button' style={styles.secondaryButton} onClick={retry}>{intl.formatMessage(messages.retry)}</button>
            </div>
        );
    } else if (view.kind === 'empty') {
        body = <p style={styles.muted} data-testid='incident-empty'>{intl.formatMessage(messages.pageEmpty)}</p>;
    } else {
        body = (
            <ul style={styles.list} data-testid='incident-list'>
                {view.list.items.map((incident) => (
                    <IncidentItem key={incident.id} incident={incident} onOpen={(id) => navigate(incidentPagePath(teamName, id))}/>
                ))}
            </ul>
        );
    }
    return (
        <div data-testid='incident-team-list'>
            <h3 style={styles.title}>{intl.formatMessage(messages.pageTitle)}</h3>
            <label style={styles.muted}>
                <input type='checkbox' checked={showPrivate} onChange={(e) => setShowPrivate(e.target.checked)} data-testid='incident-show-private'/>
                {' '}{intl.formatMessage(messages.showPrivate)}
            </label>
            {body}
        </div>
    );
}

export function IncidentPage() {
    const intl = useIntl();
    const location = useHostLocation();
    const incidentId = incidentIdFrom(location);
    const teamId = useSelector(selectCurrentTeamId);
    const teamName = useSelector((state: HostState) => selectTeamName(state, teamId));
    return (
        <div style={{...styles.root, ...styles.page}} data-testid='incident-page'>
            <div style={styles.pageBody}>
                {incidentId ? (
                    <>
                        {teamName && (
                            <button type='button' style={styles.linkButton} onClick={() => navigate(incidentPagePath(teamName))}
                                data-testid='incident-page-all'>
                                <ChevronLeftIcon size={14}/>{intl.formatMessage(messages.allIncidents)}
                            </button>
                        )}
                        <IncidentOverview key={incidentId} incidentId={incidentId}/>
                    </>
                ) : <TeamIncidents teamId={teamId} teamName={teamName}/>}
            </div>
        </div>
    );
}
