// The main menu (Mattermost's team menu at the top of the sidebar), listing the items plugins registered with
// registerMainMenuAction; a click runs the item's action with no arguments.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';
import type {DevState} from '../store';
import {PluginErrorBoundary, Resolve} from './plugin_ui';

export function MainMenu() {
    const [open, setOpen] = useState(false);
    const items = useSelector((s: DevState) => s.plugins.components.MainMenu);
    if (!items.length) {
        return null;
    }
    return (
        <div className='dh-main-menu' onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
            onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
            <button type='button' className='dh-channel' aria-haspopup='menu' aria-expanded={open} onClick={() => setOpen(!open)}
                data-testid='main-menu-button'>
                ☰ Main menu
            </button>
            {open && (
                <ul role='menu' data-testid='main-menu'>
                    {items.map((item) => (
                        <li key={item.id} role='none'>
                            <button type='button' role='menuitem' className='dh-channel' data-testid='main-menu-item' data-plugin-id={item.pluginId}
                                onClick={() => {
                                    setOpen(false);
                                    item.action();
                                }}>
                                <PluginErrorBoundary pluginId={item.pluginId}><Resolve value={item.text}/></PluginErrorBoundary>
                            </button>
                        </li>
                    ))}
                </ul>
            )}
        </div>
    );
}
