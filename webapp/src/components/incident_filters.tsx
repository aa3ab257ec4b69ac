// The controls of the team's incident list: a debounced search box (Enter searches at once), status, commander (the
// team's users), sort, page size and "Show private incidents". Every change goes back to the first page.
import React, {useEffect, useState} from 'react';
import {useIntl} from 'react-intl';
import MagnifyIcon from '@mattermost/compass-icons/components/magnify';
import {messages} from '../i18n';
import type {UserSummary} from '../types';
import {isFiltered, PER_PAGE_OPTIONS, type SearchState} from './incident_search_params';
import {styles} from './styles';
import {useDebounced} from './use_debounced';

/** How long typing must pause before the list is asked for again. */
export const SEARCH_DEBOUNCE_MS = 300;

type Props = {value: SearchState; users?: UserSummary[]; onChange(change: Partial<SearchState>): void};

export function IncidentFilters({value, users, onChange}: Props) {
    const intl = useIntl();
    const [text, setText] = useState(value.q);
    const typed = useDebounced(text, SEARCH_DEBOUNCE_MS);
    useEffect(() => {
        if (typed !== value.q) {
            onChange({q: typed, page: 0});
        }
    // Only a settled change of the text searches; `value.q` moves with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [typed]);
    const set = (change: Partial<SearchState>) => onChange({...change, page: 0});
    const perPages = PER_PAGE_OPTIONS.includes(value.perPage) ? PER_PAGE_OPTIONS : [...PER_PAGE_OPTIONS, value.perPage].sort((a, b) => a - b);
    const commanderKnown = !value.commanderId || users?.some((u) => u.id === value.commanderId);

    return (
        <div data-testid='incident-filters'>
            <form role='search' style={styles.row} onSubmit={(e) => {
                e.preventDefault();
                set({q: text});
            }}>
                <MagnifyIcon size={16}/>
                <input type='search' style={styles.input} value={text} onChange={(e) => setText(e.target.value)}
                    placeholder={intl.formatMessage(messages.search)} aria-label={intl.formatMessage(messages.search)}
                    data-testid='incident-search'/>
            </form>
            <div style={styles.toolbar}>
                <Choice label={intl.formatMessage(messages.statusFilter)} value={value.status} testId='incident-filter-status'
                    onChange={(status) => set({status: status as SearchState['status']})}>
                    <option value='all'>{intl.formatMessage(messages.statusAll)}</option>
                    <option value='active'>{intl.formatMessage(messages.statusActive)}</option>
                    <option value='ended'>{intl.formatMessage(messages.statusEnded)}</option>
                </Choice>
                <Choice label={intl.formatMessage(messages.commanderFilter)} value={value.commanderId}
                    testId='incident-filter-commander' onChange={(commanderId) => set({commanderId})}>
                    <option value=''>{intl.formatMessage(messages.anyCommander)}</option>
                    {!commanderKnown && <option value={value.commanderId}>{value.commanderId}</option>}
                    {users?.map((u) => <option key={u.id} value={u.id}>{`@${u.username}`}</option>)}
                </Choice>
                <Choice label={intl.formatMessage(messages.sort)} value={value.sort} testId='incident-sort'
                    onChange={(sort) => set({sort: sort as SearchState['sort']})}>
                    <option value='newest'>{intl.formatMessage(messages.sortNewest)}</option>
                    <option value='oldest'>{intl.formatMessage(messages.sortOldest)}</option>
                    <option value='name'>{intl.formatMessage(messages.sortName)}</option>
                </Choice>
                <Choice label={intl.formatMessage(messages.perPage)} value={value.perPage} testId='incident-per-page'
                    onChange={(perPage) => set({perPage: Number(perPage)})}>
                    {perPages.map((n) => <option key={n} value={n}>{n}</option>)}
                </Choice>
                <label style={{...styles.row, ...styles.muted}}>
                    <input type='checkbox' checked={value.includePrivate} onChange={(e) => set({includePrivate: e.target.checked})}
                        data-testid='incident-show-private'/>
                    {intl.formatMessage(messages.showPrivate)}
                </label>
                {isFiltered(value) && (
                    <button type='button' style={styles.linkButton} data-testid='incident-clear-filters' onClick={() => {
                        setText('');
                        set({q: '', status: 'all', commanderId: ''});
                    }}>
                        {intl.formatMessage(messages.clearFilters)}
                    </button>
                )}
            </div>
        </div>
    );
}

type ChoiceProps = {label: string; value: string | number; testId: string; onChange(value: string): void; children: React.ReactNode};

/** One labelled select of the filter bar. */
function Choice({label, value, testId, onChange, children}: ChoiceProps) {
    return (
        <label style={styles.control}>
            {label}
            <select style={styles.select} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
                {children}
            </select>
        </label>
    );
}
