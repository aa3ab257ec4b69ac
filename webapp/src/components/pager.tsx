// Previous / Next paging with "x–y of total", for the server-paged incident and playbook lists.
import React from 'react';
import {useIntl} from 'react-intl';
import ChevronLeftIcon from '@mattermost/compass-icons/components/chevron-left';
import ChevronRightIcon from '@mattermost/compass-icons/components/chevron-right';
import {messages} from '../i18n';
import {styles} from './styles';

type Props = {
    /** 0-based. */
    page: number;
    perPage: number;
    total: number;
    /** Rows on this page (the last page may hold fewer than `perPage`). */
    shown: number;
    onPage(page: number): void;
    testid: string;
};

export function Pager({page, perPage, total, shown, onPage, testid}: Props) {
    const intl = useIntl();
    const from = shown ? page * perPage + 1 : 0;
    const to = page * perPage + shown;
    const hasNext = to < total;
    if (page === 0 && !hasNext) {
        return <p style={styles.meta} data-testid={testid}><span data-testid='pager-range'>
            {intl.formatMessage(messages.pageRange, {from, to, total})}
        </span></p>;
    }
    return (
        <nav style={{...styles.row, justifyContent: 'space-between'}} aria-label={intl.formatMessage(messages.pageRange, {from, to, total})}
            data-testid={testid}>
            <button type='button' style={styles.secondaryButton} disabled={page === 0} onClick={() => onPage(page - 1)}
                data-testid='pager-prev'>
                <ChevronLeftIcon size={14}/>{intl.formatMessage(messages.previousPage)}
            </button>
            <span role='status' style={styles.meta} data-testid='pager-range'>{intl.formatMessage(messages.pageRange, {from, to, total})}</span>
            <button type='button' style={styles.secondaryButton} disabled={!hasNext} onClick={() => onPage(page + 1)}
                data-testid='pager-next'>
                {intl.formatMessage(messages.nextPage)}<ChevronRightIcon size={14}/>
            </button>
        </nav>
    );
}
