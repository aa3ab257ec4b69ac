// The playbook editor's preferences: first status-update reminder, private channel, always private (only while
// private incidents are enabled), channels status updates are also posted in, and the text templates.
import React from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import type {PlaybookInput} from '../types';
import {Field, FieldError, MultiPicker, type FormError, type Option} from './form_fields';
import {styles} from './styles';

type Props = {
    input: PlaybookInput;
    channels: Option[];
    /** Whether private incidents are enabled (System Console): "always private" needs them. */
    privateIncidents: boolean;
    disabled: boolean;
    error?: FormError;
    onChange(input: PlaybookInput): void;
};

export function PlaybookPreferences({input, channels, privateIncidents, disabled, error, onChange}: Props) {
    const intl = useIntl();
    const set = (change: Partial<PlaybookInput>) => onChange({...input, ...change});
    const minutes = input.reminder_seconds ? String(input.reminder_seconds / 60) : '';
    return (
        <section style={styles.section} data-testid='playbook-preferences'>
            <h4 style={styles.sectionTitle}>{intl.formatMessage(messages.preferences)}</h4>
            <Field label={intl.formatMessage(messages.reminder)} field='reminder' error={error}>
                <input style={styles.narrowInput} type='number' min={0} step={1} value={minutes} disabled={disabled}
                    data-testid='playbook-reminder'
                    onChange={(e) => set({reminder_seconds: e.target.value ? Math.round(Number(e.target.value) * 60) : null})}/>
            </Field>
            <label style={styles.row}>
                <input type='checkbox' checked={input.private_channel} disabled={disabled} data-testid='playbook-private-channel'
                    onChange={(e) => set({private_channel: e.target.checked})}/>
                {intl.formatMessage(messages.privateChannel)}
            </label>
            <label style={styles.row}>
                <input type='checkbox' checked={input.always_private} data-testid='playbook-always-private'
                    disabled={disabled || (!privateIncidents && !input.always_private)}
                    onChange={(e) => set({always_private: e.target.checked})}/>
                {intl.formatMessage(messages.alwaysPrivate)}
            </label>
            {!privateIncidents && <p style={styles.meta}>{intl.formatMessage(messages.privateOff)}</p>}
            <FieldError error={error} field='always_private'/>
            <MultiPicker label={intl.formatMessage(messages.broadcast)} options={channels} value={input.broadcast_channel_ids}
                disabled={disabled} onChange={(ids) => set({broadcast_channel_ids: ids})} testid='playbook-broadcast'/>
            <FieldError error={error} field='broadcast'/>
            <Field label={intl.formatMessage(messages.overviewTemplate)} field='overview' error={error}>
                <textarea style={styles.textarea} value={input.templates.overview} disabled={disabled} data-testid='playbook-template-overview'
                    onChange={(e) => set({templates: {...input.templates, overview: e.target.value}})}/>
            </Field>
            <Field label={intl.formatMessage(messages.statusTemplate)} field='status_update' error={error}>
                <textarea style={styles.textarea} value={input.templates.status_update} disabled={disabled} data-testid='playbook-template-status'
                    onChange={(e) => set({templates: {...input.templates, status_update: e.target.value}})}/>
            </Field>
        </section>
    );
}
