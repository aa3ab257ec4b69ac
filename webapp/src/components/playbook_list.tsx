// The team's playbooks (`/incidents/playbooks`): the ones the user may use, by title, paged; archived ones on request;
// "Create playbook" and "Import" when the System Console lets this user manage playbooks; each row opens the editor
// and has Export / Duplicate / Archive.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import UploadOutlineIcon from '@mattermost/compass-icons/components/upload-outline';
import {client} from '../client';
import {messages} from '../i18n';
import {navigate, playbooksPath} from '../location';
import type {Playbook, PlaybookExport} from '../types';
import {errorText} from './format';
import {Pager} from './pager';
import {PlaybookActions} from './playbook_actions';
import {blankInput} from './playbook_form';
import {styles} from './styles';
import {useLoad, useSettings} from './use_team_data';

const PER_PAGE = 50;

type Notice = {text: string; failed: boolean; details?: string[]};

function PlaybookRow({playbook, canManage, onOpen, onDone}: {
    playbook: Playbook; canManage: boolean; onOpen(): void; onDone(notice: Notice): void;
}) {
    const intl = useIntl();
    const tasks = playbook.checklists.reduce((n, c) => n + c.items.length, 0);
    return (
        <li style={styles.item} data-testid='playbook-item' data-playbook-id={playbook.id}>
            <button type='button' style={styles.itemButton} onClick={onOpen} aria-label={intl.formatMessage(messages.openPlaybook, {title: playbook.title})}
                data-testid='playbook-open'>
                <span style={styles.itemTitle}>
                    {playbook.title}
                    {playbook.archived && <span style={{...styles.badge, ...styles.ended}}>{intl.formatMessage(messages.archivedBadge)}</span>}
                </span>
                <span style={styles.meta}>{intl.formatMessage(messages.playbookSummary, {checklists: playbook.checklists.length, tasks})}</span>
            </button>
            <PlaybookActions playbook={playbook} canManage={canManage}
                onDuplicated={(copy) => onDone({text: intl.formatMessage(messages.duplicated, {title: copy.title}), failed: false})}
                onArchived={(p) => onDone({text: intl.formatMessage(messages.archivedDone, {title: p.title}), failed: false})}/>
        </li>
    );
}

/** Reads a chosen playbook file; refuses anything that is not an export. */
async function readExport(file: File): Promise<PlaybookExport | undefined> {
    try {
        const doc = JSON.parse(await file.text()) as Partial<PlaybookExport>;
        return doc && doc.format === 'incident-collaboration-playbook' && doc.playbook ? doc as PlaybookExport : undefined;
    } catch {
        return undefined;
    }
}

export function PlaybookList({teamId, teamName}: {teamId: string; teamName: string}) {
    const intl = useIntl();
    const settings = useSettings(teamId);
    const canManage = Boolean(settings.data?.can_create_playbooks);
    const [archived, setArchived] = useState(false);
    const [page, setPage] = useState(0);
    const [title, setTitle] = useState('');
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<Notice>();
    const list = useLoad(teamId ? `${teamId}:${archived}:${page}` : '', () => client.listPlaybooks(teamId, archived, page, PER_PAGE));
    const open = (id: string) => navigate(playbooksPath(teamName, id));
    const done = (n: Notice) => {
        setNotice(n);
        list.reload();
    };

    const create = async (e: React.FormEvent) => {
        e.preventDefault();
        setBusy(true);
        setNotice(undefined);
        try {
            const created = await client.createPlaybook(teamId, blankInput(title.trim()));
            open(created.id);
        } catch (err) {
            setNotice({text: errorText(err), failed: true});
        } finally {
            setBusy(false);
        }
    };
    const importFile = async (file: File | undefined) => {
        if (!file) {
            return;
        }
        setNotice(undefined);
        const doc = await readExport(file);
        if (!doc) {
            setNotice({text: intl.formatMessage(messages.importInvalid), failed: true});
            return;
        }
        try {
            const answer = await client.importPlaybook(teamId, doc);
            const created = answer?.playbook ?? (answer as unknown as Playbook);
            done({text: intl.formatMessage(messages.imported, {title: created.title}), failed: false, details: answer?.warnings});
        } catch (err) {
            setNotice({text: errorText(err), failed: true});
        }
    };

    const items = list.data?.items ?? [];
    let body: React.ReactNode;
    if (list.error) {
        body = (
            <div data-testid='playbook-error'>
                <p role='alert' style={styles.error}>{intl.formatMessage(messages.playbooksFailed, {error: list.error})}</p>
                <button type='button' style={styles.secondaryButton} onClick={list.reload}>{intl.formatMessage(messages.retry)}</button>
            </div>
        );
    } else if (!list.data) {
        body = <p role='status' style={styles.muted} data-testid='playbook-loading'>{intl.formatMessage(messages.playbooksLoading)}</p>;
    } else if (!items.length) {
        body = <p style={styles.muted} data-testid='playbook-empty'>{intl.formatMessage(archived ? messages.archivedEmpty : messages.playbooksEmpty)}</p>;
    } else {
        body = (
            <>
                <ul style={styles.list} data-testid='playbook-list'>
                    {items.map((p) => <PlaybookRow key={p.id} playbook={p} canManage={canManage} onOpen={() => open(p.id)} onDone={done}/>)}
                </ul>
                <Pager page={page} perPage={PER_PAGE} total={list.data.total ?? items.length} shown={items.length} onPage={setPage} testid='playbook-pager'/>
            </>
        );
    }
    return (
        <div data-testid='playbook-page'>
            <h3 style={styles.title}>{intl.formatMessage(messages.playbooksTitle)}</h3>
            {settings.data && !canManage && <p style={styles.muted} data-testid='playbook-cannot-manage'>{intl.formatMessage(messages.cannotManage)}</p>}
            {canManage && (
                <div style={styles.toolbar}>
                    <form style={{...styles.row, flex: 1}} onSubmit={create}>
                        <input style={styles.input} value={title} onChange={(e) => setTitle(e.target.value)} placeholder={intl.formatMessage(messages.newPlaybook)}
                            aria-label={intl.formatMessage(messages.newPlaybook)} data-testid='playbook-new-title'/>
                        <button type='submit' style={{...styles.primaryButton, marginTop: 0}} disabled={busy || !title.trim()} data-testid='playbook-create'>
                            {intl.formatMessage(messages.createPlaybook)}
                        </button>
                    </form>
                    <label style={styles.control}>
                        <span style={styles.row}><UploadOutlineIcon size={14}/>{intl.formatMessage(messages.importPlaybook)}</span>
                        <input type='file' accept='application/json,.json' data-testid='playbook-import'
                            onChange={(e) => {
                                importFile(e.target.files?.[0]);
                                e.target.value = '';
                            }}/>
                    </label>
                </div>
            )}
            {notice && (
                <div role={notice.failed ? 'alert' : 'status'} style={notice.failed ? styles.error : styles.warning} data-testid='playbook-notice'
                    data-failed={notice.failed}>
                    {notice.text}
                    {notice.details?.map((d) => <div key={d} style={styles.meta}>{d}</div>)}
                </div>
            )}
            <label style={{...styles.row, ...styles.muted}}>
                <input type='checkbox' checked={archived} data-testid='playbook-show-archived' onChange={(e) => {
                    setArchived(e.target.checked);
                    setPage(0);
                }}/>
                {intl.formatMessage(messages.showArchived)}
            </label>
            {body}
        </div>
    );
}
