// The dev host page layout: top bar, sidebar, centre (the channel, or a plugin's team route page), RHS, dialogs and
// plugin root components.
import React from 'react';
import {useSelector} from 'react-redux';
import type {DevState} from '../store';
import {Center} from './center';
import {InteractiveDialog} from './dialog';
import {Pluggable} from './plugin_ui';
import {RHSPanel} from './rhs_panel';
import {Sidebar} from './sidebar';
import {TopBar} from './top_bar';

/** The `Root` slot: every plugin's root components (modals), with the slot props. */
export function RootComponents() {
    const roots = useSelector((s: DevState) => s.plugins.components.Root);
    return <>{roots.map((r) => <Pluggable key={r.id} pluginId={r.pluginId} component={r.component}/>)}</>;
}

export function App() {
    return (
        <div className='dh-app'>
            <TopBar/>
            <div className='dh-main'>
                <Sidebar/>
                <Center/>
                <RHSPanel/>
            </div>
            <InteractiveDialog/>
            <RootComponents/>
        </div>
    );
}
