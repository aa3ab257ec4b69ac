// The playbook editor's form: a `PlaybookInput` built from a stored playbook (as the server's export does), the
// edits the editor makes to its checklists, and which field a server validation error is about (so it shows there).
import type {ChecklistInput, Playbook, PlaybookInput, TaskInput} from '../types';

export const newTask = (title: string): TaskInput => ({title, description: '', assignee_ids: [], command: null, due_after_seconds: null});
export const newChecklist = (title: string): ChecklistInput => ({title, items: []});

/** A new playbook with only a title. */
export const blankInput = (title: string): PlaybookInput => ({
    title, description: '', checklists: [], reminder_seconds: null, broadcast_channel_ids: [], always_private: false,
    private_channel: false, member_ids: [],
    automation: {
        invite_user_ids: [], default_commander_id: null, announce_channel_id: null, create_webhook_url: null,
        update_webhook_url: null, welcome_message: '',
    },
    templates: {overview: '', status_update: ''},
});

const seconds = (ms: number | null | undefined): number | null => (ms ? Math.round(ms / 1000) : null);

/** The input that saves `p` unchanged (server/app/src/playbook_input.rs `of`). */
export function toInput(p: Playbook): PlaybookInput {
    const a = p.automation ?? {};
    return {
        title: p.title,
        description: p.description ?? '',
        checklists: (p.checklists ?? []).map((c) => ({
            title: c.title,
            items: (c.items ?? []).map((t) => ({
                title: t.title, description: t.description ?? '', assignee_ids: t.assignees ?? [], command: t.command ?? null,
                due_after_seconds: seconds(t.due_after_ms),
            })),
        })),
        reminder_seconds: seconds(p.reminder_ms),
        broadcast_channel_ids: p.broadcast_channels ?? [],
        always_private: Boolean(p.always_private),
        private_channel: Boolean(p.private_channel),
        member_ids: p.members ?? [],
        automation: {
            invite_user_ids: a.invite ?? [],
            default_commander_id: a.default_commander ?? null,
            announce_channel_id: a.announce_channel ?? null,
            create_webhook_url: a.create_webhook ?? null,
            update_webhook_url: a.update_webhook ?? null,
            welcome_message: a.welcome_message ?? '',
        },
        templates: {overview: p.templates?.overview ?? '', status_update: p.templates?.status_update ?? ''},
    };
}

/** `list` with the item at `index` replaced by `change(item)`. */
export const replaceAt = <T>(list: T[], index: number, change: (item: T) => T): T[] => list.map((item, i) => (i === index ? change(item) : item));
export const removeAt = <T>(list: T[], index: number): T[] => list.filter((_, i) => i !== index);

/** Field keys the editor shows errors at: `title`, `checklist-<c>`, `task-<c>-<t>` (0-based), `reminder`, …; `form` for the rest. */
export type FieldKey = string;

const RULES: Array<[RegExp, (m: RegExpExecArray) => FieldKey]> = [
    [/^Task (\d+)\.(\d+)\b/, (m) => `task-${Number(m[1]) - 1}-${Number(m[2]) - 1}`],
    [/^Checklist (\d+) /, (m) => `checklist-${Number(m[1]) - 1}`],
    [/playbook a title|playbook title|already has a playbook named/, () => 'title'],
    [/^The description /, () => 'description'],
    [/default reminder/, () => 'reminder'],
    [/broadcasts to at most/, () => 'broadcast'],
    [/^The creation webhook/, () => 'create_webhook'],
    [/^The status-update webhook/, () => 'update_webhook'],
    [/^The welcome message/, () => 'welcome'],
    [/^The overview template/, () => 'overview'],
    [/^The status-update template/, () => 'status_update'],
    [/^The member list/, () => 'members'],
    [/^The invite list/, () => 'invite'],
    [/^Private incidents are turned off/, () => 'always_private'],
];

/** Which field a server validation message (`{error: "invalid", detail}`) is about; `form` when none says. */
export function errorField(detail: string): FieldKey {
    for (const [pattern, field] of RULES) {
        const m = pattern.exec(detail);
        if (m) {
            return field(m);
        }
    }
    return 'form';
}
