// Component tests for the incident view in the RHS: summary, checklists, commander picker, timeline filter,
// End / Restart with confirmation, live deltas (refetch only when newer), and "your incidents" outside incident channels.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, render, screen, within} from '@testing-library/react';
import {Provider} from 'react-redux';
import {IntlProvider} from 'react-intl';
import {combineReducers, legacy_createStore} from 'redux';
import {incidentDelta, incidentsChanged, reducer} from '../reducer';
import {detail as baseDetail, row, task} from '../test_utils';
import type {Incident, IncidentDetail, TimelineItem} from '../types';
import {RHS} from './rhs';

/** The shared fixture, with its status update overdue by a minute. */
const detail = (over: Partial<IncidentDetail> = {}) => baseDetail({update_due_at: Date.now() - 60000, ...over});

const timeline: TimelineItem[] = [
    {at: 1, kind: 'incident_created', actor_id: 'u1', subject_id: null, summary: ''},
    {at: 2, kind: 'task_checked', actor_id: 'u2', subject_id: null, summary: 'Page DBA'},
    {at: 3, kind: 'commander_changed', actor_id: 'u1', subject_id: 'u2', summary: ''},
];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status});

type Routes = {list?: Incident[]; mine?: Incident[]; detail?: () => IncidentDetail; action?: (url: string, body: unknown) => Response};

function stubFetch(routes: Routes) {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
        const body = init?.body ? JSON.parse(String(init.body)) : undefined;
        const method = init?.method ?? 'GET';
        if (url.includes('/health')) {
            return json({status: 'ok'});
        }
        if (url.includes('/incidents?') && url.includes('member_id=')) {
            return json({items: routes.mine ?? [], total: (routes.mine ?? []).length});
        }
        if (url.includes('/incidents?')) {
            return json({items: routes.list ?? [row], total: (routes.list ?? [row]).length});
        }
        if (url.includes('/api/v4/users')) {
            return json([{id: 'u1', username: 'alice'}, {id: 'u2', username: 'bob'}]);
        }
        if (url.endsWith('/timeline')) {
            return json(timeline);
        }
        if (method !== 'GET' && routes.action) {
            return routes.action(url, body);
        }
        if (url.match(/\/incidents\/[a-z0-9]+$/) && method === 'GET') {
            return json((routes.detail ?? detail)());
        }
        return json({text: ''});
    });
    vi.stubGlobal('fetch', fetchMock);
    return fetchMock;
}

function renderRHS(channelId = 'c1') {
    const entities = (state = {
        channels: {currentChannelId: channelId},
        teams: {currentTeamId: 't1'},
        users: {currentUserId: 'u1', profiles: {u1: {id: 'u1', username: 'alice'}, u2: {id: 'u2', username: 'bob'}}},
    }) => state;
    const store = legacy_createStore(combineReducers({entities, 'plugins-org.incidentcollab.incidents': reducer}));
    render(
        <Provider store={store}>
            <IntlProvider locale='en'>
                <RHS/>
            </IntlProvider>
        </Provider>,
    );
    return store;
}

const calls = (m: ReturnType<typeof stubFetch>, pred: (url: string, method: string) => boolean) =>
    m.mock.calls.filter(([url, init]) => pred(url, (init as RequestInit | undefined)?.method ?? 'GET'));

afterEach(() => vi.unstubAllGlobals());

