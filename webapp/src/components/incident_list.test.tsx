// Component tests for the team's incident list page: the search read from and written to the URL, server paging with
// "x–y of total", the debounced search box, status/commander/sort filters (commanders from the team's users), the
// empty states ("no incidents" vs "no match"), errors with retry, and the stats cards.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen, waitFor} from '@testing-library/react';
import {fakeHistory, json, renderWithHost, row, stubFetch, type Call} from '../test_utils';
import {IncidentPage} from './incident_page';

const PAGE = '/dev/org.incidentcollab.incidents/incidents';
const incidents = ['Database down', 'Disk full', 'DNS flapping', 'Cache cold', 'Queue stuck'].map((name, n) => ({
    ...row, id: `i${n}`, name, is_private: false, reference: `INC-0000${n}`, commander_id: n % 2 ? 'u2' : 'u1',
    status: n === 3 ? 'ended' as const : 'active' as const,
}));
const users = [{id: 'u1', username: 'alice'}, {id: 'u2', username: 'bob'}];

/** A server that filters by q/status/commander and pages like the plugin; also answers users, stats and playbooks. */
function server(over: (call: Call) => Response | undefined = () => undefined) {
    return stubFetch((call) => {
        const answer = over(call);
        if (answer) {
            return answer;
        }
        if (call.path.includes('/api/v4/users?')) {
            return json(users);
        }
        if (call.path.startsWith('/incidents?')) {
            const p = new URLSearchParams(call.path.split('?')[1]);
            const q = (p.get('q') ?? '').toLowerCase();
            let items = incidents.filter((i) => i.name.toLowerCase().includes(q) &&
                (!p.get('status') || i.status === p.get('status')) && (!p.get('commander_id') || i.commander_id === p.get('commander_id')));
            if (p.get('sort') === 'name') {
                items = [...items].sort((a, b) => a.name.localeCompare(b.name));
            }
            const per = Number(p.get('per_page'));
            const page = Number(p.get('page'));
            return json({items: items.slice(page * per, page * per + per), total: items.length});
        }
        if (call.path.startsWith('/stats?')) {
            return json({active: 4, ended: 1, mean_time_to_resolve_ms: 2 * 3600000 + 5 * 60000, per_playbook: [
                {playbook_id: null, active: 3, ended: 0, mean_time_to_resolve_ms: null},
                {playbook_id: 'pb1', active: 1, ended: 1, mean_time_to_resolve_ms: 600000},
            ]});
        }
        if (call.path.startsWith('/playbooks?')) {
            return json({items: call.path.includes('archived=false') ? [{id: 'pb1', title: 'Outage', checklists: []}] : [], total: 1});
        }
        return undefined;
    });
}

const searches = (calls: Call[]) => calls.filter((c) => c.path.startsWith('/incidents?')).map((c) => new URLSearchParams(c.path.split('?')[1]));
const names = () => screen.getAllByTestId('incident-item-name').map((e) => e.textContent);

afterEach(() => {
    vi.unstubAllGlobals();
    delete window.WebappUtils;
});

