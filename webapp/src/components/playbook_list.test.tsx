// Component tests for the playbooks page: the tab, the list with archived ones on request, create (then the editor),
// the System Console's "may not manage" answer, duplicate, archive after confirmation, export links and import.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen, waitFor} from '@testing-library/react';
import {fakeHistory, json, playbook, renderWithHost, stubFetch, type Call} from '../test_utils';
import {IncidentPage} from './incident_page';

const PAGE = '/dev/org.incidentcollab.incidents/incidents';

function setup(route: (call: Call) => Response | undefined = () => undefined, canManage = true) {
    const history = fakeHistory(`${PAGE}/playbooks`);
    const calls = stubFetch((call) => route(call) ?? (call.path.startsWith('/settings?')
        ? json({private_incidents: true, enabled_in_team: true, can_create_playbooks: canManage, default_reminder_ms: 0})
        : call.path.startsWith('/playbooks?')
            ? json(call.path.includes('archived=true')
                ? {items: [playbook({id: 'pb0', title: 'Old drill', archived: true})], total: 1}
                : {items: [playbook()], total: 1})
            : undefined));
    renderWithHost(<IncidentPage/>);
    return {history, calls};
}

afterEach(() => {
    vi.unstubAllGlobals();
    delete window.WebappUtils;
});

