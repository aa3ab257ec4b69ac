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
                <label style={styles.control}>
                    {intl.formatMessage(messages.statusFilter)}
                    <select style={styles.select} value={value.status} data-testid='incident-filter-status'
                        onChange={(e) => set({status: e.target.value as SearchState['status']})}>
                        <option value='all'>{intl.formatMessage(messages.statusAll)}</option>
                        <option value='active'>{intl.formatMessage(messages.statusActive)}</option>
                        <option value='ended'>{intl.formatMessage(messages.statusEnded)}</option>
                    </select>
                </label>
                <label style={styles.control}>
                    {intl.formatMessage(messages.commanderFilter)}
                    <select style={styles.select} value={value.commanderId} data-testid='incident-filter-commander'
                        onChange={(e) => set({commanderId: e.target.value})}>
                        <option value=''>{intl.formatMessage(messages.anyCommander)}</option>
                        {!commanderKnown && <option value={value.commanderId}>{value.commanderId}</option>}
                        {users?.map((u) => <option key={u.id} value={u.id}>{`@${u.username}`}</option>)}
                    </select>
                </label>
                <label style={styles.control}>
                    {intl.formatMessage(messages.sort)}
                    <select style={styles.select} value={value.sort} data-testid='incident-sort'
                        onChange={(e) => set({sort: e.target.value as SearchState['sort']})}>
                        <option value='newest'>{intl.formatMessage(messages.sortNewest)}</option>
                        <option value='oldest'>{intl.formatMessage(messages.sortOldest)}</option>
                        <option value='name'>{intl.formatMessage(messages.sortName)}</option>
                    </select>
                </label>
                <label style={styles.control}>
                    {intl.formatMessage(messages.perPage)}
                    <select style={styles.select} value={value.perPage} data-testid='incident-per-page'
                        onChange={(e) => set({perPage: Number(e.target.value)})}>
                        {perPages.map((n) => <option key={n} value={n}>{n}</option>)}
                    </select>
                </label>
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