describe('incident list page', () => {
    it('takes its search from the URL, pages on the server with "x–y of total", and keeps the URL in step', async () => {
        const history = fakeHistory(PAGE, '?status=active&per_page=2');
        const calls = server();
        renderWithHost(<IncidentPage/>);
        await screen.findByTestId('incident-list');
        expect(names()).toEqual(['Database down', 'Disk full']);
        expect(screen.getByTestId('pager-range').textContent).toBe('1–2 of 4');
        expect((screen.getByTestId('pager-prev') as HTMLButtonElement).disabled).toBe(true);
        const first = searches(calls)[0];
        expect([first.get('team_id'), first.get('status'), first.get('per_page'), first.get('page')]).toEqual(['t1', 'active', '2', '0']);

        fireEvent.click(screen.getByTestId('pager-next'));
        await waitFor(() => expect(names()).toEqual(['DNS flapping', 'Queue stuck']));
        expect(screen.getByTestId('pager-range').textContent).toBe('3–4 of 4');
        expect((screen.getByTestId('pager-next') as HTMLButtonElement).disabled).toBe(true);
        expect(history.location.search).toBe('?status=active&page=1&per_page=2');
        fireEvent.click(screen.getByTestId('pager-prev'));
        await waitFor(() => expect(names()).toEqual(['Database down', 'Disk full']));
        expect(history.location.search).toBe('?status=active&per_page=2');
    });

    it('searches once typing pauses, from the first page, and Enter searches at once', async () => {
        fakeHistory(PAGE, '?page=1&per_page=2');
        const calls = server();
        renderWithHost(<IncidentPage/>);
        await screen.findByTestId('incident-list');
        const before = searches(calls).length;
        fireEvent.change(screen.getByTestId('incident-search'), {target: {value: 'dis'}});
        expect(searches(calls)).toHaveLength(before);
        await waitFor(() => expect(names()).toEqual(['Disk full']));
        const last = searches(calls).at(-1);
        expect([last?.get('q'), last?.get('page')]).toEqual(['dis', '0']);

        fireEvent.change(screen.getByTestId('incident-search'), {target: {value: 'queue'}});
        fireEvent.submit(screen.getByRole('search'));
        expect(searches(calls).at(-1)?.get('q')).toBe('queue');
        expect(await screen.findByText('Queue stuck')).toBeTruthy();
    });

    it('filters by status and by commander (the team\'s users), sorts, and says when nothing matches', async () => {
        fakeHistory(PAGE);
        const calls = server();
        renderWithHost(<IncidentPage/>);
        await screen.findByTestId('incident-list');
        expect(screen.getAllByTestId('incident-item')[1].textContent).toContain('INC-00001 · Commander @bob');

        fireEvent.change(screen.getByTestId('incident-filter-status'), {target: {value: 'ended'}});
        await waitFor(() => expect(names()).toEqual(['Cache cold']));
        expect(calls.some((c) => c.path.includes('/api/v4/users?in_team=t1'))).toBe(true);
        const picker = screen.getByTestId('incident-filter-commander') as HTMLSelectElement;
        expect([...picker.options].map((o) => o.text)).toEqual(['Any commander', '@alice', '@bob']);
        fireEvent.change(picker, {target: {value: 'u1'}});
        const empty = await screen.findByTestId('incident-empty');
        expect(empty.textContent).toBe('No incidents match these filters.');
        expect(searches(calls).at(-1)?.get('commander_id')).toBe('u1');

        fireEvent.click(screen.getByTestId('incident-clear-filters'));
        await screen.findByTestId('incident-list');
        fireEvent.change(screen.getByTestId('incident-sort'), {target: {value: 'name'}});
        await waitFor(() => expect(names()[0]).toBe('Cache cold'));
        expect(searches(calls).at(-1)?.get('sort')).toBe('name');
        expect(searches(calls).at(-1)?.get('status')).toBeNull();
    });

    it('says the team has no incidents when nothing narrows the list', async () => {
        fakeHistory(PAGE);
        server((c) => (c.path.startsWith('/incidents?') ? json({items: [], total: 0}) : undefined));
        renderWithHost(<IncidentPage/>);
        expect((await screen.findByTestId('incident-empty')).textContent).toBe('No incidents in this team.');
        expect(screen.queryByTestId('incident-clear-filters')).toBeNull();
    });

    it('shows an error with a working retry', async () => {
        fakeHistory(PAGE);
        let fail = true;
        server((c) => (c.path.startsWith('/incidents?') && fail ? json({error: 'unavailable', detail: 'KV store is down'}, 503) : undefined));
        renderWithHost(<IncidentPage/>);
        expect((await screen.findByTestId('incident-error')).textContent).toContain('KV store is down');
        fail = false;
        fireEvent.click(screen.getByText('Retry'));
        expect(await screen.findByTestId('incident-list')).toBeTruthy();
    });

    it('shows the stats: active, ended, mean time to resolve, and per playbook by title', async () => {
        fakeHistory(PAGE);
        server();
        renderWithHost(<IncidentPage/>);
        const stats = await screen.findByTestId('incident-stats');
        expect(screen.getByTestId('incident-stats-active').textContent).toBe('Active4');
        expect(screen.getByTestId('incident-stats-ended').textContent).toBe('Ended1');
        expect(screen.getByTestId('incident-stats-mttr').textContent).toBe('Mean time to resolve2h 5m');
        await waitFor(() => expect(stats.textContent).toContain('Outage'));
        const rows = screen.getAllByTestId('incident-stats-playbook').map((r) => r.textContent);
        expect(rows).toEqual(['Without a playbook3 active · 0 ended · resolved in —', 'Outage1 active · 1 ended · resolved in 10m']);
    });

    it('says when the stats cannot be loaded, and the list still works', async () => {
        fakeHistory(PAGE);
        server((c) => (c.path.startsWith('/stats?') ? json({error: 'forbidden', detail: 'Not in this team'}, 403) : undefined));
        renderWithHost(<IncidentPage/>);
        expect((await screen.findByTestId('incident-stats-error')).textContent).toContain('Not in this team');
        expect(await screen.findByTestId('incident-list')).toBeTruthy();
        await act(async () => undefined);
    });
});
