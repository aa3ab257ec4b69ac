// The right-hand sidebar panel: shows the plugin RHS component the store says is open, with its title and a close button.
import React from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {actions, type DevState} from '../store';
import {Pluggable, Resolve} from './plugin_ui';

export function RHSPanel() {
    const dispatch = useDispatch();
    const {rhsState, pluggableId} = useSelector((s: DevState) => s.views.rhs);
    const item = useSelector((s: DevState) => s.plugins.components.RightHandSidebarComponent.find((i) => i.id === pluggableId));
    if (rhsState !== 'plugin' || !item) {
        return null;
    }
    return (
        <aside className='dh-rhs' data-testid='rhs' data-plugin-id={item.pluginId} aria-label='Right-hand sidebar'>
            <div className='dh-rhs-header'>
                <h2 data-testid='rhs-title'><Resolve value={item.title}/></h2>
                <button type='button' className='dh-icon-button' aria-label='Close' onClick={() => dispatch(actions.closeRHS())} data-testid='rhs-close'>
                    ✕
                </button>
            </div>
            <div className='dh-rhs-body'>
                <Pluggable pluginId={item.pluginId} component={item.component}/>
            </div>
        </aside>
    );
}
