// Component tests for the playbook editor: every part edits the `PlaybookInput` that PUT saves (title, description,
// checklists and tasks, preferences, automation, members), server validation errors show at their field, and
// archived playbooks, missing ones and people who may not manage playbooks get what they should.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen, waitFor, within} from '@testing-library/react';
import {fakeHistory, json, playbook, renderWithHost, stubFetch, type Call} from '../test_utils';
import type {Playbook, PlaybookInput} from '../types';
import {IncidentPage} from './incident_page';

const PAGE = '/dev/org.incidentcollab.incidents/incidents/playbooks/pb1';
const users = [{id: 'u1', username: 'alice'}, {id: 'u2', username: 'bob'}];
const channels = [{id: 'ch1', name: 'town-square', display_name: 'Town Square'}, {id: 'ch2', name: 'ops', display_name: 'Ops'}];

function setup(opts: {stored?: Playbook; canManage?: boolean; put?: (input: PlaybookInput) => Response} = {}) {
    fakeHistory(PAGE);
    const calls = stubFetch((c: Call) => {
        if (c.path.startsWith('/settings?')) {
            return json({private_incidents: false, enabled_in_team: true, can_create_playbooks: opts.canManage ?? true, default_reminder_ms: 0});
        }
        if (c.path.includes('/api/v4/users?')) {
            return json(users);
        }
        if (c.path.includes('/api/v4/teams/t1/channels')) {
            return json(channels);
        }
        if (c.path === '/playbooks/pb1' && c.method === 'PUT') {
            const input = c.body as PlaybookInput;
            return opts.put ? opts.put(input) : json(playbook({
                title: input.title, checklists: input.checklists.map((l) => ({title: l.title, items: l.items.map((t) => ({
                    title: t.title, description: t.description, assignees: t.assignee_ids, command: t.command,
                    due_after_ms: t.due_after_seconds ? t.due_after_seconds * 1000 : null,
                }))})), updated_at: 2,
            }));
        }
        return c.path === '/playbooks/pb1' ? (opts.stored ? json(opts.stored) : json({error: 'not_found', detail: 'No playbook found.'}, 404)) : undefined;
    });
    renderWithHost(<IncidentPage/>);
    return calls;
}

const put = (calls: Call[]) => calls.filter((c) => c.method === 'PUT').at(-1)?.body as PlaybookInput;
const change = (el: HTMLElement, value: string) => fireEvent.change(el, {target: {value}});

afterEach(() => {
    vi.unstubAllGlobals();
    delete window.WebappUtils;
});

