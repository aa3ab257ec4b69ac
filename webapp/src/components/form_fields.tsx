// Small form building blocks of the playbook editor: a labelled field with its inline server error, and a picker of
// several people or channels (chips with Remove buttons, plus a select to add one), all keyboard reachable.
import React from 'react';
import {useIntl} from 'react-intl';
import CloseIcon from '@mattermost/compass-icons/components/close';
import {messages} from '../i18n';
import {styles} from './styles';

/** A server validation error and the field it is about (`form` for the whole form). */
export type FormError = {field: string; text: string};

/** The error of `field`, shown where the field is. */
export function FieldError({error, field}: {error?: FormError; field: string}) {
    if (error?.field !== field) {
        return null;
    }
    return <p role='alert' style={styles.error} data-testid='playbook-field-error' data-field={field}>{error.text}</p>;
}

type FieldProps = {label: string; field: string; error?: FormError; children: React.ReactNode; hint?: string};

/** The label wraps the control, so it names it; the field's error follows it. */
export function Field({label, field, error, children, hint}: FieldProps) {
    return (
        <div style={styles.field}>
            <label style={styles.field}>
                <span style={styles.label}>{label}</span>
                {children}
            </label>
            {hint && <span style={styles.meta}>{hint}</span>}
            <FieldError error={error} field={field}/>
        </div>
    );
}

export type Option = {id: string; label: string};

type PickerProps = {
    label: string;
    options: Option[];
    value: string[];
    disabled?: boolean;
    onChange(ids: string[]): void;
    testid: string;
};

/** Several ids out of `options`: chosen ones as chips (unknown ids shown as they are), the rest in an "Add" select. */
export function MultiPicker({label, options, value, disabled, onChange, testid}: PickerProps) {
    const intl = useIntl();
    const name = (id: string) => options.find((o) => o.id === id)?.label ?? id;
    const rest = options.filter((o) => !value.includes(o.id));
    return (
        <div style={styles.field} data-testid={testid}>
            <span style={styles.label}>{label}</span>
            {value.length > 0 && (
                <ul style={{...styles.list, ...styles.row}}>
                    {value.map((id) => (
                        <li key={id} style={styles.chip} data-testid='picker-chip' data-id={id}>
                            {name(id)}
                            <button type='button' style={styles.iconButton} disabled={disabled}
                                aria-label={intl.formatMessage(messages.removeItem, {name: name(id)})}
                                onClick={() => onChange(value.filter((v) => v !== id))} data-testid='picker-remove'>
                                <CloseIcon size={12}/>
                            </button>
                        </li>
                    ))}
                </ul>
            )}
            <select style={styles.select} value='' disabled={disabled || rest.length === 0}
                aria-label={intl.formatMessage(messages.addItem, {label})}
                onChange={(e) => e.target.value && onChange([...value, e.target.value])} data-testid='picker-add'>
                <option value=''>{intl.formatMessage(messages.addItem, {label})}</option>
                {rest.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
        </div>
    );
}