describe('incident view', () => {
    it('shows the summary, commander, description, overdue update and checklist progress', async () => {
        stubFetch({});
        renderRHS();
        const view = await screen.findByTestId('incident-detail');
        expect(screen.getByTestId('incident-name').textContent).toBe('Database down');
        expect(screen.getByTestId('incident-private')).toBeTruthy();
        expect(screen.getByTestId('incident-status').textContent).toBe('Active');
        expect(view.textContent).toContain('Running for 1h 5m');
        expect(screen.getByTestId('incident-commander').textContent).toBe('@alice');
        expect(screen.getByTestId('incident-description').textContent).toBe('Primary is gone');
        expect(screen.getByTestId('incident-last-update').getAttribute('data-overdue')).toBe('true');
        expect(screen.getByTestId('incident-last-update').textContent).toContain('@bob');
        expect(screen.getByRole('alert').textContent).toContain('Update overdue');
        expect(screen.getByTestId('incident-checklist-progress').textContent).toBe('1/2');
        const boxes = screen.getAllByTestId('incident-task-checkbox') as HTMLInputElement[];
        expect(boxes.map((b) => b.checked)).toEqual([true, false]);
    });

    it('shows a task\'s description, command and due time under it, overdue ones as alerts, none for a done task', async () => {
        const hour = 3600000;
        stubFetch({detail: () => detail({update_due_at: null, checklists: [{title: 'Triage', items: [
            task('Page DBA', {description: 'Call the **on-call** DBA\nthen the backup', due_at: Date.now() - hour}),
            task('Fail over', {command: '/failover start', due_at: Date.now() + hour}),
            task('Tell support', {done: true, due_at: Date.now() - hour}),
            task('Plain'),
        ]}]})});
        renderRHS();
        await screen.findByTestId('incident-detail');
        const tasks = screen.getAllByTestId('incident-task');
        const details = tasks.map((t) => within(t).queryByTestId('incident-task-details'));
        expect(details.map(Boolean)).toEqual([true, true, false, false]);
        expect(within(tasks[0]).getByTestId('incident-task-description').textContent).toBe('Call the **on-call** DBA\nthen the backup');
        const due = tasks.map((t) => within(t).queryByTestId('incident-task-due'));
        expect(due[0]?.getAttribute('data-overdue')).toBe('true');
        expect(due[0]?.textContent).toMatch(/^Overdue since /);
        expect(due[1]?.getAttribute('data-overdue')).toBe('false');
        expect(due[1]?.textContent).toMatch(/^Due /);
        expect(within(tasks[1]).getByTestId('incident-task-command').textContent).toBe('/failover start');
        expect(screen.getAllByRole('alert')).toEqual([due[0]]);
    });

    it('runs a task\'s slash command in the incident channel and says so, or shows the refusal', async () => {
        let refuse = false;
        const fetchMock = stubFetch({
            detail: () => detail({checklists: [{title: 'Triage', items: [task('Fail over', {command: '/failover start'})]}]}),
            action: (url) => (url.endsWith('/api/v4/commands/execute') && refuse
                ? json({message: 'Command with a trigger of \'failover\' not found.'}, 404) : json({})),
        });
        renderRHS();
        const run = await screen.findByTestId('incident-task-run');
        expect(run.getAttribute('aria-label')).toBe('Run /failover start in the incident channel');
        await act(async () => {
            fireEvent.click(run);
        });
        const call = calls(fetchMock, (u) => u.endsWith('/api/v4/commands/execute'))[0] as unknown as [string, RequestInit];
        expect(JSON.parse(String(call[1].body))).toEqual({channel_id: 'c1', team_id: 't1', command: '/failover start'});
        expect(screen.getByTestId('incident-detail').textContent).toContain('Ran /failover start.');
        refuse = true;
        await act(async () => {
            fireEvent.click(run);
        });
        expect(screen.getByTestId('incident-action-error').textContent).toContain('not found');
    });

    it('checks a task, shows the answer at once and records its version', async () => {
        const fetchMock = stubFetch({
            action: (url, body) => {
                expect(url).toContain('/incidents/i1/tasks/toggle');
                expect(body).toEqual({checklist: 0, item: 1, done: true});
                const d = detail({version: 4});
                d.checklists[0].items[1].done = true;
                return json({incident: d, message: ''});
            },
        });
        const store = renderRHS();
        await screen.findByTestId('incident-detail');
        await act(async () => {
            fireEvent.click(screen.getAllByTestId('incident-task-checkbox')[1]);
        });
        expect(screen.getByTestId('incident-checklist-progress').textContent).toBe('2/2');
        expect(screen.getByTestId('incident-detail').getAttribute('data-version')).toBe('4');
        // Our own change comes back as a delta: nothing to fetch.
        const before = calls(fetchMock, (u, m) => m === 'GET' && /\/incidents\/i1$/.test(u)).length;
        await act(async () => {
            store.dispatch(incidentDelta({incident_id: 'i1', version: 4, change: {task: {checklist: 0, item: 1}}}));
        });
        expect(calls(fetchMock, (u, m) => m === 'GET' && /\/incidents\/i1$/.test(u))).toHaveLength(before);
    });

    it('fetches the incident again when a delta is newer than the copy shown, and after a reconnect', async () => {
        let version = 3;
        const fetchMock = stubFetch({detail: () => detail({version, name: version > 3 ? 'Database back' : 'Database down'})});
        const store = renderRHS();
        await screen.findByTestId('incident-detail');
        version = 5;
        await act(async () => {
            store.dispatch(incidentDelta({incident_id: 'i1', version: 5, change: 'commander'}));
        });
        expect((await screen.findByText('Database back'))).toBeTruthy();
        const gets = () => calls(fetchMock, (u, m) => m === 'GET' && /\/incidents\/i1$/.test(u)).length;
        const n = gets();
        await act(async () => {
            store.dispatch(incidentDelta({incident_id: 'other', version: 9, change: 'status'}));
        });
        expect(gets()).toBe(n);
        await act(async () => {
            store.dispatch(incidentsChanged());
        });
        expect(gets()).toBe(n + 1);
    });

    it('adds and removes tasks', async () => {
        const seen: Array<[string, unknown]> = [];
        stubFetch({action: (url, body) => {
            seen.push([url.replace(/.*\/incidents\/i1/, ''), body]);
            return json({incident: detail({version: 4 + seen.length}), message: ''});
        }});
        renderRHS();
        await screen.findByTestId('incident-detail');
        fireEvent.change(screen.getByTestId('incident-add-task-input'), {target: {value: 'Verify backups'}});
        await act(async () => {
            fireEvent.submit(screen.getByTestId('incident-add-task'));
        });
        await act(async () => {
            fireEvent.click(screen.getAllByTestId('incident-task-remove')[0]);
        });
        expect(seen).toEqual([['/tasks', {checklist: 0, title: 'Verify backups'}], ['/tasks/0/0', undefined]]);
    });

    it('assigns a task to a channel member and clears it', async () => {
        const bodies: unknown[] = [];
        stubFetch({action: (url, body) => {
            expect(url).toContain('/incidents/i1/tasks/assign');
            bodies.push(body);
            const d = detail({version: 4 + bodies.length});
            d.checklists[0].items[1].assignee_id = (body as {user_id: string | null}).user_id;
            return json({incident: d, message: ''});
        }});
        renderRHS();
        await screen.findByTestId('incident-detail');
        await act(async () => {
            fireEvent.click(screen.getAllByTestId('incident-task-assign')[1]);
        });
        await act(async () => {
            fireEvent.change(await screen.findByRole('combobox', {name: 'Assign “Fail over”'}), {target: {value: 'u2'}});
        });
        expect(screen.getAllByTestId('incident-task-assign')[1].textContent).toBe('@bob');
        await act(async () => {
            fireEvent.click(screen.getAllByTestId('incident-task-assign')[1]);
        });
        await act(async () => {
            fireEvent.change(await screen.findByTestId('incident-task-assign-picker'), {target: {value: ''}});
        });
        expect(bodies).toEqual([{checklist: 0, item: 1, user_id: 'u2'}, {checklist: 0, item: 1, user_id: null}]);
        expect(screen.getAllByTestId('incident-task-assign')[1].textContent).toBe('Assign');
    });

    it('changes the commander with the picker of channel members', async () => {
        const fetchMock = stubFetch({action: (url, body) => {
            expect(url).toContain('/incidents/i1/commander');
            expect(body).toEqual({user_id: 'u2'});
            return json({incident: detail({commander_id: 'u2', version: 4}), message: ''});
        }});
        renderRHS();
        await screen.findByTestId('incident-detail');
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-commander-change'));
        });
        expect(calls(fetchMock, (u) => u.includes('/api/v4/users?in_channel=c1'))).toHaveLength(1);
        await act(async () => {
            fireEvent.change(await screen.findByTestId('incident-commander-picker'), {target: {value: 'u2'}});
        });
        expect(screen.getByTestId('incident-commander').textContent).toBe('@bob');
    });

    it('ends after confirmation, then restarts; errors are shown', async () => {
        let status: 'active' | 'ended' = 'active';
        stubFetch({action: (url, body) => {
            if (url.endsWith('/end')) {
                expect(body).toEqual({confirm: true});
                status = 'ended';
            } else if (url.endsWith('/restart')) {
                return json({error: 'forbidden', detail: 'Only channel members can do that.'}, 403);
            }
            return json({incident: detail({status, ended_at: Date.now(), version: 4}), message: ''});
        }});
        renderRHS();
        await screen.findByTestId('incident-detail');
        fireEvent.click(screen.getByTestId('incident-end'));
        expect(screen.getByTestId('incident-confirm').textContent).toContain('End this incident?');
        fireEvent.click(screen.getByTestId('incident-confirm-no'));
        fireEvent.click(screen.getByTestId('incident-end'));
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-confirm-yes'));
        });
        expect(screen.getByTestId('incident-status').textContent).toBe('Ended');
        expect(screen.queryByTestId('incident-update-status')).toBeNull();
        fireEvent.click(screen.getByTestId('incident-restart'));
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-confirm-yes'));
        });
        expect(screen.getByTestId('incident-action-error').textContent).toContain('Only channel members can do that.');
    });

    it('"Update status" opens the update dialog through /incident update in the incident channel', async () => {
        const fetchMock = stubFetch({});
        renderRHS();
        await screen.findByTestId('incident-detail');
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-update-status'));
        });
        const call = calls(fetchMock, (u) => u.endsWith('/api/v4/commands/execute'))[0] as unknown as [string, RequestInit];
        expect(JSON.parse(String(call[1].body))).toEqual({channel_id: 'c1', team_id: 't1', command: '/incident update'});
    });

    it('shows the timeline with a type filter', async () => {
        stubFetch({});
        renderRHS();
        await screen.findByTestId('incident-detail');
        fireEvent.click(screen.getByTestId('incident-timeline-toggle'));
        const list = await screen.findByTestId('incident-timeline');
        expect(within(list).getAllByTestId('incident-timeline-event')).toHaveLength(3);
        expect(list.textContent).toContain('Commander changed · @alice → @bob');
        fireEvent.change(screen.getByTestId('incident-timeline-filter'), {target: {value: 'task_checked'}});
        const shown = within(list).getAllByTestId('incident-timeline-event');
        expect(shown.map((e) => e.getAttribute('data-kind'))).toEqual(['task_checked']);
    });

    it('lists several incidents of a channel first and opens one, with a way back', async () => {
        stubFetch({list: [row, {...row, id: 'i2', name: 'Cache cold'}]});
        renderRHS();
        await screen.findByTestId('incident-list');
        fireEvent.click(screen.getByRole('button', {name: 'Open Cache cold'}));
        await screen.findByTestId('incident-detail');
        fireEvent.click(screen.getByTestId('incident-back'));
        expect(await screen.findByTestId('incident-list')).toBeTruthy();
    });

    it('outside an incident channel shows your active incidents in the team and Start incident', async () => {
        stubFetch({list: [], mine: [{...row, name: 'Elsewhere'}]});
        renderRHS('town');
        const mine = await screen.findByTestId('incident-mine');
        expect(mine.textContent).toContain('Your active incidents in this team');
        expect(mine.textContent).toContain('Elsewhere');
        expect(screen.getByTestId('incident-start')).toBeTruthy();
        fireEvent.click(within(mine).getByTestId('incident-open'));
        expect(await screen.findByTestId('incident-detail')).toBeTruthy();
    });

    it('shows an error with retry when the incident cannot be loaded', async () => {
        let fail = true;
        stubFetch({detail: () => {
            if (fail) {
                throw new Error('network down');
            }
            return detail();
        }});
        renderRHS();
        expect((await screen.findByRole('alert')).textContent).toContain('network down');
        fail = false;
        fireEvent.click(screen.getByText('Retry'));
        expect(await screen.findByTestId('incident-detail')).toBeTruthy();
    });
});

describe('reducer', () => {
    it('keeps the newest version per incident and moves the list revision only for news', () => {
        let s = reducer(undefined, {type: 'init'});
        s = reducer(s, incidentDelta({incident_id: 'i1', version: 2, change: 'status'}));
        s = reducer(s, incidentDelta({incident_id: 'i1', version: 1, change: 'status'}));
        expect(s).toEqual({revision: 0, listRevision: 1, versions: {i1: 2}, timelineTarget: null});
        s = reducer(s, incidentDelta({incident_id: 'i1', version: 2}));
        expect(s.listRevision).toBe(1);
        expect(reducer(s, incidentsChanged()).revision).toBe(1);
        expect(reducer(s, {type: 'x', delta: {}})).toBe(s);
    });
});
