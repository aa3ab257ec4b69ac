// "Access" of a private incident (collapsible): who has access (revoked people greyed out with "revoked", time-boxed
// grants with "until <time>"), Revoke buttons, a form to give access (username, optional minutes), and "Make public"
// with a confirmation step whose text is the server's. Server errors are shown inline.
import React, {useEffect, useState} from 'react';
import {useIntl} from 'react-intl';
import AccountPlusOutlineIcon from '@mattermost/compass-icons/components/account-plus-outline';
import {ApiError, client} from '../client';
import {messages} from '../i18n';
import type {AccessPerson, MessageResult} from '../types';
import {DATE_TIME, errorText} from './format';
import {styles} from './styles';

const MAX_MINUTES = 30 * 24 * 60;

function GrantForm({disabled, onGrant, onInvalid}: {
    disabled: boolean; onGrant(username: string, minutes?: number): Promise<boolean>; onInvalid(): void;
}) {
    const intl = useIntl();
    const [username, setUsername] = useState('');
    const [minutes, setMinutes] = useState('');
    const submit = async (e: React.FormEvent) => {
        e.preventDefault();
        const who = username.trim().replace(/^@/, '');
        if (!who) {
            return;
        }
        const text = minutes.trim();
        const n = Number(text);
        if (text && !(Number.isInteger(n) && n >= 1 && n <= MAX_MINUTES)) {
            onInvalid();
            return;
        }
        if (await onGrant(who, text ? n : undefined)) {
            setUsername('');
            setMinutes('');
        }
    };
    const userLabel = intl.formatMessage(messages.grantUsername);
    const minutesLabel = intl.formatMessage(messages.grantMinutes);
    return (
        <form style={styles.row} onSubmit={submit} data-testid='incident-access-grant'>
            <input style={{...styles.input, minWidth: 160}} value={username} onChange={(e) => setUsername(e.target.value)} placeholder={userLabel}
                aria-label={userLabel} disabled={disabled} data-testid='incident-access-username'/>
            <input style={styles.narrowInput} type='number' min={1} max={MAX_MINUTES} value={minutes} onChange={(e) => setMinutes(e.target.value)}
                placeholder={minutesLabel} aria-label={minutesLabel} disabled={disabled} data-testid='incident-access-minutes'/>
            <button type='submit' style={styles.secondaryButton} disabled={disabled || !username.trim()} data-testid='incident-access-grant-submit'>
                <AccountPlusOutlineIcon size={14}/>{intl.formatMessage(messages.grant)}
            </button>
        </form>
    );
}

function Person({person, disabled, onRevoke}: {person: AccessPerson; disabled: boolean; onRevoke(): void}) {
    const intl = useIntl();
    const revoked = person.state === 'revoked';
    const state = {member: messages.accessMember, invited: messages.accessInvited, revoked: messages.accessRevoked}[person.state];
    const username = person.username || intl.formatMessage(messages.unknownUser);
    return (
        <li style={revoked ? {...styles.person, ...styles.revoked} : styles.person} data-testid='incident-access-person'
            data-username={person.username} data-state={person.state}>
            <span style={styles.grow}>
                {`@${username}`}
                <span style={styles.meta}>
                    {' · '}{state ? intl.formatMessage(state) : person.state}
                    {!revoked && typeof person.expires_at === 'number' && (
                        <span data-testid='incident-access-until'>
                            {' · '}{intl.formatMessage(messages.accessUntil, {
                                date: intl.formatDate(person.expires_at, DATE_TIME),
                            })}
                        </span>
                    )}
                </span>
            </span>
            {!revoked && person.username && (
                <button type='button' style={styles.secondaryButton} disabled={disabled} onClick={onRevoke}
                    aria-label={intl.formatMessage(messages.revokeUser, {username: person.username})} data-testid='incident-access-revoke'>
                    {intl.formatMessage(messages.revoke)}
                </button>
            )}
        </li>
    );
}

type Props = {
    incidentId: string;
    /** The incident's version: someone else's change to it reloads the list. */
    version: number;
    /** The incident became public (the server's message): the caller reloads it. */
    onVisibilityChanged(message: string): void;
};

