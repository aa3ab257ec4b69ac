// The dev host page layout: top bar, sidebar, channel (header, posts, message box), RHS, dialogs and plugin root components.
import React from 'react';
import {useSelector} from 'react-redux';
import type {DevState} from '../store';
import {ChannelHeader} from './channel_header';
import {InteractiveDialog} from './dialog';
import {MessageBox} from './message_box';
import {Pluggable} from './plugin_ui';
import {PostList} from './post_list';
import {RHSPanel} from './rhs_panel';
import {Sidebar} from './sidebar';
import {TopBar} from './top_bar';

function RootComponents() {
    const roots = useSelector((s: DevState) => s.plugins.components.Root);
    return <>{roots.map((r) => <Pluggable key={r.id} pluginId={r.pluginId} component={r.component}/>)}</>;
}

export function App() {
    return (
        <div className='dh-app'>
            <TopBar/>
            <div className='dh-main'>
                <Sidebar/>
                <main className='dh-center'>
                    <ChannelHeader/>
                    <PostList/>
                    <MessageBox/>
                </main>
                <RHSPanel/>
            </div>
            <InteractiveDialog/>
            <RootComponents/>
        </div>
    );
}
