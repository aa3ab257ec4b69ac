// The team's incidents on the incident page: search, status/commander filters, sort and paging done by the server
// (`GET /incidents?team_id=&q=&status=&commander_id=&sort=&page=&per_page=&include_private=`), kept in the page URL;
// loading, empty ("no incidents" or "no match"), error; each row opens `/incidents/<id>`.
import React, {useCallback, useEffect, useState} from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import {currentLocation, incidentPagePath, navigate, replaceSearch} from '../location';
import {selectListRevision} from '../reducer';
import {IncidentFilters} from './incident_filters';
import {IncidentItem} from './incident_item';
import {isFiltered, searchFromUrl, searchToUrl, type SearchState} from './incident_search_params';
import {Pager} from './pager';
import {styles} from './styles';
import {LoadFailed, Loading} from './load_states';
import {useIncidents} from './use_incidents';
import {useTeamUsers} from './use_team_data';

export function TeamIncidents({teamId, teamName}: {teamId: string; teamName: string}) {
    const intl = useIntl();
    const revision = useSelector(selectListRevision);
    const [search, setSearch] = useState<SearchState>(() => searchFromUrl(currentLocation().search));
    const onChange = useCallback((change: Partial<SearchState>) => setSearch((s) => ({...s, ...change})), []);
    useEffect(() => replaceSearch(searchToUrl(search)), [search]);
    const users = useTeamUsers(teamId);
    const usernames = Object.fromEntries((users.data ?? []).map((u) => [u.id, u.username]));

    const query = {...search, teamId};
    const source = teamId ? JSON.stringify(query) : '';
    const {view, retry} = useIncidents(source, () => client.searchIncidents(query), revision);

    let body: React.ReactNode;
    if (!view) {
        body = <Loading/>;
    } else if (view.kind === 'error') {
        body = <LoadFailed message={view.message} onRetry={retry}/>;
    } else if (view.kind === 'empty' && search.page > 0) {
        body = (
            <div data-testid='incident-empty'>
                <p style={styles.muted}>{intl.formatMessage(messages.pastEnd)}</p>
                <button type='button' style={styles.secondaryButton} onClick={() => onChange({page: 0})}>
                    {intl.formatMessage(messages.firstPage)}
                </button>
            </div>
        );
    } else if (view.kind === 'empty') {
        body = (
            <p style={styles.muted} data-testid='incident-empty' data-filtered={isFiltered(search)}>
                {intl.formatMessage(isFiltered(search) ? messages.noMatch : messages.pageEmpty)}
            </p>
        );
    } else {
        const {items, total} = view.list;
        body = (
            <>
                <ul style={styles.list} data-testid='incident-list'>
                    {items.map((incident) => (
                        <IncidentItem key={incident.id} incident={incident} commanderName={usernames[incident.commander_id]}
                            onOpen={(id) => navigate(incidentPagePath(teamName, id))}/>
                    ))}
                </ul>
                <Pager page={search.page} perPage={search.perPage} total={total} shown={items.length}
                    onPage={(page) => onChange({page})} testid='incident-pager'/>
            </>
        );
    }
    return (
        <div data-testid='incident-team-list'>
            <h3 style={styles.title}>{intl.formatMessage(messages.pageTitle)}</h3>
            <IncidentFilters value={search} users={users.data} onChange={onChange}/>
            {body}
        </div>
    );
}
