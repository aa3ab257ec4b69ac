// Helpers for the component tests: JSON responses, a fetch stub routed by method and URL, a stand-in for the host's
// router, and rendering inside a host-like Redux store (with the plugin's slice) and IntlProvider.
import React, {type ReactElement} from 'react';
import {vi} from 'vitest';
import {render} from '@testing-library/react';
import {Provider} from 'react-redux';
import {IntlProvider} from 'react-intl';
import {combineReducers, legacy_createStore} from 'redux';
import type {HostHistory} from './location';
import {reducer} from './reducer';
import type {HostState, Incident, IncidentDetail, Playbook, Task} from './types';

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status});

/** One call the stub saw: method, the URL's path after `/api/v0` (or the whole URL), and the parsed body. */
export type Call = {method: string; path: string; body: unknown};

/** Stubs fetch: `route` answers each call (undefined → `{}`); returns the calls seen. */
export function stubFetch(route: (call: Call) => Response | Promise<Response> | undefined) {
    const calls: Call[] = [];
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
        const call = {
            method: init?.method ?? 'GET',
            path: url.replace(/^.*\/api\/v0/, ''),
            body: init?.body ? JSON.parse(String(init.body)) : undefined,
        };
        calls.push(call);
        return (await route(call)) ?? json({});
    });
    vi.stubGlobal('fetch', fetchMock);
    return calls;
}

/** A stand-in for Mattermost's browserHistory at `pathname`; `go` moves it and tells the listeners. */
export function fakeHistory(pathname: string, search = '') {
    const listeners = new Set<() => void>();
    const history: HostHistory & {go(path: string): void} = {
        location: {pathname, search},
        push: vi.fn((path: string) => history.go(path)),
        replace: vi.fn((path: string) => history.go(path)),
        listen: (l) => {
            listeners.add(l);
            return () => listeners.delete(l);
        },
        go(path: string) {
            const [p, q] = path.split('?');
            history.location = {pathname: p, search: q ? `?${q}` : ''};
            listeners.forEach((l) => l());
        },
    };
    window.WebappUtils = {browserHistory: history};
    return history;
}

export const row: Incident = {
    id: 'i1', name: 'Database down', status: 'active', commander_id: 'u1', channel_id: 'c1', is_private: true,
    created_at: Date.now() - 65 * 60000, tasks_done: 1, tasks_total: 2, number: 1, reference: 'INC-00001',
};

/** A task of an incident's checklist: open, unassigned, with no details unless `over` says. */
export const task = (title: string, over: Partial<Task> = {}): Task => ({
    title, done: false, assignee_id: null, description: '', command: null, due_at: null, ...over,
});

export function detail(over: Partial<IncidentDetail> = {}): IncidentDetail {
    return {
        ...row, team_id: 't1', reporter_id: 'u1', description: 'Primary is gone',
        ended_at: null, timeline_events: 3, version: 3, update_due_at: null,
        last_update: {author_id: 'u2', at: Date.now() - 3600000, message: 'Failing over'},
        checklists: [
            {title: 'Triage', items: [task('Page DBA', {done: true}), task('Fail over')]},
        ],
        ...over,
    };
}

/** A stored playbook: "Outage" with one checklist of two tasks, alice (u1) its creator. */
export function playbook(over: Partial<Playbook> = {}): Playbook {
    return {
        id: 'pb1', team: 't1', title: 'Outage', description: 'When a service is down.',
        checklists: [{title: 'Triage', items: [
            {title: 'Page the DBA', description: '', assignees: [], command: '/page dba', due_after_ms: 600000},
            {title: 'Open a status page', description: 'Public one', assignees: ['u2'], command: null, due_after_ms: null},
        ]}],
        reminder_ms: 900000, broadcast_channels: [], always_private: false, private_channel: false, members: ['u1'],
        automation: {invite: [], default_commander: null, announce_channel: null, create_webhook: null, update_webhook: null, welcome_message: ''},
        templates: {overview: '', status_update: ''}, archived: false, created_by: 'u1', created_at: 1, updated_at: 1,
        ...over,
    };
}

/** The host entities the tests start from: alice (u1) in team `dev` (t1), member of channel c1 unless `member` is false. */
export function hostEntities(over: {channelId?: string; member?: boolean} = {}): NonNullable<HostState['entities']> {
    return {
        channels: {currentChannelId: over.channelId ?? 'c1', myMembers: over.member === false ? {} : {c1: {channel_id: 'c1'}}},
        teams: {currentTeamId: 't1', teams: {t1: {id: 't1', name: 'dev'}}},
        users: {currentUserId: 'u1', profiles: {u1: {id: 'u1', username: 'alice'}, u2: {id: 'u2', username: 'bob'}}},
    };
}

export function renderWithHost(ui: ReactElement, entities = hostEntities()) {
    const store = legacy_createStore(combineReducers({
        entities: (state = entities) => state,
        'plugins-org.incidentcollab.incidents': reducer,
    }));
    const result = render(
        <Provider store={store}>
            <IntlProvider locale='en'>{ui}</IntlProvider>
        </Provider>,
    );
    return {store, ...result};
}
