// The top bar: the dev-only banner, plugin and bundle status, WebSocket status and the user switcher.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';
import {api} from '../api';
import type {DevState} from '../store';

function PluginStatusBadge() {
    const plugin = useSelector((s: DevState) => s.devhost.plugin);
    const bundles = useSelector((s: DevState) => s.devhost.bundles);
    const connected = useSelector((s: DevState) => s.devhost.connected);
    const bundle = plugin ? bundles[plugin.id] : undefined;
    return (
        <div className='dh-status' data-testid='plugin-status' data-state={plugin?.state ?? 'unknown'}
            data-bundle={bundle?.state ?? 'none'} aria-live='polite'>
            {plugin ? (
                <>
                    <strong>{plugin.id}</strong>{` ${plugin.version} — server: ${plugin.state}`}
                    {plugin.nodes > 1 && ` (${plugin.nodes} nodes)`}
                    {` — bundle: ${bundle?.state ?? 'not listed'}`}
                    {plugin.message && <span className='dh-status-message'>{` — ${plugin.message}`}</span>}
                    {bundle?.error && <span className='dh-error'>{` — ${bundle.error}`}</span>}
                </>
            ) : 'Plugin status unknown'}
            <span className={connected ? 'dh-online' : 'dh-offline'} data-testid='socket-status'>
                {connected ? ' ● live' : ' ○ reconnecting'}
            </span>
        </div>
    );
}

function UserSwitcher() {
    const users = useSelector((s: DevState) => s.devhost.users);
    const me = useSelector((s: DevState) => s.entities.users.currentUserId);
    const [error, setError] = useState('');
    const onChange = async (userId: string) => {
        try {
            await api.switchUser(userId);
            window.location.reload();
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        }
    };
    return (
        <label className='dh-user-switcher'>
            {'Acting as '}
            <select value={me} onChange={(e) => onChange(e.target.value)} data-testid='user-switcher'>
                {users.map((u) => <option key={u.id} value={u.id}>{`@${u.username}`}</option>)}
            </select>
            {error && <span role='alert' className='dh-error'>{error}</span>}
        </label>
    );
}

export function TopBar() {
    return (
        <header className='dh-top'>
            <div className='dh-banner' role='note' data-testid='devhost-banner'>
                Dev host — not a Mattermost server; user switcher is for development only
            </div>
            <div className='dh-top-row'>
                <PluginStatusBadge/>
                <UserSwitcher/>
            </div>
        </header>
    );
}
