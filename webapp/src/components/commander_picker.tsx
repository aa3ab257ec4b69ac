// The commander picker: a "Change commander" link that loads the channel's members into a select.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import type {IncidentDetail as Detail, UserSummary} from '../types';
import {errorText} from './format';
import {styles} from './styles';

export function CommanderPicker({detail, disabled, onPick}: {detail: Detail; disabled: boolean; onPick(userId: string): void}) {
    const intl = useIntl();
    const [users, setUsers] = useState<UserSummary[]>();
    const [error, setError] = useState('');
    const open = () => {
        client.channelMembers(detail.channel_id).then(
            (list) => setUsers(Array.isArray(list) ? list : []),
            (err: unknown) => setError(errorText(err)),
        );
    };
    if (error) {
        return <p role='alert' style={styles.error}>{intl.formatMessage(messages.actionFailed, {error})}</p>;
    }
    if (!users) {
        return (
            <button type='button' style={styles.linkButton} onClick={open} disabled={disabled} data-testid='incident-commander-change'>
                {intl.formatMessage(messages.changeCommander)}
            </button>
        );
    }
    return (
        <select
            aria-label={intl.formatMessage(messages.changeCommander)}
            value={detail.commander_id}
            disabled={disabled}
            onChange={(e) => {
                setUsers(undefined);
                onPick(e.target.value);
            }}
            style={styles.input}
            data-testid='incident-commander-picker'
        >
            {!users.some((u) => u.id === detail.commander_id) && <option value={detail.commander_id}>{detail.commander_id}</option>}
            {users.map((u) => <option key={u.id} value={u.id}>{`@${u.username}`}</option>)}
        </select>
    );
}
