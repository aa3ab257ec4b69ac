// The incident's checklists: progress per checklist, check/uncheck, remove and add tasks.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import TrashCanOutlineIcon from '@mattermost/compass-icons/components/trash-can-outline';
import PlusIcon from '@mattermost/compass-icons/components/plus';
import {messages} from '../i18n';
import type {Checklist} from '../types';
import {styles} from './styles';

type Props = {
    checklists: Checklist[];
    disabled: boolean;
    onSet(checklist: number, item: number, done: boolean): void;
    onRemove(checklist: number, item: number): void;
    onAdd(checklist: number, title: string): void;
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

export function Checklists({checklists, disabled, onSet, onRemove, onAdd}: Props) {
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
                                <li key={`${i}-${task.title}`} style={styles.task} data-testid='incident-task' data-done={task.done}>
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
