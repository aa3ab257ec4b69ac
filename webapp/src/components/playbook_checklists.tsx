// The checklists part of the playbook editor: add, rename and remove checklists; add, rename and remove tasks, each
// with an optional description, slash command, due time and default assignees (team members; the first owns the task
// in each new incident and all are invited). Server errors about a checklist or task show at it.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import PlusIcon from '@mattermost/compass-icons/components/plus';
import TrashCanOutlineIcon from '@mattermost/compass-icons/components/trash-can-outline';
import {messages} from '../i18n';
import type {ChecklistInput, TaskInput} from '../types';
import {FieldError, MultiPicker, type FormError, type Option} from './form_fields';
import {newChecklist, newTask, removeAt, replaceAt} from './playbook_form';
import {styles} from './styles';

type Props = {
    checklists: ChecklistInput[];
    users: Option[];
    disabled: boolean;
    error?: FormError;
    onChange(checklists: ChecklistInput[]): void;
};

/** One line with a text box and an Add button; Enter adds too. */
function AddLine({label, button, disabled, onAdd, testid}: {label: string; button: string; disabled: boolean; onAdd(text: string): void; testid: string}) {
    const [text, setText] = useState('');
    return (
        <form style={styles.row} onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) {
                onAdd(text.trim());
                setText('');
            }
        }}>
            <input style={styles.input} value={text} disabled={disabled} placeholder={label} aria-label={label}
                onChange={(e) => setText(e.target.value)} data-testid={`${testid}-input`}/>
            <button type='submit' style={styles.secondaryButton} disabled={disabled || !text.trim()} data-testid={testid}>
                <PlusIcon size={14}/>{button}
            </button>
        </form>
    );
}

function TaskRow({task, field, users, disabled, error, onChange, onRemove}: {
    task: TaskInput; field: string; users: Option[]; disabled: boolean; error?: FormError; onChange(t: TaskInput): void; onRemove(): void;
}) {
    const intl = useIntl();
    const due = task.due_after_seconds ? String(task.due_after_seconds / 60) : '';
    return (
        <li style={{...styles.item, padding: '6px 0'}} data-testid='playbook-task'>
            <div style={styles.row}>
                <input style={styles.input} value={task.title} disabled={disabled} aria-label={intl.formatMessage(messages.taskTitle)}
                    onChange={(e) => onChange({...task, title: e.target.value})} data-testid='playbook-task-title'/>
                <button type='button' style={styles.iconButton} disabled={disabled} onClick={onRemove}
                    aria-label={intl.formatMessage(messages.removeTask, {title: task.title})} data-testid='playbook-task-remove'>
                    <TrashCanOutlineIcon size={14}/>
                </button>
            </div>
            <div style={styles.row}>
                <input style={styles.input} value={task.command ?? ''} disabled={disabled} placeholder={intl.formatMessage(messages.taskCommand)}
                    aria-label={intl.formatMessage(messages.taskCommand)} data-testid='playbook-task-command'
                    onChange={(e) => onChange({...task, command: e.target.value || null})}/>
                <input style={styles.narrowInput} type='number' min={0} step={1} value={due} disabled={disabled}
                    placeholder={intl.formatMessage(messages.taskDue)} aria-label={intl.formatMessage(messages.taskDue)} data-testid='playbook-task-due'
                    onChange={(e) => onChange({...task, due_after_seconds: e.target.value ? Math.round(Number(e.target.value) * 60) : null})}/>
            </div>
            <textarea style={{...styles.textarea, width: '100%', boxSizing: 'border-box', minHeight: 40}} rows={2} value={task.description} disabled={disabled}
                placeholder={intl.formatMessage(messages.taskDescription)} aria-label={intl.formatMessage(messages.taskDescription)}
                onChange={(e) => onChange({...task, description: e.target.value})} data-testid='playbook-task-description'/>
            <MultiPicker label={intl.formatMessage(messages.taskAssignees)} options={users} value={task.assignee_ids} disabled={disabled}
                onChange={(ids) => onChange({...task, assignee_ids: ids})} testid='playbook-task-assignees'/>
            <FieldError error={error} field={field}/>
        </li>
    );
}

export function PlaybookChecklists({checklists, users, disabled, error, onChange}: Props) {
    const intl = useIntl();
    const setList = (c: number, change: (list: ChecklistInput) => ChecklistInput) => onChange(replaceAt(checklists, c, change));
    return (
        <section style={styles.section} aria-label={intl.formatMessage(messages.checklists)} data-testid='playbook-checklists'>
            <h4 style={styles.sectionTitle}>{intl.formatMessage(messages.checklists)}</h4>
            {checklists.length === 0 && <p style={styles.muted}>{intl.formatMessage(messages.noChecklists)}</p>}
            {checklists.map((list, c) => (
                <fieldset key={c} style={styles.box} aria-label={list.title} data-testid='playbook-checklist'>
                    <div style={styles.row}>
                        <input style={{...styles.input, fontWeight: 600}} value={list.title} disabled={disabled}
                            aria-label={intl.formatMessage(messages.checklistTitle)} data-testid='playbook-checklist-title'
                            onChange={(e) => setList(c, (l) => ({...l, title: e.target.value}))}/>
                        <button type='button' style={styles.iconButton} disabled={disabled} onClick={() => onChange(removeAt(checklists, c))}
                            aria-label={intl.formatMessage(messages.removeChecklist, {title: list.title})} data-testid='playbook-checklist-remove'>
                            <TrashCanOutlineIcon size={16}/>
                        </button>
                    </div>
                    <FieldError error={error} field={`checklist-${c}`}/>
                    {list.items.length === 0 && <p style={styles.muted}>{intl.formatMessage(messages.noTasks)}</p>}
                    <ul style={styles.list}>
                        {list.items.map((task, t) => (
                            <TaskRow key={t} task={task} field={`task-${c}-${t}`} users={users} disabled={disabled} error={error}
                                onChange={(next) => setList(c, (l) => ({...l, items: replaceAt(l.items, t, () => next)}))}
                                onRemove={() => setList(c, (l) => ({...l, items: removeAt(l.items, t)}))}/>
                        ))}
                    </ul>
                    <AddLine label={intl.formatMessage(messages.newTask, {checklist: list.title})} button={intl.formatMessage(messages.addTask)}
                        disabled={disabled} testid='playbook-add-task'
                        onAdd={(title) => setList(c, (l) => ({...l, items: [...l.items, newTask(title)]}))}/>
                </fieldset>
            ))}
            <AddLine label={intl.formatMessage(messages.newChecklist)} button={intl.formatMessage(messages.addChecklist)}
                disabled={disabled} testid='playbook-add-checklist' onAdd={(title) => onChange([...checklists, newChecklist(title)])}/>
        </section>
    );
}
