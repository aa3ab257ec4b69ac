// Unit tests for the RHS: loading, empty (404 and zero items), error with retry, list, live refresh and "Start incident".
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, render, screen} from '@testing-library/react';
import {Provider} from 'react-redux';
import {IntlProvider} from 'react-intl';
import {combineReducers, legacy_createStore} from 'redux';
import {incidentsChanged, reducer} from '../reducer';
import type {Incident} from '../types';
import {RHS} from './rhs';

const incident: Incident = {
    id: 'i1', name: 'Database down', status: 'active', commander_id: 'u1', channel_id: 'c1', is_private: true,
    created_at: Date.UTC(2026, 0, 2, 3, 4), tasks_done: 2, tasks_total: 5, number: 1, reference: 'INC-00001',
};
const other: Incident = {...incident, id: 'i2', name: 'Cache cold', is_private: false, status: 'ended', tasks_done: 1};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status});

/** Routes fetch by URL; `incidents` answers the list endpoint. */
function stubFetch(incidents: (url: string) => Response | Promise<Response>) {
    const fetchMock = vi.fn(async (url: string) => {
        if (url.includes('/health')) {
            return json({status: 'ok'});
        }
        if (url.includes('/incidents?')) {
            return incidents(url);
        }
        return json({response_type: 'ephemeral', text: 'ok'});
    });
    vi.stubGlobal('fetch', fetchMock);
    return fetchMock;
}

function renderRHS(channelId = 'c1', currentUserId = '') {
    const host = (state = {channels: {currentChannelId: channelId}, teams: {currentTeamId: 't1'}, users: {currentUserId}}) => state;
    const store = legacy_createStore(combineReducers({entities: host, 'plugins-org.incidentcollab.incidents': reducer}));
    render(
        <Provider store={store}>
            <IntlProvider locale='en'>
                <RHS/>
            </IntlProvider>
        </Provider>,
    );
    return store;
}

afterEach(() => vi.unstubAllGlobals());

describe('RHS', () => {
    it('shows loading, then the list', async () => {
        let answer: (r: Response) => void = () => undefined;
        stubFetch(() => new Promise<Response>((resolve) => {
            answer = resolve;
        }));
        renderRHS();
        expect(screen.getByTestId('incident-loading')).toBeTruthy();
        await act(async () => answer(json({items: [incident, other], total: 2})));
        expect(screen.getByTestId('incident-list').textContent).toContain('Database down');
        expect(screen.getByText('2 of 5 tasks done', {exact: false})).toBeTruthy();
        expect(screen.getByText('Active')).toBeTruthy();
        expect(screen.getByText('Ended')).toBeTruthy();
        expect(screen.getByText('2 incidents')).toBeTruthy();
    });

    it('shows the friendly empty state when the endpoint 404s', async () => {
        stubFetch(() => json({error: 'not_found', detail: 'not found'}, 404));
        renderRHS();
        expect(await screen.findByText('No incident in this channel')).toBeTruthy();
    });

    it('shows the empty state for an empty list', async () => {
        stubFetch(() => json({items: [], total: 0}));
        renderRHS();
        expect(await screen.findByTestId('incident-empty')).toBeTruthy();
    });

    it('shows an error with a working retry', async () => {
        let fail = true;
        stubFetch(() => (fail ? json({error: 'unavailable', detail: 'kv unavailable'}, 500) : json({items: [incident, other], total: 2})));
        renderRHS();
        expect((await screen.findByRole('alert')).textContent).toContain('kv unavailable');
        fail = false;
        fireEvent.click(screen.getByText('Retry'));
        expect(await screen.findByTestId('incident-list')).toBeTruthy();
    });

    it('refetches when an incident_updated event bumps the revision', async () => {
        let items: Incident[] = [];
        const fetchMock = stubFetch(() => json({items, total: items.length}));
        const store = renderRHS();
        await screen.findByTestId('incident-empty');
        items = [incident, other];
        await act(async () => {
            store.dispatch(incidentsChanged());
        });
        expect(await screen.findByTestId('incident-list')).toBeTruthy();
        expect(fetchMock.mock.calls.filter(([url]) => url.includes('/incidents?'))).toHaveLength(2);
    });

    it('lists private incidents of "Your active incidents" only with the filter on', async () => {
        const secret: Incident = {...other, id: 'secret', name: 'Breach', is_private: true, status: 'active'};
        const fetchMock = stubFetch((url: string) => {
            if (url.includes('channel_id=')) {
                return json({items: [], total: 0});
            }
            const open = {...incident, is_private: false};
            return json(url.includes('include_private=true') ? {items: [open, secret], total: 2} : {items: [open], total: 1});
        });
        renderRHS('c1', 'u1');
        const mine = await screen.findByTestId('incident-mine');
        expect(mine.textContent).not.toContain('Breach');
        const urls = () => fetchMock.mock.calls.map(([url]) => String(url)).filter((url) => url.includes('member_id='));
        expect(urls()[0]).toContain('include_private=false');
        fireEvent.click(screen.getByTestId('incident-show-private'));
        expect(await screen.findByText('Breach')).toBeTruthy();
        expect(urls().at(-1)).toContain('include_private=true');
        // The padlock marks the private rows only.
        const locks = screen.getAllByTestId('incident-item').map((item) => Boolean(item.querySelector('[data-testid="incident-private"]')));
        expect(locks).toEqual([false, true]);
        // Off again: the toggle stays while the list reloads without them.
        fireEvent.click(screen.getByTestId('incident-show-private'));
        expect((screen.getByTestId('incident-show-private') as HTMLInputElement).checked).toBe(false);
        await screen.findByText('Database down');
        expect(screen.queryByText('Breach')).toBeNull();
    });

    it('"Start incident" executes /incident start in the current channel with the CSRF token', async () => {
        document.cookie = 'MMCSRF=csrf1';
        const fetchMock = stubFetch(() => json({}, 404));
        renderRHS();
        fireEvent.click(await screen.findByText('Start incident'));
        await screen.findByText('Start incident');
        const call = fetchMock.mock.calls.find(([url]) => url === '/api/v4/commands/execute') as unknown as [string, RequestInit];
        expect(JSON.parse(String(call[1].body))).toEqual({channel_id: 'c1', team_id: 't1', command: '/incident start'});
        expect(call[1].headers).toMatchObject({'X-CSRF-Token': 'csrf1'});
    });
});
