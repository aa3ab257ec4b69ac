// The playbook editor's automation (announcement channel, webhooks, default commander, invitees, welcome message)
// and permissions (the members who may use and edit it; its creator always is one).
import React from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import type {PlaybookInput} from '../types';
import {Field, FieldError, MultiPicker, type FormError, type Option} from './form_fields';
import {styles} from './styles';

type Props = {
    input: PlaybookInput;
    users: Option[];
    channels: Option[];
    disabled: boolean;
    error?: FormError;
    onChange(input: PlaybookInput): void;
};

/** A select of one id or none; an id not among the options stays selectable as it is. */
function OneOf({value, options, none, disabled, onChange, testid}: {
    value: string | null; options: Option[]; none: string; disabled: boolean; onChange(id: string | null): void; testid: string;
}) {
    return (
        <select style={styles.select} value={value ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value || null)} data-testid={testid}>
            <option value=''>{none}</option>
            {value && !options.some((o) => o.id === value) && <option value={value}>{value}</option>}
            {options.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
        </select>
    );
}

export function PlaybookAutomation({input, users, channels, disabled, error, onChange}: Props) {
    const intl = useIntl();
    const a = input.automation;
    const set = (change: Partial<PlaybookInput['automation']>) => onChange({...input, automation: {...a, ...change}});
    return (
        <section style={styles.section} data-testid='playbook-automation'>
            <h4 style={styles.sectionTitle}>{intl.formatMessage(messages.automation)}</h4>
            <Field label={intl.formatMessage(messages.announce)} field='announce' error={error}>
                <OneOf value={a.announce_channel_id} options={channels} none={intl.formatMessage(messages.none)} disabled={disabled}
                    onChange={(id) => set({announce_channel_id: id})} testid='playbook-announce'/>
            </Field>
            <Field label={intl.formatMessage(messages.createWebhook)} field='create_webhook' error={error}>
                <input style={styles.input} type='url' value={a.create_webhook_url ?? ''} disabled={disabled} data-testid='playbook-create-webhook'
                    onChange={(e) => set({create_webhook_url: e.target.value || null})}/>
            </Field>
            <Field label={intl.formatMessage(messages.updateWebhook)} field='update_webhook' error={error}>
                <input style={styles.input} type='url' value={a.update_webhook_url ?? ''} disabled={disabled} data-testid='playbook-update-webhook'
                    onChange={(e) => set({update_webhook_url: e.target.value || null})}/>
            </Field>
            <Field label={intl.formatMessage(messages.defaultCommander)} field='commander' error={error}>
                <OneOf value={a.default_commander_id} options={users} none={intl.formatMessage(messages.starterCommands)} disabled={disabled}
                    onChange={(id) => set({default_commander_id: id})} testid='playbook-default-commander'/>
            </Field>
            <MultiPicker label={intl.formatMessage(messages.invitees)} options={users} value={a.invite_user_ids} disabled={disabled}
                onChange={(ids) => set({invite_user_ids: ids})} testid='playbook-invitees'/>
            <FieldError error={error} field='invite'/>
            <Field label={intl.formatMessage(messages.welcome)} field='welcome' error={error}>
                <textarea style={styles.textarea} value={a.welcome_message} disabled={disabled} data-testid='playbook-welcome'
                    onChange={(e) => set({welcome_message: e.target.value})}/>
            </Field>
        </section>
    );
}

export function PlaybookPermissions({input, users, creatorName, disabled, error, onChange}: {
    input: PlaybookInput; users: Option[]; creatorName: string; disabled: boolean; error?: FormError; onChange(input: PlaybookInput): void;
}) {
    const intl = useIntl();
    return (
        <section style={styles.section} data-testid='playbook-permissions'>
            <h4 style={styles.sectionTitle}>{intl.formatMessage(messages.permissions)}</h4>
            <MultiPicker label={intl.formatMessage(messages.members)} options={users} value={input.member_ids} disabled={disabled}
                onChange={(ids) => onChange({...input, member_ids: ids})} testid='playbook-members'/>
            <p style={styles.meta}>{intl.formatMessage(messages.creatorNote, {name: creatorName})}</p>
            <FieldError error={error} field='members'/>
        </section>
    );
}
