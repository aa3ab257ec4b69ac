// The left sidebar: team picker, main menu, the channels the user belongs to, and public channels to browse and join.
import React, {useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {api} from '../api';
import {navigateTo} from '../routes';
import {actions, type DevDispatch, type DevState} from '../store';
import {loadChannels} from '../sync';
import {MainMenu} from './main_menu';

export function Sidebar() {
    const dispatch = useDispatch<DevDispatch>();
    const {currentTeamId, teams} = useSelector((s: DevState) => s.entities.teams);
    const {currentChannelId, channels, myChannelIds, publicChannelIds} = useSelector((s: DevState) => s.entities.channels);
    const me = useSelector((s: DevState) => s.entities.users.currentUserId);
    const route = useSelector((s: DevState) => s.devhost.route);
    const [error, setError] = useState('');
    const browsable = publicChannelIds.filter((id) => !myChannelIds.includes(id));

    // A channel (or a team) leaves a plugin page for the channel view, as its URL would in Mattermost.
    const openChannel = (channelId: string) => {
        dispatch(actions.selectChannel(channelId));
        if (route) {
            navigateTo(dispatch, '');
        }
    };
    const selectTeam = (teamId: string) => {
        if (route) {
            navigateTo(dispatch, '');
        }
        dispatch(actions.selectTeam(teamId));
        dispatch(loadChannels()).catch((err: unknown) => setError(String(err)));
    };
    const join = async (channelId: string) => {
        setError('');
        try {
            await api.joinChannel(channelId, me);
            await dispatch(loadChannels());
            openChannel(channelId);
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        }
    };

    return (
        <nav className='dh-sidebar' aria-label='Channels'>
            <select className='dh-team' value={currentTeamId} onChange={(e) => selectTeam(e.target.value)} data-testid='team-switcher'
                aria-label='Team'>
                {Object.values(teams).map((t) => <option key={t.id} value={t.id}>{t.display_name}</option>)}
            </select>
            <MainMenu/>
            <h2>Channels</h2>
            <ul data-testid='channel-list'>
                {myChannelIds.map((id) => (
                    <li key={id}>
                        <button type='button' className='dh-channel' aria-current={id === currentChannelId ? 'page' : undefined}
                            onClick={() => openChannel(id)} data-testid='channel-link' data-channel-name={channels[id]?.name}>
                            {channels[id]?.type === 'P' ? '🔒 ' : '# '}{channels[id]?.display_name}
                        </button>
                    </li>
                ))}
                {myChannelIds.length === 0 && <li className='dh-muted'>No channels yet</li>}
            </ul>
            <h2>Browse public channels</h2>
            <ul data-testid='browse-channels'>
                {browsable.map((id) => (
                    <li key={id} className='dh-browse'>
                        <span># {channels[id]?.display_name}</span>
                        <button type='button' onClick={() => join(id)} data-testid='join-channel' data-channel-name={channels[id]?.name}>Join</button>
                    </li>
                ))}
                {browsable.length === 0 && <li className='dh-muted'>Nothing more to join</li>}
            </ul>
            {error && <p role='alert' className='dh-error'>{error}</p>}
        </nav>
    );
}
