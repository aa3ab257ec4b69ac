// Installs the host globals a plugin bundle expects (React, ReactDOM, Redux, ReactRedux, ReactIntl, PostUtils,
// WebappUtils.browserHistory, registerPlugin, …).
import React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as Redux from 'redux';
import * as ReactRedux from 'react-redux';
import * as ReactIntl from 'react-intl';
import {Markdown} from './markdown';
import type {HostPlugin} from './plugin_loader';
import {createBrowserHistory} from './routes';
import {actions, type DevStore} from './store';
import type {OpenDialog} from './types';

declare global {
    interface Window {
        React: typeof React;
        ReactDOM: typeof ReactDOM & typeof ReactDOMClient;
        Redux: typeof Redux;
        ReactRedux: typeof ReactRedux;
        ReactIntl: typeof ReactIntl;
        PostUtils: {formatText(text: string): string; messageHtmlToComponent(html: string): React.ReactElement};
        openInteractiveDialog(dialog: Omit<OpenDialog, 'channel_id' | 'team_id'>): void;
    }
}

export function installGlobals(store: DevStore): void {
    window.React = React;
    window.ReactDOM = {...ReactDOM, ...ReactDOMClient};
    window.Redux = Redux;
    window.ReactRedux = ReactRedux;
    window.ReactIntl = ReactIntl;
    // Stand-ins: formatText keeps the Markdown source and messageHtmlToComponent renders it safely, so the usual
    // `messageHtmlToComponent(formatText(text))` round trip works without ever injecting HTML.
    window.PostUtils = {
        formatText: (text) => text,
        messageHtmlToComponent: (text) => React.createElement(Markdown, {text}),
    };
    window.openInteractiveDialog = (dialog) => {
        const state = store.getState();
        store.dispatch(actions.openDialog({
            ...dialog, channel_id: state.entities.channels.currentChannelId, team_id: state.entities.teams.currentTeamId,
        }));
    };
    // Mattermost's WebappUtils carries more; plugins here use its router (`browserHistory`) only.
    window.WebappUtils = {browserHistory: createBrowserHistory(store)};
    window.plugins = {};
    window.registerPlugin = (id: string, plugin: HostPlugin) => {
        const previous = window.plugins[id];
        (previous?.uninitialize ?? previous?.deinitialize)?.call(previous);
        window.plugins[id] = plugin;
    };
}