export function AccessPanel({incidentId, version, onVisibilityChanged}: Props) {
    const intl = useIntl();
    const [open, setOpen] = useState(true);
    const [people, setPeople] = useState<AccessPerson[]>();
    const [loadError, setLoadError] = useState('');
    const [reloads, setReloads] = useState(0);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const [notice, setNotice] = useState('');
    /** The server's question before making the incident public (its 409 answer to an unconfirmed request). */
    const [confirmText, setConfirmText] = useState('');

    useEffect(() => {
        if (!open) {
            return undefined;
        }
        let cancelled = false;
        client.getAccess(incidentId).then(
            (list) => {
                if (!cancelled) {
                    setPeople(Array.isArray(list?.people) ? list.people : []);
                    setLoadError('');
                }
            },
            (err: unknown) => !cancelled && setLoadError(errorText(err)),
        );
        return () => {
            cancelled = true;
        };
    }, [incidentId, version, reloads, open]);

    const act = async (call: () => Promise<MessageResult>): Promise<boolean> => {
        setBusy(true);
        setError('');
        setNotice('');
        try {
            const result = await call();
            setNotice(result?.message ?? '');
            setReloads((n) => n + 1);
            return true;
        } catch (err) {
            setError(errorText(err));
            return false;
        } finally {
            setBusy(false);
        }
    };

    const makePublic = async (confirmed: boolean) => {
        setBusy(true);
        setError('');
        setNotice('');
        try {
            const result = await client.setVisibility(incidentId, 'public', confirmed);
            setConfirmText('');
            onVisibilityChanged(result?.message ?? '');
        } catch (err) {
            if (!confirmed && err instanceof ApiError && err.status === 409) {
                setConfirmText(err.message);
            } else {
                setConfirmText('');
                setError(errorText(err));
            }
        } finally {
            setBusy(false);
        }
    };

    return (
        <section style={styles.section} aria-label={intl.formatMessage(messages.access)} data-testid='incident-access'>
            <div style={styles.sectionTitle}>
                <span>{intl.formatMessage(messages.access)}</span>
                <button type='button' style={styles.linkButton} aria-expanded={open} onClick={() => setOpen((o) => !o)}
                    data-testid='incident-access-toggle'>
                    {intl.formatMessage(open ? messages.hideAccess : messages.showAccess)}
                </button>
            </div>
            {open && (
                <>
                    {loadError && <p role='alert' style={styles.error}>{intl.formatMessage(messages.actionFailed, {error: loadError})}</p>}
                    {!loadError && !people && <p role='status' style={styles.muted}>{intl.formatMessage(messages.loadingAccess)}</p>}
                    {people?.length === 0 && <p style={styles.muted}>{intl.formatMessage(messages.noAccess)}</p>}
                    {people && people.length > 0 && (
                        <ul style={styles.list} data-testid='incident-access-list'>
                            {people.map((p) => (
                                <Person key={`${p.state}-${p.user_id}`} person={p} disabled={busy}
                                    onRevoke={() => act(() => client.revokeAccess(incidentId, p.username))}/>
                            ))}
                        </ul>
                    )}
                    <GrantForm disabled={busy} onGrant={(u, m) => act(() => client.grantAccess(incidentId, u, m))}
                        onInvalid={() => setError(intl.formatMessage(messages.invalidMinutes))}/>
                    {confirmText ? (
                        <div style={styles.row} data-testid='incident-make-public-confirm'>
                            <span>{confirmText}</span>
                            <button type='button' style={styles.dangerButton} disabled={busy} onClick={() => makePublic(true)}
                                data-testid='incident-make-public-yes'>
                                {intl.formatMessage(messages.makePublicConfirm)}
                            </button>
                            <button type='button' style={styles.secondaryButton} onClick={() => setConfirmText('')} data-testid='incident-make-public-no'>
                                {intl.formatMessage(messages.cancel)}
                            </button>
                        </div>
                    ) : (
                        <button type='button' style={styles.secondaryButton} disabled={busy} onClick={() => makePublic(false)}
                            data-testid='incident-make-public'>
                            {intl.formatMessage(messages.makePublic)}
                        </button>
                    )}
                    {notice && <p role='status' style={styles.muted} data-testid='incident-access-notice'>{notice}</p>}
                    {error && <p role='alert' style={styles.error} data-testid='incident-access-error'>{intl.formatMessage(messages.actionFailed, {error})}</p>}
                </>
            )}
        </section>
    );
}
