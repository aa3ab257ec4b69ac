// The incident pages, registered once with registerNeedsTeamRoute at `/<team>/<plugin id>/incidents`:
// `…/incidents` the team's incidents (stats, search, filters, paging), `…/incidents/<id>` (or `?id=`) one incident's
// overview, `…/incidents/playbooks` the team's playbooks and `…/incidents/playbooks/<id>` one playbook's editor.
import React from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import ChevronLeftIcon from '@mattermost/compass-icons/components/chevron-left';
import {messages} from '../i18n';
import {incidentPagePath, navigate, pageRouteFrom, playbooksPath, useHostLocation} from '../location';
import {selectCurrentTeamId, selectTeamName} from '../reducer';
import type {HostState} from '../types';
import {TeamIncidents} from './incident_list';
import {IncidentOverview} from './incident_overview';
import {PageTabs} from './page_tabs';
import {PlaybookEditor} from './playbook_editor';
import {PlaybookList} from './playbook_list';
import {StatsCards} from './stats_cards';
import {styles} from './styles';

function Back({path, label, testid}: {path: string; label: string; testid: string}) {
    return (
        <button type='button' style={styles.linkButton} onClick={() => navigate(path)} data-testid={testid}>
            <ChevronLeftIcon size={14}/>{label}
        </button>
    );
}

export function IncidentPage() {
    const intl = useIntl();
    const route = pageRouteFrom(useHostLocation());
    const teamId = useSelector(selectCurrentTeamId);
    const teamName = useSelector((state: HostState) => selectTeamName(state, teamId));

    let content: React.ReactNode;
    switch (route.kind) {
    case 'incident':
        content = (
            <>
                {teamName && <Back path={incidentPagePath(teamName)} label={intl.formatMessage(messages.allIncidents)} testid='incident-page-all'/>}
                <IncidentOverview key={route.id} incidentId={route.id}/>
            </>
        );
        break;
    case 'playbook':
        content = (
            <>
                {teamName && <Back path={playbooksPath(teamName)} label={intl.formatMessage(messages.allPlaybooks)} testid='playbook-back'/>}
                <PlaybookEditor key={route.id} playbookId={route.id}/>
            </>
        );
        break;
    case 'playbooks':
        content = (
            <>
                <PageTabs current='playbooks' teamName={teamName}/>
                <PlaybookList key={teamId} teamId={teamId} teamName={teamName}/>
            </>
        );
        break;
    default:
        content = (
            <>
                <PageTabs current='incidents' teamName={teamName}/>
                <StatsCards teamId={teamId}/>
                <TeamIncidents key={teamId} teamId={teamId} teamName={teamName}/>
            </>
        );
    }
    return (
        <div style={{...styles.root, ...styles.page}} data-testid='incident-page' data-page={route.kind}>
            <div style={styles.pageBody}>{content}</div>
        </div>
    );
}
