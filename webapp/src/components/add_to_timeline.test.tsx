// Component tests for "Add to incident timeline": the registration (a second post menu action and a root component;
// the action opens the modal for the post and its channel), and the modal itself: the user's active incidents in the
// team with the post's channel's incident preselected, the POST and its answer, a refusal's detail, empty, Escape,
// and Tab kept inside the modal with focus given back on closing.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen, waitFor} from '@testing-library/react';
import {combineReducers, legacy_createStore} from 'redux';
import {openAddToTimeline, reducer, selectTimelineTarget} from '../reducer';
import {hostEntities, json, renderWithHost, row, stubFetch, type Call} from '../test_utils';
import type {HostState, HostStore, PluginRegistry} from '../types';
import {AddToTimeline} from './add_to_timeline';

const mine = [
    {...row, id: 'i1', name: 'Database down', channel_id: 'c1', reference: 'INC-00001'},
    {...row, id: 'i2', name: 'Disk full', channel_id: 'c2', reference: 'INC-00002', is_private: false},
];

function setup(route: (call: Call) => Response | undefined, channelId = 'c2') {
    const calls = stubFetch((c) => route(c) ?? (c.path.startsWith('/incidents?') ? json({items: mine, total: 2}) : undefined));
    const {store} = renderWithHost(<AddToTimeline/>);
    expect(screen.queryByTestId('timeline-add-modal')).toBeNull();
    act(() => {
        store.dispatch(openAddToTimeline({postId: 'p1', channelId}));
    });
    return {calls, store};
}

afterEach(() => vi.unstubAllGlobals());