describe('playbooks page', () => {
    it('lists the team\'s playbooks with their size and actions, and archived ones on request', async () => {
        const {history, calls} = setup();
        expect(screen.getByTestId('incident-tab-playbooks').getAttribute('aria-current')).toBe('page');
        const item = await screen.findByTestId('playbook-item');
        expect(item.textContent).toContain('Outage');
        expect(item.textContent).toContain('1 checklist · 2 tasks');
        expect(calls.find((c) => c.path.startsWith('/playbooks?'))?.path).toBe('/playbooks?team_id=t1&archived=false&page=0&per_page=50');
        expect(screen.getByTestId('playbook-export').getAttribute('href')).toBe('/plugins/org.incidentcollab.incidents/api/v0/playbooks/pb1/export');

        fireEvent.click(screen.getByTestId('playbook-show-archived'));
        await waitFor(() => expect(screen.getByTestId('playbook-item').textContent).toContain('Old drill'));
        expect(screen.getByTestId('playbook-item').textContent).toContain('Archived');
        expect(screen.queryByTestId('playbook-archive')).toBeNull();

        vi.mocked(history.push).mockImplementation(() => undefined);
        fireEvent.click(screen.getByRole('button', {name: 'Edit Old drill'}));
        expect(history.push).toHaveBeenCalledWith(`${PAGE}/playbooks/pb0`);
        fireEvent.click(screen.getByTestId('incident-tab-incidents'));
        expect(history.push).toHaveBeenLastCalledWith(PAGE);
    });

    it('creates a playbook from a title and opens its editor; a refusal shows the server\'s words', async () => {
        let refuse = true;
        const {history, calls} = setup((c) => {
            if (c.method === 'POST' && c.path === '/playbooks?team_id=t1') {
                return refuse ? json({error: 'invalid', detail: 'This team already has a playbook named “Outage”.'}, 400)
                    : json(playbook({id: 'pb9', title: 'Breach', checklists: []}), 201);
            }
            return c.path === '/playbooks/pb9' ? json(playbook({id: 'pb9', title: 'Breach', checklists: []})) : undefined;
        });
        await screen.findByTestId('playbook-item');
        fireEvent.change(screen.getByTestId('playbook-new-title'), {target: {value: 'Outage'}});
        fireEvent.click(screen.getByTestId('playbook-create'));
        expect((await screen.findByTestId('playbook-notice')).textContent).toBe('This team already has a playbook named “Outage”.');
        refuse = false;
        fireEvent.change(screen.getByTestId('playbook-new-title'), {target: {value: ' Breach '}});
        fireEvent.click(screen.getByTestId('playbook-create'));
        await waitFor(() => expect(history.push).toHaveBeenCalledWith(`${PAGE}/playbooks/pb9`));
        const body = calls.filter((c) => c.method === 'POST').at(-1)?.body as Record<string, unknown>;
        expect(body.title).toBe('Breach');
        expect(Object.keys(body).sort()).toEqual(['always_private', 'automation', 'broadcast_channel_ids', 'checklists', 'description',
            'member_ids', 'private_channel', 'reminder_seconds', 'templates', 'title']);
        expect((await screen.findByTestId('playbook-title') as HTMLInputElement).value).toBe('Breach');
    });

    it('hides create, import, duplicate and archive from people who may not manage playbooks', async () => {
        setup(undefined, false);
        await screen.findByTestId('playbook-item');
        expect(await screen.findByTestId('playbook-cannot-manage')).toBeTruthy();
        for (const id of ['playbook-new-title', 'playbook-import', 'playbook-duplicate', 'playbook-archive']) {
            expect(screen.queryByTestId(id)).toBeNull();
        }
        expect(screen.getByTestId('playbook-export')).toBeTruthy();
    });

    it('duplicates, and archives only after confirmation', async () => {
        const {calls} = setup((c) => {
            if (c.path === '/playbooks/pb1/duplicate') {
                return json(playbook({id: 'pb2', title: 'Copy of Outage'}), 201);
            }
            return c.path === '/playbooks/pb1/archive' ? json(playbook({archived: true})) : undefined;
        });
        await screen.findByTestId('playbook-item');
        await screen.findByTestId('playbook-duplicate');
        fireEvent.click(screen.getByTestId('playbook-duplicate'));
        expect((await screen.findByTestId('playbook-notice')).textContent).toBe('Created “Copy of Outage”.');

        await screen.findByTestId('playbook-item');
        fireEvent.click(screen.getByTestId('playbook-archive'));
        expect(calls.some((c) => c.path.endsWith('/archive'))).toBe(false);
        fireEvent.click(screen.getByTestId('playbook-archive-no'));
        expect(screen.queryByTestId('playbook-archive-confirm')).toBeNull();
        fireEvent.click(screen.getByTestId('playbook-archive'));
        await act(async () => {
            fireEvent.click(screen.getByTestId('playbook-archive-yes'));
        });
        expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/playbooks/pb1/duplicate', '/playbooks/pb1/archive']);
        expect((await screen.findByTestId('playbook-notice')).textContent).toBe('Archived “Outage”.');
    });

    it('imports an exported file and lists what was left out; refuses other files', async () => {
        const {calls} = setup((c) => (c.path === '/playbooks/import?team_id=t1'
            ? json({playbook: playbook({id: 'pb3', title: 'Outage (2)'}), warnings: ['Left out: no user u9']}, 201) : undefined));
        await screen.findByTestId('playbook-item');
        const input = await screen.findByTestId('playbook-import');
        const doc = {format: 'incident-collaboration-playbook', version: 1, playbook: {title: 'Outage'}};
        await act(async () => {
            fireEvent.change(input, {target: {files: [new File([JSON.stringify(doc)], 'outage.json', {type: 'application/json'})]}});
        });
        const notice = await screen.findByTestId('playbook-notice');
        await waitFor(() => expect(notice.textContent).toBe('Imported “Outage (2)”.Left out: no user u9'));
        expect(calls.find((c) => c.path.startsWith('/playbooks/import'))?.body).toEqual(doc);

        await act(async () => {
            fireEvent.change(input, {target: {files: [new File(['{"hello": 1}'], 'x.json')]}});
        });
        await waitFor(() => expect(screen.getByTestId('playbook-notice').textContent).toBe('This file is not a playbook export.'));
        expect(calls.filter((c) => c.path.startsWith('/playbooks/import'))).toHaveLength(1);
    });
});
