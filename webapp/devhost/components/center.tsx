// The centre of the page: the channel (header, posts, message box), or, when the page's Mattermost path
// (`?route=/<team>/<plugin id>/<route>`) matches a route a plugin registered with registerNeedsTeamRoute, that
// plugin's page. The path's team becomes the current team, as in Mattermost.
import React, {useEffect} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {matchNeedsTeamRoute} from '../route_url';
import {navigateTo} from '../routes';
import {actions, type DevDispatch, type DevState} from '../store';
import {loadChannels} from '../sync';
import {ChannelHeader} from './channel_header';
import {MessageBox} from './message_box';
import {Pluggable} from './plugin_ui';
import {PostList} from './post_list';

function useRouteTeam(teamName: string | undefined) {
    const dispatch = useDispatch<DevDispatch>();
    const {currentTeamId, teams} = useSelector((s: DevState) => s.entities.teams);
    useEffect(() => {
        const team = teamName ? Object.values(teams).find((t) => t.name === teamName) : undefined;
        if (team && team.id !== currentTeamId) {
            dispatch(actions.selectTeam(team.id));
            dispatch(loadChannels()).catch((err: unknown) => console.error('[devhost] loading channels failed', err));
        }
    }, [dispatch, teamName, teams, currentTeamId]);
}

export function Center() {
    const dispatch = useDispatch<DevDispatch>();
    const route = useSelector((s: DevState) => s.devhost.route);
    const items = useSelector((s: DevState) => s.plugins.components.NeedsTeamComponent);
    const match = route ? matchNeedsTeamRoute(route, items) : undefined;
    useRouteTeam(match?.teamName);

    if (match) {
        return (
            <main className='dh-center dh-route' data-testid='plugin-route' data-plugin-id={match.item.pluginId} data-route={route}>
                <Pluggable key={match.item.id} pluginId={match.item.pluginId} component={match.item.component}/>
            </main>
        );
    }
    if (route) {
        return (
            <main className='dh-center dh-route' data-testid='route-missing' data-route={route}>
                <p>{`No page at ${route} (yet: plugin bundles may still be loading).`}</p>
                <button type='button' className='dh-primary' onClick={() => navigateTo(dispatch, '')}>Back to channels</button>
            </main>
        );
    }
    return (
        <main className='dh-center'>
            <ChannelHeader/>
            <PostList/>
            <MessageBox/>
        </main>
    );
}
