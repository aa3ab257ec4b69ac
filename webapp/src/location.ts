// Where the host's router is: Mattermost's `WebappUtils.browserHistory` (history v4, without the subpath) when the host
// has one, else the window. The incident pages read what to show from it (list, one incident, playbooks, one
// playbook) and the plugin navigates with it.
import {useEffect, useState} from 'react';
import {pluginId} from './manifest';

export type HostLocation = {pathname: string; search: string};
/** The part of a history v4 object the plugin uses. */
export type HostHistory = {
    location: HostLocation; push(path: string): void; replace?(path: string): void; listen(listener: () => void): () => void;
};

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

/** The segment below `/incidents/` that holds the playbook pages (incident ids never read like it). */
export const PLAYBOOKS_SEGMENT = 'playbooks';

/** What a path below the registered route shows. */
export type PageRoute = {kind: 'list'} | {kind: 'incident'; id: string} | {kind: 'playbooks'} | {kind: 'playbook'; id: string};

/**
 * `/<team>/<plugin id>/incidents` → the team's list; `…/incidents/<id>` (or `…/incidents?id=<id>`) → one incident;
 * `…/incidents/playbooks` → the playbooks; `…/incidents/playbooks/<id>` → one playbook's editor.
 */
export function pageRouteFrom(location: HostLocation): PageRoute {
    const marker = `/${pluginId}/incidents/`;
    const at = location.pathname.indexOf(marker);
    const [first, second] = at >= 0 ? location.pathname.slice(at + marker.length).split('/').map(decodeURIComponent) : [];
    if (first === PLAYBOOKS_SEGMENT) {
        return second ? {kind: 'playbook', id: second} : {kind: 'playbooks'};
    }
    const id = first || new URLSearchParams(location.search).get('id') || '';
    return id ? {kind: 'incident', id} : {kind: 'list'};
}

/** The incident id of `/<team>/<plugin id>/incidents/<id>` (or `…/incidents?id=<id>`); '' for any other page. */
export function incidentIdFrom(location: HostLocation): string {
    const route = pageRouteFrom(location);
    return route.kind === 'incident' ? route.id : '';
}

/** `/<team>/<plugin id>/incidents[/<id>]`, the path the page is registered at (without the subpath). */
export const incidentPagePath = (teamName: string, incidentId = ''): string =>
    `/${encodeURIComponent(teamName)}/${pluginId}/incidents${incidentId ? `/${encodeURIComponent(incidentId)}` : ''}`;

/** `/<team>/<plugin id>/incidents/playbooks[/<id>]`. */
export const playbooksPath = (teamName: string, playbookId = ''): string =>
    `${incidentPagePath(teamName)}/${PLAYBOOKS_SEGMENT}${playbookId ? `/${encodeURIComponent(playbookId)}` : ''}`;

/** Swaps the query of the current page (`search` without `?`, '' for none) without a new history entry. */
export function replaceSearch(search: string): void {
    const current = currentLocation();
    const next = search ? `?${search}` : '';
    if (current.search === next) {
        return;
    }
    const history = hostHistory();
    if (history?.replace) {
        history.replace(`${current.pathname}${next}`);
    } else if (!history) {
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${next}`);
    }
}

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
