// Component tests for the page centre: a registered team route renders the plugin's page (with the slot props) and makes
// the path's team current; an unmatched path says so with a way back; no path shows the channel view; the main menu
// runs plugin actions; root components render with the slot props.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, render, screen} from '@testing-library/react';
import {Provider} from 'react-redux';
import {IntlProvider} from 'react-intl';
import {PluginEvents, Registry} from '../registry';
import {createBrowserHistory} from '../routes';
import {actions, createDevStore} from '../store';
import {denim} from '../theme';
import type {DevSocket} from '../websocket';
import {RootComponents} from './app';
import {Center} from './center';
import {MainMenu} from './main_menu';
import {HostContext} from './plugin_ui';

const json = (body: unknown) => new Response(JSON.stringify(body), {status: 200});

function setup(route: string) {
    const fetchMock = vi.fn(async (_url: string) => json([]));
    vi.stubGlobal('fetch', fetchMock);
    const store = createDevStore();
    store.dispatch(actions.receivedTeams([{id: 't1', name: 'dev', display_name: 'Dev'}, {id: 't2', name: 'ops', display_name: 'Ops'}]));
    const registry = new Registry('com.p', store, new PluginEvents());
    const Page = vi.fn((props: {theme?: unknown}) => <p data-testid='page'>{props.theme === denim ? 'themed page' : 'no theme'}</p>);
    registry.registerNeedsTeamRoute('/incidents', Page);
    store.dispatch(actions.navigated(route));
    render(
        <Provider store={store}>
            <IntlProvider locale='en'>
                <HostContext.Provider value={{theme: denim, webSocketClient: {} as DevSocket}}>
                    <Center/>
                    <MainMenu/>
                    <RootComponents/>
                </HostContext.Provider>
            </IntlProvider>
        </Provider>,
    );
    return {store, registry, fetchMock};
}

afterEach(() => {
    vi.unstubAllGlobals();
    window.history.replaceState(null, '', '/');
});

describe('page centre', () => {
    it('renders the plugin page of a matching team route and makes its team current', async () => {
        const {store, fetchMock} = setup('/ops/com.p/incidents/i1');
        expect(screen.getByTestId('plugin-route').getAttribute('data-plugin-id')).toBe('com.p');
        expect(screen.getByTestId('page').textContent).toBe('themed page');
        expect(screen.queryByTestId('channel-header')).toBeNull();
        expect(store.getState().entities.teams.currentTeamId).toBe('t2');
        await act(async () => undefined);
        expect(fetchMock.mock.calls.map(([url]) => url)).toContain('/api/v4/users/me/teams/t2/channels');
    });

    it('renders plugin root components with the slot props, and drops them when unregistered', () => {
        const {registry} = setup('');
        const Modal = vi.fn((props: {theme?: unknown}) => <div data-testid='root-modal'>{props.theme === denim ? 'themed' : 'no theme'}</div>);
        let id = '';
        act(() => {
            id = registry.registerRootComponent(Modal);
        });
        expect(screen.getByTestId('root-modal').textContent).toBe('themed');
        act(() => registry.unregisterComponent(id));
        expect(screen.queryByTestId('root-modal')).toBeNull();
    });

    it('says when no plugin page matches, and goes back to the channel view', () => {
        const {store} = setup('/dev/com.p/nothing');
        expect(screen.getByTestId('route-missing').textContent).toContain('No page at /dev/com.p/nothing');
        fireEvent.click(screen.getByText('Back to channels'));
        expect(store.getState().devhost.route).toBe('');
        expect(screen.getByTestId('channel-header')).toBeTruthy();
    });

    it('shows the channel view without a path, and the plugin page once a main menu item navigates there', () => {
        const {store, registry} = setup('');
        expect(screen.getByTestId('channel-header')).toBeTruthy();
        expect(screen.queryByTestId('plugin-route')).toBeNull();
        window.WebappUtils = {browserHistory: createBrowserHistory(store)};
        act(() => {
            registry.registerMainMenuAction('Incidents', () => window.WebappUtils?.browserHistory?.push('/dev/com.p/incidents'));
        });
        fireEvent.click(screen.getByTestId('main-menu-button'));
        act(() => {
            fireEvent.click(screen.getByTestId('main-menu-item'));
        });
        expect(screen.getByTestId('page')).toBeTruthy();
        expect(window.location.search).toBe('?route=%2Fdev%2Fcom.p%2Fincidents');
        delete window.WebappUtils;
    });
});
