// Where the host's router is: Mattermost's `WebappUtils.browserHistory` (history v4, without the subpath) when the host
// has one, else the window. The incident page reads its id from it and the plugin navigates with it.
import {useEffect, useState} from 'react';
import {pluginId} from './manifest';

export type HostLocation = {pathname: string; search: string};
/** The part of a history v4 object the plugin uses. */
export type HostHistory = {location: HostLocation; push(path: string): void; listen(listener: () => void): () => void};

declare global {
    interface Window {
        WebappUtils?: {browserHistory?: HostHistory};
    }
}

const hostHistory = (): HostHistory | undefined => window.WebappUtils?.browserHistory;

export function currentLocation(): HostLocation {
    const {pathname, search} = hostHistory()?.location ?? window.location;
    return {pathname, search};
}

/** The incident id of `/<team>/<plugin id>/incidents/<id>` (or `…/incidents?id=<id>`); '' for the team's list. */
export function incidentIdFrom(location: HostLocation): string {
    const marker = `/${pluginId}/incidents/`;
    const at = location.pathname.indexOf(marker);
    if (at >= 0) {
        const segment = location.pathname.slice(at + marker.length).split('/')[0];
        if (segment) {
            return decodeURIComponent(segment);
        }
    }
    return new URLSearchParams(location.search).get('id') ?? '';
}

/** `/<team>/<plugin id>/incidents[/<id>]`, the path the page is registered at (without the subpath). */
export const incidentPagePath = (teamName: string, incidentId = ''): string =>
    `/${encodeURIComponent(teamName)}/${pluginId}/incidents${incidentId ? `/${encodeURIComponent(incidentId)}` : ''}`;

/** Goes to `path` with the host's router; without one, loads the page. */
export function navigate(path: string): void {
    const history = hostHistory();
    if (history) {
        history.push(path);
    } else {
        window.location.assign(`${window.basename ?? ''}${path}`);
    }
}

/** The host's current location, following its router and the browser's back/forward. */
export function useHostLocation(): HostLocation {
    const [location, setLocation] = useState(currentLocation);
    useEffect(() => {
        const update = () => setLocation(currentLocation());
        const unlisten = hostHistory()?.listen(update);
        window.addEventListener('popstate', update);
        return () => {
            unlisten?.();
            window.removeEventListener('popstate', update);
        };
    }, []);
    return location;
}
