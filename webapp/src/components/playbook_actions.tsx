// What can be done to a whole playbook, from its row and from its editor: export (a download link), duplicate and
// archive (confirmed). Duplicate and archive need the right to manage playbooks; the server's refusal shows as is.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import ArchiveOutlineIcon from '@mattermost/compass-icons/components/archive-outline';
import ContentCopyIcon from '@mattermost/compass-icons/components/content-copy';
import DownloadOutlineIcon from '@mattermost/compass-icons/components/download-outline';
import {client} from '../client';
import {messages} from '../i18n';
import type {Playbook} from '../types';
import {errorText} from './format';
import {styles} from './styles';

type Props = {
    playbook: Playbook;
    canManage: boolean;
    onDuplicated(copy: Playbook): void;
    onArchived(archived: Playbook): void;
};

export function PlaybookActions({playbook, canManage, onDuplicated, onArchived}: Props) {
    const intl = useIntl();
    const [busy, setBusy] = useState(false);
    const [confirming, setConfirming] = useState(false);
    const [error, setError] = useState('');
    const run = async (action: () => Promise<void>) => {
        setBusy(true);
        setError('');
        try {
            await action();
        } catch (err) {
            setError(intl.formatMessage(messages.actionFailed, {error: errorText(err)}));
        } finally {
            setBusy(false);
            setConfirming(false);
        }
    };
    return (
        <div data-testid='playbook-actions'>
            <div style={styles.row}>
                <a style={styles.linkButton} href={client.playbookExportUrl(playbook.id)} download data-testid='playbook-export'>
                    <DownloadOutlineIcon size={14}/>{intl.formatMessage(messages.exportPlaybook)}
                </a>
                {canManage && (
                    <button type='button' style={styles.linkButton} disabled={busy} data-testid='playbook-duplicate'
                        onClick={() => run(async () => onDuplicated(await client.duplicatePlaybook(playbook.id)))}>
                        <ContentCopyIcon size={14}/>{intl.formatMessage(messages.duplicate)}
                    </button>
                )}
                {canManage && !playbook.archived && !confirming && (
                    <button type='button' style={styles.linkButton} disabled={busy} onClick={() => setConfirming(true)} data-testid='playbook-archive'>
                        <ArchiveOutlineIcon size={14}/>{intl.formatMessage(messages.archive)}
                    </button>
                )}
            </div>
            {confirming && (
                <div role='alertdialog' aria-label={intl.formatMessage(messages.archiveConfirm, {title: playbook.title})} style={styles.warning}
                    data-testid='playbook-archive-confirm'>
                    <p style={styles.body}>{intl.formatMessage(messages.archiveConfirm, {title: playbook.title})}</p>
                    <div style={styles.row}>
                        <button type='button' style={styles.dangerButton} disabled={busy} autoFocus data-testid='playbook-archive-yes'
                            onClick={() => run(async () => onArchived(await client.archivePlaybook(playbook.id)))}>
                            {intl.formatMessage(messages.archive)}
                        </button>
                        <button type='button' style={styles.secondaryButton} disabled={busy} onClick={() => setConfirming(false)}
                            data-testid='playbook-archive-no'>
                            {intl.formatMessage(messages.cancel)}
                        </button>
                    </div>
                </div>
            )}
            {error && <p role='alert' style={styles.error} data-testid='playbook-action-error'>{error}</p>}
        </div>
    );
}
