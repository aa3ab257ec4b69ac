// The dev host page entry: installs host globals, builds the store, renders the UI, opens the WebSocket and loads plugin bundles.
import React from 'react';
import {createRoot} from 'react-dom/client';
import {Provider} from 'react-redux';
import {IntlProvider} from 'react-intl';
import {App} from './components/app';
import {HostContext} from './components/plugin_ui';
import {installGlobals} from './globals';
import {PluginLoader} from './plugin_loader';
import {PluginEvents} from './registry';
import {actions, createDevStore} from './store';
import {css} from './styles';
import {loadDevState, loadTeams, resync, routeSocketMessage} from './sync';
import {applyTheme, denim} from './theme';
import {DevSocket, socketUrl} from './websocket';

const store = createDevStore();
installGlobals(store);
applyTheme(denim);

const style = document.createElement('style');
style.textContent = css;
document.head.appendChild(style);

const events = new PluginEvents();
const loader = new PluginLoader(store, events);
const reloadPlugins = () => loader.loadPluginsIfNecessary();
const socket = new DevSocket(
    socketUrl(),
    (connected) => store.dispatch(actions.socketStatus(connected)),
    () => resync(store.dispatch, store.getState, events, reloadPlugins),
);
socket.addMessageListener((msg) => routeSocketMessage(msg, {dispatch: store.dispatch, getState: store.getState, events, reloadPlugins}));

const container = document.getElementById('root') ?? document.body.appendChild(Object.assign(document.createElement('div'), {id: 'root'}));
createRoot(container).render(
    <Provider store={store}>
        <IntlProvider locale='en' defaultLocale='en' messages={{}}>
            <HostContext.Provider value={{theme: denim, webSocketClient: socket}}>
                <App/>
            </HostContext.Provider>
        </IntlProvider>
    </Provider>,
);

Promise.all([store.dispatch(loadDevState()), store.dispatch(loadTeams())])
    .catch((err: unknown) => console.error('[devhost] initial load failed', err))
    .finally(() => {
        socket.connect();
        reloadPlugins();
    });
