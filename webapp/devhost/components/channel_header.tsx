// The channel header: channel name and header text, plus the buttons plugins registered with registerChannelHeaderButtonAction.
import React from 'react';
import {useSelector} from 'react-redux';
import type {DevState} from '../store';
import {PluginErrorBoundary, Resolve} from './plugin_ui';

export function ChannelHeader() {
    const channel = useSelector((s: DevState) => s.entities.channels.channels[s.entities.channels.currentChannelId]);
    const me = useSelector((s: DevState) => s.entities.users.currentUserId);
    const buttons = useSelector((s: DevState) => s.plugins.components.ChannelHeaderButton);
    if (!channel) {
        return <div className='dh-channel-header' data-testid='channel-header'>No channel selected</div>;
    }
    return (
        <div className='dh-channel-header' data-testid='channel-header'>
            <div>
                <h1 data-testid='channel-name'>{channel.type === 'P' ? '🔒 ' : '# '}{channel.display_name}</h1>
                {channel.header && <div className='dh-muted'>{channel.header}</div>}
            </div>
            <div className='dh-header-buttons'>
                {buttons.map((b) => (
                    <PluginErrorBoundary key={b.id} pluginId={b.pluginId}>
                        <button type='button' className='dh-icon-button' data-testid='channel-header-button' data-plugin-id={b.pluginId}
                            onClick={() => b.action(channel, {channel_id: channel.id, user_id: me})}>
                            <Resolve value={b.icon}/>
                            <span className='dh-visually-hidden'><Resolve value={b.dropdownText}/></span>
                            <span className='dh-tooltip' role='tooltip'><Resolve value={b.tooltipText}/></span>
                        </button>
                    </PluginErrorBoundary>
                ))}
            </div>
        </div>
    );
}
