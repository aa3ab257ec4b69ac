// One playbook's editor (`/incidents/playbooks/<id>`): title, description, checklists, preferences, automation and
// permissions, saved whole with `PUT /playbooks/{id}`. Server validation errors show at the field they are about
// (and the whole text by Save); archived playbooks and users who may not manage playbooks see it read-only. No
// <form> here: the checklist editor's add lines are their own small forms.
import React, {useEffect, useState} from 'react';
import {useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {ApiError, client} from '../client';
import {messages} from '../i18n';
import {navigate, playbooksPath} from '../location';
import {selectTeamName} from '../reducer';
import type {HostState, Playbook, PlaybookInput} from '../types';
import {errorText} from './format';
import {Field, type FormError} from './form_fields';
import {PlaybookActions} from './playbook_actions';
import {PlaybookAutomation, PlaybookPermissions} from './playbook_automation';
import {PlaybookChecklists} from './playbook_checklists';
import {errorField, toInput} from './playbook_form';
import {PlaybookPreferences} from './playbook_preferences';
import {styles} from './styles';
import {useSettings, useTeamChannels, useTeamUsers} from './use_team_data';

function Form({playbook, onSaved}: {playbook: Playbook; onSaved(p: Playbook): void}) {
    const intl = useIntl();
    const teamName = useSelector((state: HostState) => selectTeamName(state, playbook.team));
    const settings = useSettings(playbook.team);
    const users = useTeamUsers(playbook.team);
    const channels = useTeamChannels(playbook.team);
    const [input, setInput] = useState<PlaybookInput>(() => toInput(playbook));
    const [dirty, setDirty] = useState(false);
    const [saving, setSaving] = useState(false);
    const [error, setError] = useState<FormError>();
    const [saved, setSaved] = useState(false);

    const canManage = Boolean(settings.data?.can_create_playbooks);
    const disabled = saving || playbook.archived || !canManage;
    const userOptions = (users.data ?? []).map((u) => ({id: u.id, label: `@${u.username}`}));
    const channelOptions = (channels.data ?? []).map((c) => ({id: c.id, label: `~${c.display_name || c.name}`}));
    const creator = users.data?.find((u) => u.id === playbook.created_by)?.username ?? playbook.created_by;
    const change = (next: PlaybookInput) => {
        setInput(next);
        setDirty(true);
        setSaved(false);
    };
    const save = async () => {
        setSaving(true);
        setError(undefined);
        try {
            const result = await client.updatePlaybook(playbook.id, input);
            setInput(toInput(result));
            setDirty(false);
            setSaved(true);
            onSaved(result);
        } catch (err) {
            const text = errorText(err);
            setError({field: err instanceof ApiError && err.status === 400 ? errorField(text) : 'form', text});
        } finally {
            setSaving(false);
        }
    };

    return (
        <div data-testid='playbook-editor' data-playbook-id={playbook.id}>
            <PlaybookActions playbook={playbook} canManage={canManage}
                onDuplicated={(copy) => navigate(playbooksPath(teamName, copy.id))} onArchived={onSaved}/>
            {playbook.archived && <p role='status' style={styles.warning} data-testid='playbook-archived'>{intl.formatMessage(messages.readOnlyArchived)}</p>}
            {settings.data && !canManage && <p style={styles.muted} data-testid='playbook-cannot-manage'>{intl.formatMessage(messages.cannotManage)}</p>}
            <Field label={intl.formatMessage(messages.playbookTitle)} field='title' error={error}>
                <input style={{...styles.input, fontSize: 18, fontWeight: 600}} value={input.title} disabled={disabled} required
                    onChange={(e) => change({...input, title: e.target.value})} data-testid='playbook-title'/>
            </Field>
            <Field label={intl.formatMessage(messages.playbookDescription)} field='description' error={error}>
                <textarea style={styles.textarea} value={input.description} disabled={disabled}
                    onChange={(e) => change({...input, description: e.target.value})} data-testid='playbook-description'/>
            </Field>
            <PlaybookChecklists checklists={input.checklists} users={userOptions} disabled={disabled} error={error}
                onChange={(checklists) => change({...input, checklists})}/>
            <PlaybookPreferences input={input} channels={channelOptions} privateIncidents={settings.data?.private_incidents ?? false}
                disabled={disabled} error={error} onChange={change}/>
            <PlaybookAutomation input={input} users={userOptions} channels={channelOptions} disabled={disabled} error={error} onChange={change}/>
            <PlaybookPermissions input={input} users={userOptions} creatorName={creator} disabled={disabled} error={error} onChange={change}/>
            <div style={{...styles.row, position: 'sticky', bottom: 0, background: 'var(--center-channel-bg, #ffffff)', padding: '8px 0'}}>
                <button type='button' style={{...styles.primaryButton, marginTop: 0}} disabled={disabled || !dirty} onClick={save}
                    data-testid='playbook-save'>
                    {intl.formatMessage(saving ? messages.saving : messages.save)}
                </button>
                {dirty && !saving && <span style={styles.meta} data-testid='playbook-unsaved'>{intl.formatMessage(messages.unsaved)}</span>}
                {saved && !dirty && <span role='status' style={styles.meta} data-testid='playbook-saved'>{intl.formatMessage(messages.saved)}</span>}
            </div>
            {error && <p role='alert' style={styles.error} data-testid='playbook-save-error' data-field={error.field}>
                {intl.formatMessage(messages.saveFailed, {error: error.text})}
            </p>}
        </div>
    );
}

export function PlaybookEditor({playbookId}: {playbookId: string}) {
    const intl = useIntl();
    const [playbook, setPlaybook] = useState<Playbook>();
    const [error, setError] = useState<{text: string; status?: number}>();
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
        let cancelled = false;
        client.getPlaybook(playbookId).then(
            (p) => !cancelled && setPlaybook(p),
            (err: unknown) => !cancelled && setError({text: errorText(err), status: err instanceof ApiError ? err.status : undefined}),
        );
        return () => {
            cancelled = true;
        };
    }, [playbookId, attempt]);

    if (error?.status === 404) {
        return <p style={styles.muted} data-testid='playbook-not-found'>{intl.formatMessage(messages.playbookNotFound)}</p>;
    }
    if (error) {
        return (
            <div data-testid='playbook-error'>
                <p role='alert' style={styles.error}>{intl.formatMessage(messages.playbooksFailed, {error: error.text})}</p>
                <button type='button' style={styles.secondaryButton} onClick={() => {
                    setError(undefined);
                    setAttempt((n) => n + 1);
                }}>{intl.formatMessage(messages.retry)}</button>
            </div>
        );
    }
    if (!playbook) {
        return <p role='status' style={styles.muted} data-testid='playbook-loading'>{intl.formatMessage(messages.loadingPlaybook)}</p>;
    }
    // Archiving starts the form again (read-only); a save keeps it (it already shows what was saved).
    return <Form key={`${playbook.id}:${playbook.archived}`} playbook={playbook} onSaved={setPlaybook}/>;
}
