// The incident's checklists: progress per checklist, check/uncheck, assign, remove and add tasks; under a task its
// description (Markdown), its slash command and when it is due (or overdue), when the playbook gave it those.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import TrashCanOutlineIcon from '@mattermost/compass-icons/components/trash-can-outline';
import PlusIcon from '@mattermost/compass-icons/components/plus';
import {client} from '../client';
import {messages} from '../i18n';
import type {Checklist, Task, UserSummary} from '../types';
import {DATE_TIME, errorText} from './format';
import {Markdown} from './markdown';
import {styles} from './styles';

type Props = {
    checklists: Checklist[];
    /** The current time (ms), for "overdue". */
    now: number;
    /** The incident channel: assignees are picked among its members. */
    channelId: string;
    disabled: boolean;
    name(userId: string | null): string;
    onAssign(checklist: number, item: number, userId: string | null): void;
    onSet(checklist: number, item: number, done: boolean): void;
    onRemove(checklist: number, item: number): void;
    onAdd(checklist: number, title: string): void;
    /** Runs a task's slash command in the incident channel as the user. */
    onRun(command: string): void;
};

function AddTask({index, title, disabled, onAdd}: {index: number; title: string; disabled: boolean; onAdd: Props['onAdd']}) {
    const intl = useIntl();
    const [text, setText] = useState('');
    const submit = (e: React.FormEvent) => {
        e.preventDefault();
        if (text.trim()) {
            onAdd(index, text.trim());
            setText('');
        }
    };
    const label = intl.formatMessage(messages.newTask, {checklist: title});
    return (
        <form style={styles.row} onSubmit={submit} data-testid='incident-add-task'>
            <input
                style={styles.input}
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder={label}
                aria-label={label}
                disabled={disabled}
                data-testid='incident-add-task-input'
            />
            <button type='submit' style={styles.secondaryButton} disabled={disabled || !text.trim()} data-testid='incident-add-task-submit'>
                <PlusIcon size={14}/>{intl.formatMessage(messages.addTask)}
            </button>
        </form>
    );
}

function Assignee({task, channelId, disabled, name, onPick}: {
    task: Task; channelId: string; disabled: boolean; name: Props['name']; onPick(userId: string | null): void;
}) {
    const intl = useIntl();
    const [users, setUsers] = useState<UserSummary[]>();
    const [error, setError] = useState('');
    const label = intl.formatMessage(messages.assign, {title: task.title});
    if (users) {
        return (
            <select
                aria-label={label}
                value={task.assignee_id ?? ''}
                disabled={disabled}
                style={styles.input}
                onChange={(e) => {
                    setUsers(undefined);
                    onPick(e.target.value || null);
                }}
                onBlur={() => setUsers(undefined)}
                data-testid='incident-task-assign-picker'
            >
                <option value=''>{intl.formatMessage(messages.unassigned)}</option>
                {task.assignee_id && !users.some((u) => u.id === task.assignee_id) && (
                    <option value={task.assignee_id}>{`@${name(task.assignee_id)}`}</option>
                )}
                {users.map((u) => <option key={u.id} value={u.id}>{`@${u.username}`}</option>)}
            </select>
        );
    }
    return (
        <button
            type='button'
            style={styles.linkButton}
            disabled={disabled}
            title={error || label}
            aria-label={label}
            onClick={() => client.channelMembers(channelId).then(
                (list) => setUsers(Array.isArray(list) ? list : []),
                (err: unknown) => setError(errorText(err)),
            )}
            data-testid='incident-task-assign'
        >
            {task.assignee_id ? `@${name(task.assignee_id)}` : intl.formatMessage(messages.assignShort)}
        </button>
    );
}

/** The details under a task: nothing when it has none. */
function TaskDetails({task, now, disabled, onRun}: {task: Task; now: number; disabled: boolean; onRun: Props['onRun']}) {
    const intl = useIntl();
    // A done task's due time no longer matters.
    const due = task.done ? null : task.due_at ?? null;
    if (!task.description && !task.command && due === null) {
        return null;
    }
    const overdue = due !== null && due <= now;
    const when = (at: number) => intl.formatDate(at, DATE_TIME);
    return (
        <div style={styles.taskDetails} data-testid='incident-task-details'>
            {task.description && <Markdown text={task.description} style={styles.meta} testid='incident-task-description'/>}
            {task.command && (
                <div style={styles.meta}>
                    {intl.formatMessage(messages.taskRuns)} <code data-testid='incident-task-command'>{task.command}</code>{' '}
                    <button type='button' style={styles.linkButton} disabled={disabled} onClick={() => task.command && onRun(task.command)}
                        aria-label={intl.formatMessage(messages.runCommandLabel, {command: task.command})} data-testid='incident-task-run'>
                        {intl.formatMessage(messages.runCommand)}
                    </button>
                </div>
            )}
            {due !== null && (
                <div role={overdue ? 'alert' : undefined} style={overdue ? styles.warning : styles.meta}
                    data-testid='incident-task-due' data-overdue={overdue}>
                    {intl.formatMessage(overdue ? messages.taskOverdue : messages.taskDueAt, {date: when(due)})}
                </div>
            )}
        </div>
    );
}

export function Checklists({checklists, now, channelId, disabled, name, onAssign, onSet, onRemove, onAdd, onRun}: Props) {
    const intl = useIntl();
    return (
        <section aria-label={intl.formatMessage(messages.checklists)} data-testid='incident-checklists'>
            {checklists.map((list, c) => {
                const done = list.items.filter((t) => t.done).length;
                return (
                    <div key={`${c}-${list.title}`} style={styles.section} data-testid='incident-checklist'>
                        <div style={styles.sectionTitle}>
                            <span>{list.title}</span>
                            <span style={styles.meta} data-testid='incident-checklist-progress'>
                                {intl.formatMessage(messages.progress, {done, total: list.items.length})}
                            </span>
                        </div>
                        <progress style={styles.progress} max={Math.max(1, list.items.length)} value={done}/>
                        {list.items.length === 0 && <p style={styles.muted}>{intl.formatMessage(messages.noTasks)}</p>}
                        <ul style={styles.list}>
                            {list.items.map((task, i) => (
                                <li key={`${i}-${task.title}`} data-testid='incident-task' data-done={task.done}>
                                    <div style={styles.task}>
                                        <label style={styles.taskLabel}>
                                            <input
                                                type='checkbox'
                                                checked={task.done}
                                                disabled={disabled}
                                                onChange={(e) => onSet(c, i, e.target.checked)}
                                                data-testid='incident-task-checkbox'
                                            />
                                            <span style={task.done ? styles.doneText : undefined}>{task.title}</span>
                                        </label>
                                        <Assignee task={task} channelId={channelId} disabled={disabled} name={name} onPick={(u) => onAssign(c, i, u)}/>
                                        <button
                                            type='button'
                                            style={styles.iconButton}
                                            disabled={disabled}
                                            onClick={() => onRemove(c, i)}
                                            aria-label={intl.formatMessage(messages.removeTask, {title: task.title})}
                                            title={intl.formatMessage(messages.removeTask, {title: task.title})}
                                            data-testid='incident-task-remove'
                                        >
                                            <TrashCanOutlineIcon size={14}/>
                                        </button>
                                    </div>
                                    <TaskDetails task={task} now={now} disabled={disabled} onRun={onRun}/>
                                </li>
                            ))}
                        </ul>
                        <AddTask index={c} title={list.title} disabled={disabled} onAdd={onAdd}/>
                    </div>
                );
            })}
        </section>
    );
}
