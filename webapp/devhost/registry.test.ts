// Unit tests for the dev host registry: reArg in both forms, reducer mounting, RHS actions, team routes, main menu
// items and WebSocket handler dispatch.
import {describe, expect, it, vi} from 'vitest';
import type {AnyAction} from 'redux';
import {PluginEvents, reArg, Registry} from './registry';
import {actions, createDevStore} from './store';
import type {WebSocketMessage} from '../src/types';

const setup = (pluginId = 'com.example.p') => {
    const store = createDevStore();
    const events = new PluginEvents();
    return {store, events, registry: new Registry(pluginId, store, events)};
};

describe('reArg', () => {
    const fn = reArg(['a', 'b'], (a: unknown, b: unknown) => [a, b]);
    it('passes positional arguments through', () => {
        expect(fn(1, 2)).toEqual([1, 2]);
    });
    it('spreads one plain object whose keys are all known', () => {
        expect(fn({b: 2, a: 1})).toEqual([1, 2]);
        expect(fn({a: 1})).toEqual([1, undefined]);
    });
    it('treats an object with an unknown key as the first positional argument', () => {
        expect(fn({a: 1, c: 3})).toEqual([{a: 1, c: 3}, undefined]);
    });
});

describe('Registry', () => {
    it('mounts a reducer at plugins-<id> and keeps it across later injections', () => {
        const {store, registry} = setup();
        const reducer = (state = {n: 0}, action: AnyAction) => (action.type === 'INC' ? {n: state.n + 1} : state);
        registry.registerReducer({reducer});
        store.dispatch({type: 'INC'});
        expect(store.getState()['plugins-com.example.p']).toEqual({n: 1});
        new Registry('other', store, new PluginEvents()).registerReducer((s = 'x') => s);
        expect(store.getState()['plugins-com.example.p']).toEqual({n: 1});
        expect(store.getState()['plugins-other']).toBe('x');
    });

    it('registers an RHS component in both argument forms and toggles it with the returned actions', () => {
        const {store, registry} = setup();
        const Comp = () => null;
        const positional = registry.registerRightHandSidebarComponent(Comp, 'Title');
        const named = registry.registerRightHandSidebarComponent({component: Comp, title: 'Other'});
        expect(store.getState().plugins.components.RightHandSidebarComponent.map((i) => i.title)).toEqual(['Title', 'Other']);

        store.dispatch(positional.toggleRHSPlugin);
        expect(store.getState().views.rhs).toEqual({rhsState: 'plugin', pluggableId: positional.id});
        store.dispatch(named.showRHSPlugin);
        expect(store.getState().views.rhs.pluggableId).toBe(named.id);
        store.dispatch(positional.hideRHSPlugin);
        expect(store.getState().views.rhs.pluggableId).toBe(named.id);
        store.dispatch(named.toggleRHSPlugin);
        expect(store.getState().views.rhs.rhsState).toBeNull();
    });

    it('registers header buttons and post menu actions with either form', () => {
        const {store, registry} = setup();
        const action = vi.fn();
        registry.registerChannelHeaderButtonAction('icon', action, 'Text', 'Tip');
        registry.registerChannelHeaderButtonAction({icon: 'i2', action, tooltipText: 'Tip2'});
        registry.registerPostDropdownMenuAction({text: 'Do it', action, filter: () => true});
        const {ChannelHeaderButton, PostDropdownMenu} = store.getState().plugins.components;
        expect(ChannelHeaderButton.map((b) => [b.icon, b.tooltipText])).toEqual([['icon', 'Tip'], ['i2', 'Tip2']]);
        expect(PostDropdownMenu[0]).toMatchObject({text: 'Do it', action, pluginId: 'com.example.p'});
    });

    it('registers team routes as Mattermost stores them, in both forms, and removes them with the plugin', () => {
        const {store, registry} = setup();
        const Page = () => null;
        const first = registry.registerNeedsTeamRoute('/incidents/', Page);
        registry.registerNeedsTeamRoute({route: 'stats', component: Page});
        const routes = store.getState().plugins.components.NeedsTeamComponent;
        expect(routes.map((r) => [r.route, r.pluginId, r.component])).toEqual([
            ['com.example.p/incidents', 'com.example.p', Page], ['com.example.p/stats', 'com.example.p', Page],
        ]);
        expect(routes[0].id).toBe(first);
        registry.unregisterComponent(first);
        expect(store.getState().plugins.components.NeedsTeamComponent.map((r) => r.route)).toEqual(['com.example.p/stats']);
        store.dispatch(actions.removePlugin('com.example.p'));
        expect(store.getState().plugins.components.NeedsTeamComponent).toEqual([]);
    });

    it('registers root components in both forms and removes them by id', () => {
        const {store, registry} = setup();
        const Modal = () => null;
        const first = registry.registerRootComponent(Modal);
        const second = registry.registerRootComponent({component: Modal});
        expect(store.getState().plugins.components.Root.map((r) => [r.id, r.pluginId, r.component])).toEqual([
            [first, 'com.example.p', Modal], [second, 'com.example.p', Modal],
        ]);
        registry.unregisterComponent(first);
        expect(store.getState().plugins.components.Root.map((r) => r.id)).toEqual([second]);
    });

    it('registers main menu items in both forms', () => {
        const {store, registry} = setup();
        const action = vi.fn();
        const id = registry.registerMainMenuAction('Incidents', action, 'icon');
        registry.registerMainMenuAction({text: 'Other', action});
        const items = store.getState().plugins.components.MainMenu;
        expect(items.map((i) => [i.id, i.text, i.mobileIcon])).toEqual([[id, 'Incidents', 'icon'], [items[1].id, 'Other', undefined]]);
        items[0].action();
        expect(action).toHaveBeenCalledOnce();
    });

    it('dispatches WebSocket messages by exact event name to every plugin, isolating a throwing handler', () => {
        const {events, registry} = setup();
        const mine = vi.fn();
        const other = vi.fn();
        registry.registerWebSocketEventHandler('custom_com.example.p_changed', () => {
            throw new Error('boom');
        });
        new Registry('q', createDevStore(), events).registerWebSocketEventHandler({event: 'custom_com.example.p_changed', handler: other});
        registry.registerWebSocketEventHandler('posted', mine);
        const msg: WebSocketMessage = {event: 'custom_com.example.p_changed', data: {x: 1}, broadcast: {}, seq: 3};
        const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
        events.dispatch(msg);
        expect(other).toHaveBeenCalledWith(msg);
        expect(mine).not.toHaveBeenCalled();
        expect(errors).toHaveBeenCalledOnce();
        errors.mockRestore();
    });

    it('replaces a re-registered handler and runs reconnect handlers', () => {
        const {events, registry} = setup();
        const first = vi.fn();
        const second = vi.fn();
        const reconnect = vi.fn();
        registry.registerWebSocketEventHandler('e', first);
        registry.registerWebSocketEventHandler('e', second);
        registry.registerReconnectHandler(reconnect);
        events.dispatch({event: 'e', data: {}, broadcast: {}, seq: 1});
        events.runReconnectHandlers();
        expect(first).not.toHaveBeenCalled();
        expect(second).toHaveBeenCalledOnce();
        expect(reconnect).toHaveBeenCalledOnce();
        events.removePlugin('com.example.p');
        events.runReconnectHandlers();
        expect(reconnect).toHaveBeenCalledOnce();
    });
});
