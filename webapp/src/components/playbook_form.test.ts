// Unit tests for the playbook form helpers: a stored playbook becomes the input that saves it unchanged, and server
// validation messages are matched to the field they are about.
import {describe, expect, it} from 'vitest';
import {playbook} from '../test_utils';
import {blankInput, errorField, toInput} from './playbook_form';

describe('playbook form', () => {
    it('turns a stored playbook into the input that saves it (ms → s, stored names → input names)', () => {
        const input = toInput(playbook({
            broadcast_channels: ['ch1'], members: ['u1', 'u2'], always_private: true,
            automation: {invite: ['u2'], default_commander: 'u2', announce_channel: 'ch2', create_webhook: 'http://a/b', update_webhook: null, welcome_message: 'Hi'},
            templates: {overview: 'O', status_update: 'S'},
        }));
        expect(input).toEqual({
            title: 'Outage', description: 'When a service is down.',
            checklists: [{title: 'Triage', items: [
                {title: 'Page the DBA', description: '', assignee_ids: [], command: '/page dba', due_after_seconds: 600},
                {title: 'Open a status page', description: 'Public one', assignee_ids: ['u2'], command: null, due_after_seconds: null},
            ]}],
            reminder_seconds: 900, broadcast_channel_ids: ['ch1'], always_private: true, private_channel: false, member_ids: ['u1', 'u2'],
            automation: {
                invite_user_ids: ['u2'], default_commander_id: 'u2', announce_channel_id: 'ch2', create_webhook_url: 'http://a/b',
                update_webhook_url: null, welcome_message: 'Hi',
            },
            templates: {overview: 'O', status_update: 'S'},
        });
        expect(Object.keys(blankInput('X')).sort()).toEqual(Object.keys(input).sort());
    });

    it('finds the field a server message is about', () => {
        const cases: Array<[string, string]> = [
            ['Give the playbook a title.', 'title'],
            ['A playbook title has at most 64 characters.', 'title'],
            ['This team already has a playbook named “Outage”.', 'title'],
            ['Checklist 2 needs a title.', 'checklist-1'],
            ['Task 1.3 needs a title.', 'task-0-2'],
            ['Task 2.1\'s command must be one line starting with `/`, like `/jira create`.', 'task-1-0'],
            ['Task 3.4 can be due at most 30 days after the start.', 'task-2-3'],
            ['The default reminder must be between 60 seconds and 7 days (604800 seconds).', 'reminder'],
            ['The creation webhook URL uses https, which this version cannot send yet', 'create_webhook'],
            ['The status-update webhook URL must start with http://', 'update_webhook'],
            ['The welcome message has 10001 characters; the limit is 10000.', 'welcome'],
            ['A playbook broadcasts to at most 5 channels.', 'broadcast'],
            ['Private incidents are turned off. A system admin can enable them in the System Console.', 'always_private'],
            ['Checklist “Triage” has more than 100 tasks.', 'form'],
            ['No user with id x.', 'form'],
        ];
        expect(cases.map(([text]) => errorField(text))).toEqual(cases.map(([, field]) => field));
    });
});
