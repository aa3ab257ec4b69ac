// Interactive dialogs (open_dialog / window.openInteractiveDialog) as a modal form submitted to /api/v4/actions/dialogs/submit.
import React, {useEffect, useRef, useState, type FormEvent} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {ApiError} from '../../src/client';
import {api} from '../api';
import {actions, type DevState} from '../store';
import type {DialogField, DialogSubmitResponse, OpenDialog} from '../types';

type Value = string | boolean;

const initialValue = (f: DialogField): Value =>
    (f.type === 'bool' ? f.default === true || f.default === 'true' : typeof f.default === 'string' ? f.default : '');

function Field({field, value, error, onChange}: {field: DialogField; value: Value; error?: string; onChange: (v: Value) => void}) {
    const id = `dialog-field-${field.name}`;
    const common = {id, name: field.name, 'aria-invalid': Boolean(error), 'aria-describedby': `${id}-help`, 'data-testid': id};
    let input: React.ReactNode;
    if (field.type === 'bool') {
        input = <input type='checkbox' checked={value === true} onChange={(e) => onChange(e.target.checked)} {...common}/>;
    } else if (field.type === 'textarea') {
        input = <textarea value={String(value)} placeholder={field.placeholder} required={!field.optional}
            maxLength={field.max_length || undefined} onChange={(e) => onChange(e.target.value)} {...common}/>;
    } else if (field.type === 'select' || field.type === 'radio') {
        input = (
            <select value={String(value)} required={!field.optional} onChange={(e) => onChange(e.target.value)} {...common}>
                <option value=''>{field.placeholder || 'Select an option'}</option>
                {(field.options ?? []).map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
            </select>
        );
    } else {
        const type = ['email', 'number', 'password', 'tel', 'url'].includes(field.subtype) ? field.subtype : 'text';
        input = <input type={type} value={String(value)} placeholder={field.placeholder} required={!field.optional}
            maxLength={field.max_length || undefined} onChange={(e) => onChange(e.target.value)} {...common}/>;
    }
    return (
        <div className='dh-dialog-field'>
            <label htmlFor={id}>{field.display_name}{field.optional ? ' (optional)' : ''}</label>
            {input}
            <div id={`${id}-help`} className='dh-muted'>{field.help_text}</div>
            {error && <div role='alert' className='dh-error' data-testid={`dialog-field-error-${field.name}`}>{error}</div>}
        </div>
    );
}

function DialogForm({open}: {open: OpenDialog}) {
    const dispatch = useDispatch();
    const {dialog} = open;
    const fields = dialog.elements ?? [];
    const [values, setValues] = useState<Record<string, Value>>(() => Object.fromEntries(fields.map((f) => [f.name, initialValue(f)])));
    const [errors, setErrors] = useState<Record<string, string>>({});
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const first = useRef<HTMLFormElement>(null);

    useEffect(() => {
        first.current?.querySelector<HTMLElement>('input, textarea, select, button')?.focus();
    }, []);

    const submit = async (cancelled: boolean) => {
        setBusy(true);
        setError('');
        const submission = Object.fromEntries(fields.map((f) => [f.name, values[f.name] === '' ? null : values[f.name]]));
        const body = {
            url: open.url, callback_id: dialog.callback_id, state: dialog.state ?? '', submission: cancelled ? {} : submission,
            cancelled, channel_id: open.channel_id, team_id: open.team_id,
        };
        try {
            const result = await api.submitDialog(body);
            if (!cancelled && (result?.error || (result?.errors && Object.keys(result.errors).length))) {
                setError(result.error ?? '');
                setErrors(result.errors ?? {});
            } else {
                dispatch(actions.closeDialog());
            }
        } catch (err) {
            const answer = err instanceof ApiError ? (err.body as DialogSubmitResponse | undefined) : undefined;
            setErrors(answer?.errors ?? {});
            setError(answer?.error ?? (err instanceof Error ? err.message : String(err)));
        } finally {
            setBusy(false);
        }
    };

    const cancel = () => {
        if (dialog.notify_on_cancel) {
            submit(true);
        } else {
            dispatch(actions.closeDialog());
        }
    };
    const onSubmit = (e: FormEvent) => {
        e.preventDefault();
        submit(false);
    };

    return (
        <div className='dh-modal-backdrop'>
            <form ref={first} role='dialog' aria-modal='true' aria-labelledby='dh-dialog-title' className='dh-modal' data-testid='dialog'
                onSubmit={onSubmit} onKeyDown={(e) => e.key === 'Escape' && cancel()} noValidate>
                <h2 id='dh-dialog-title'>{dialog.title}</h2>
                {dialog.introduction_text && <p>{dialog.introduction_text}</p>}
                {fields.map((f) => (
                    <Field key={f.name} field={f} value={values[f.name]} error={errors[f.name]}
                        onChange={(v) => setValues({...values, [f.name]: v})}/>
                ))}
                {error && <p role='alert' className='dh-error' data-testid='dialog-error'>{error}</p>}
                <div className='dh-modal-buttons'>
                    <button type='button' onClick={cancel} disabled={busy} data-testid='dialog-cancel'>Cancel</button>
                    <button type='submit' className='dh-primary' disabled={busy} data-testid='dialog-submit'>{dialog.submit_label || 'Submit'}</button>
                </div>
            </form>
        </div>
    );
}

export function InteractiveDialog() {
    const open = useSelector((s: DevState) => s.devhost.dialog);
    return open ? <DialogForm key={`${open.trigger_id ?? ''}:${open.dialog.callback_id}`} open={open}/> : null;
}
