// The tabs at the top of the incident pages: the team's incidents (with stats) and its playbooks.
import React from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import {incidentPagePath, navigate, playbooksPath} from '../location';
import {styles} from './styles';

export type Tab = 'incidents' | 'playbooks';

export function PageTabs({current, teamName}: {current: Tab; teamName: string}) {
    const intl = useIntl();
    const tabs: Array<{tab: Tab; label: string; path: string}> = [
        {tab: 'incidents', label: intl.formatMessage(messages.tabIncidents), path: incidentPagePath(teamName)},
        {tab: 'playbooks', label: intl.formatMessage(messages.tabPlaybooks), path: playbooksPath(teamName)},
    ];
    return (
        <nav style={styles.tabs} aria-label={intl.formatMessage(messages.pageNav)} data-testid='incident-tabs'>
            {tabs.map(({tab, label, path}) => (
                <button
                    key={tab}
                    type='button'
                    style={{...styles.tab, ...(tab === current ? styles.tabActive : {})}}
                    aria-current={tab === current ? 'page' : undefined}
                    disabled={!teamName}
                    onClick={() => navigate(path)}
                    data-testid={`incident-tab-${tab}`}
                >
                    {label}
                </button>
            ))}
        </nav>
    );
}