describe('playbook editor', () => {
    it('edits title, checklists and tasks, preferences, automation and members, and saves them with PUT', async () => {
        const calls = setup({stored: playbook()});
        const title = await screen.findByTestId('playbook-title') as HTMLInputElement;
        await waitFor(() => expect(title.disabled).toBe(false));
        expect((screen.getByTestId('playbook-save') as HTMLButtonElement).disabled).toBe(true);
        change(title, 'Major outage');
        change(screen.getByTestId('playbook-description'), 'Big one.');

        const triage = screen.getByTestId('playbook-checklist');
        change(within(triage).getByTestId('playbook-checklist-title'), 'Triage first');
        const tasks = within(triage).getAllByTestId('playbook-task');
        expect((within(tasks[0]).getByTestId('playbook-task-command') as HTMLInputElement).value).toBe('/page dba');
        expect((within(tasks[0]).getByTestId('playbook-task-due') as HTMLInputElement).value).toBe('10');
        change(within(tasks[1]).getByTestId('playbook-task-command'), '/statuspage open');
        const description = within(tasks[1]).getByTestId('playbook-task-description') as HTMLTextAreaElement;
        expect(description.value).toBe('Public one');
        change(description, 'Public one, **then** tweet');
        const assignees = within(tasks[1]).getByTestId('playbook-task-assignees');
        expect(within(assignees).getAllByTestId('picker-chip').map((c) => c.textContent)).toEqual(['@bob']);
        await waitFor(() => expect(within(assignees).getAllByRole('option').map((o) => o.textContent)).toContain('@alice'));
        change(within(assignees).getByTestId('picker-add'), 'u1');
        fireEvent.click(within(tasks[0]).getByTestId('playbook-task-remove'));

        change(screen.getByTestId('playbook-add-checklist-input'), 'Comms');
        fireEvent.click(screen.getByTestId('playbook-add-checklist'));
        const comms = screen.getAllByTestId('playbook-checklist')[1];
        for (const task of ['Tell support', 'Tweet']) {
            change(within(comms).getByTestId('playbook-add-task-input'), task);
            fireEvent.submit(within(comms).getByTestId('playbook-add-task-input'));
        }

        change(screen.getByTestId('playbook-reminder'), '30');
        fireEvent.click(screen.getByTestId('playbook-private-channel'));
        expect((screen.getByTestId('playbook-always-private') as HTMLInputElement).disabled).toBe(true);
        await waitFor(() => expect(within(screen.getByTestId('playbook-broadcast')).getAllByRole('option')).toHaveLength(3));
        change(within(screen.getByTestId('playbook-broadcast')).getByTestId('picker-add'), 'ch2');
        change(screen.getByTestId('playbook-announce'), 'ch1');
        change(screen.getByTestId('playbook-create-webhook'), 'http://hooks.internal/x');
        change(screen.getByTestId('playbook-default-commander'), 'u2');
        change(within(screen.getByTestId('playbook-invitees')).getByTestId('picker-add'), 'u2');
        change(screen.getByTestId('playbook-welcome'), 'Welcome!');
        const members = screen.getByTestId('playbook-members');
        expect(within(members).getAllByTestId('picker-chip').map((c) => c.textContent)).toEqual(['@alice']);
        change(within(members).getByTestId('picker-add'), 'u2');
        expect(screen.getByTestId('playbook-unsaved')).toBeTruthy();

        await act(async () => {
            fireEvent.click(screen.getByTestId('playbook-save'));
        });
        expect(put(calls)).toEqual({
            title: 'Major outage', description: 'Big one.',
            checklists: [
                {title: 'Triage first', items: [
                    {
                        title: 'Open a status page', description: 'Public one, **then** tweet', assignee_ids: ['u2', 'u1'],
                        command: '/statuspage open', due_after_seconds: null,
                    },
                ]},
                {title: 'Comms', items: ['Tell support', 'Tweet'].map((t) => ({title: t, description: '', assignee_ids: [], command: null, due_after_seconds: null}))},
            ],
            reminder_seconds: 1800, broadcast_channel_ids: ['ch2'], always_private: false, private_channel: true, member_ids: ['u1', 'u2'],
            automation: {
                invite_user_ids: ['u2'], default_commander_id: 'u2', announce_channel_id: 'ch1', create_webhook_url: 'http://hooks.internal/x',
                update_webhook_url: null, welcome_message: 'Welcome!',
            },
            templates: {overview: '', status_update: ''},
        });
        expect(screen.getByTestId('playbook-saved').textContent).toBe('Saved.');
        expect((screen.getByTestId('playbook-save') as HTMLButtonElement).disabled).toBe(true);
        expect(screen.getAllByTestId('playbook-task-title').map((t) => (t as HTMLInputElement).value)).toEqual(['Open a status page', 'Tell support', 'Tweet']);
    });

    it('shows a server validation error at the task it names, and at Save', async () => {
        setup({stored: playbook(), put: () => json({error: 'invalid', detail: 'Task 1.2\'s command must be one line starting with `/`, like `/jira create`.'}, 400)});
        const task = (await screen.findAllByTestId('playbook-task'))[1];
        await waitFor(() => expect((screen.getByTestId('playbook-title') as HTMLInputElement).disabled).toBe(false));
        change(within(task).getByTestId('playbook-task-command'), 'statuspage');
        await act(async () => {
            fireEvent.click(screen.getByTestId('playbook-save'));
        });
        const inline = within(task).getByTestId('playbook-field-error');
        expect(inline.dataset.field).toBe('task-0-1');
        expect(inline.textContent).toContain('must be one line starting with `/`');
        expect(screen.getByTestId('playbook-save-error').textContent).toMatch(/^Not saved: Task 1.2's command/);
        expect(screen.getAllByTestId('playbook-field-error')).toHaveLength(1);
    });

    it('shows a title error at the title', async () => {
        setup({stored: playbook(), put: () => json({error: 'invalid', detail: 'This team already has a playbook named “Drill”.'}, 400)});
        const title = await screen.findByTestId('playbook-title');
        await waitFor(() => expect((title as HTMLInputElement).disabled).toBe(false));
        change(title, 'Drill');
        await act(async () => {
            fireEvent.click(screen.getByTestId('playbook-save'));
        });
        expect(screen.getByTestId('playbook-field-error').dataset.field).toBe('title');
    });

    it('is read-only when archived, or for people who may not manage playbooks', async () => {
        setup({stored: playbook({archived: true})});
        expect((await screen.findByTestId('playbook-archived')).textContent).toBe('This playbook is archived and cannot be changed.');
        await act(async () => undefined);
        expect((screen.getByTestId('playbook-title') as HTMLInputElement).disabled).toBe(true);
        expect(screen.queryByTestId('playbook-archive')).toBeNull();
    });

    it('is read-only for people who may not manage playbooks', async () => {
        setup({stored: playbook(), canManage: false});
        expect(await screen.findByTestId('playbook-cannot-manage')).toBeTruthy();
        expect((screen.getByTestId('playbook-title') as HTMLInputElement).disabled).toBe(true);
        expect((screen.getByTestId('playbook-add-checklist-input') as HTMLInputElement).disabled).toBe(true);
    });

    it('says when there is no such playbook (or it is not shared with the user)', async () => {
        setup();
        expect((await screen.findByTestId('playbook-not-found')).textContent).toContain('No playbook found');
        expect(screen.getByTestId('playbook-back')).toBeTruthy();
    });
});