describe('Add to incident timeline', () => {
    it('is a second post menu action whose modal is a root component, opened for the post\'s channel', async () => {
        const registerPlugin = vi.fn();
        vi.stubGlobal('registerPlugin', registerPlugin);
        await import('../index');
        const plugin = registerPlugin.mock.calls[0][1] as {initialize(r: PluginRegistry, s: HostStore): void};
        const registry = {
            registerReducer: vi.fn(),
            registerRightHandSidebarComponent: vi.fn(() => ({id: 'rhs', toggleRHSPlugin: {type: 'x'}})),
            registerChannelHeaderButtonAction: vi.fn(),
            registerPostDropdownMenuAction: vi.fn(),
            registerRootComponent: vi.fn(),
            registerNeedsTeamRoute: vi.fn(),
            registerMainMenuAction: vi.fn(),
            registerWebSocketEventHandler: vi.fn(),
            registerReconnectHandler: vi.fn(),
        };
        const entities = {...hostEntities(), posts: {posts: {p7: {id: 'p7', channel_id: 'c7'}}}};
        const store = legacy_createStore(combineReducers({
            entities: (s = entities) => s,
            'plugins-org.incidentcollab.incidents': reducer,
        })) as unknown as HostStore;
        plugin.initialize(registry as unknown as PluginRegistry, store);
        expect(registry.registerRootComponent).toHaveBeenCalledWith(AddToTimeline);
        expect(registry.registerPostDropdownMenuAction).toHaveBeenCalledTimes(2);
        const [, action] = registry.registerPostDropdownMenuAction.mock.calls[1] as unknown as [unknown, (postId: string) => void];
        action('p7');
        expect(selectTimelineTarget(store.getState() as HostState)).toEqual({postId: 'p7', channelId: 'c7'});
    });

    it('lists your active incidents in the team, preselects the post\'s channel\'s one, and adds the post', async () => {
        const {calls, store} = setup((c) => (c.method === 'POST' ? json({message: 'Added the message to the timeline of INC-00002.'}) : undefined));
        const select = await screen.findByTestId('timeline-add-select') as HTMLSelectElement;
        expect(calls[0].path).toBe('/incidents?team_id=t1&member_id=u1&status=active&include_private=true');
        expect([...select.options].map((o) => o.text)).toEqual(['Database down (INC-00001)', 'Disk full (INC-00002)']);
        expect(select.value).toBe('i2');
        expect(document.activeElement).toBe(select);
        await act(async () => {
            fireEvent.click(screen.getByTestId('timeline-add-submit'));
        });
        expect(calls.filter((c) => c.method === 'POST')).toEqual([{method: 'POST', path: '/incidents/i2/timeline', body: {post_id: 'p1'}}]);
        expect(screen.getByTestId('timeline-add-result').textContent).toBe('Added the message to the timeline of INC-00002.');
        expect(screen.queryByTestId('timeline-add-submit')).toBeNull();
        fireEvent.click(screen.getByTestId('timeline-add-cancel'));
        expect(screen.queryByTestId('timeline-add-modal')).toBeNull();
        expect(selectTimelineTarget(store.getState() as HostState)).toBeNull();
    });

    it('says where the post went when the server adds no text, and records the saved incident\'s version', async () => {
        const {store} = setup((c) => (c.method === 'POST' ? json({incident: {id: 'i2', version: 7}, message: ''}) : undefined));
        await screen.findByTestId('timeline-add-select');
        await act(async () => {
            fireEvent.click(screen.getByTestId('timeline-add-submit'));
        });
        expect(screen.getByTestId('timeline-add-result').textContent).toBe('Added to the timeline of INC-00002.');
        expect((store.getState() as HostState)['plugins-org.incidentcollab.incidents']).toMatchObject({versions: {i2: 7}});
    });

    it('adds to another incident when chosen, and shows a refusal\'s detail in the modal', async () => {
        const {calls} = setup((c) => (c.method === 'POST'
            ? json({error: 'conflict', detail: 'This message is already on the timeline.'}, 409) : undefined), 'c9');
        const select = await screen.findByTestId('timeline-add-select') as HTMLSelectElement;
        expect(select.value).toBe('i1');
        fireEvent.change(select, {target: {value: 'i2'}});
        await act(async () => {
            fireEvent.click(screen.getByTestId('timeline-add-submit'));
        });
        expect(calls.find((c) => c.method === 'POST')?.path).toBe('/incidents/i2/timeline');
        expect(screen.getByTestId('timeline-add-error').textContent).toBe('This message is already on the timeline.');
        expect(screen.getByTestId('timeline-add-modal')).toBeTruthy();
        expect((screen.getByTestId('timeline-add-submit') as HTMLButtonElement).disabled).toBe(false);
    });

    it('says when you take part in no active incident, and closes with Escape', async () => {
        setup((c) => (c.path.startsWith('/incidents?') ? json({items: [], total: 0}) : undefined));
        expect(screen.getByTestId('timeline-add-loading')).toBeTruthy();
        expect((await screen.findByTestId('timeline-add-empty')).textContent).toBe('You take part in no active incident in this team.');
        expect((screen.getByTestId('timeline-add-submit') as HTMLButtonElement).disabled).toBe(true);
        fireEvent.keyDown(screen.getByTestId('timeline-add-modal'), {key: 'Escape'});
        await waitFor(() => expect(screen.queryByTestId('timeline-add-modal')).toBeNull());
    });

    it('keeps Tab inside the modal and gives focus back to the opener when it closes', async () => {
        const opener = document.createElement('button');
        document.body.appendChild(opener);
        opener.focus();
        try {
            setup(() => undefined);
            const select = await screen.findByTestId('timeline-add-select');
            const cancel = screen.getByTestId('timeline-add-cancel');
            const submit = screen.getByTestId('timeline-add-submit');
            expect(document.activeElement).toBe(select);
            fireEvent.keyDown(select, {key: 'Tab', shiftKey: true});
            expect(document.activeElement).toBe(submit);
            fireEvent.keyDown(submit, {key: 'Tab'});
            expect(document.activeElement).toBe(select);
            // A Tab between two inner controls is left to the browser.
            cancel.focus();
            fireEvent.keyDown(cancel, {key: 'Tab'});
            expect(document.activeElement).toBe(cancel);
            fireEvent.keyDown(cancel, {key: 'Escape'});
            await waitFor(() => expect(screen.queryByTestId('timeline-add-modal')).toBeNull());
            expect(document.activeElement).toBe(opener);
        } finally {
            opener.remove();
        }
    });
});
