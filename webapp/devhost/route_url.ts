// Mattermost paths on the dev host page. The dev host server serves the page at `/` only, so the path the real webapp
// would show (`/<team>/<plugin id>/<route>`) travels in the query: `/?route=/<team>/<plugin id>/<route>`.
import type {HostLocation} from '../src/location';

export const ROUTE_PARAM = 'route';

/** The Mattermost path in a page query (`?route=/dev/…`), '' when there is none (the channel view). */
export function routeFromSearch(search: string): string {
    const route = new URLSearchParams(search).get(ROUTE_PARAM)?.trim() ?? '';
    if (!route || route === '/') {
        return '';
    }
    return route.startsWith('/') ? route : `/${route}`;
}

/** The page URL that shows the Mattermost path `route`. */
export const pageUrl = (route: string): string => (route ? `/?${ROUTE_PARAM}=${encodeURIComponent(route)}` : '/');

/** `/a/b?x=1` → `{pathname: '/a/b', search: '?x=1'}`, as a history location. */
export function splitPath(route: string): HostLocation {
    const at = route.indexOf('?');
    const pathname = (at < 0 ? route : route.slice(0, at)) || '/';
    return {pathname, search: at < 0 ? '' : route.slice(at)};
}

/** Mattermost's `standardizeRoute`: no leading or trailing slashes. */
export const standardizeRoute = (route: string): string => route.trim().replace(/^\/+|\/+$/g, '');

/**
 * The registered team route showing `route`, as Mattermost's `<Route path={'/:team/' + item.route}>` (not exact) does:
 * `/<team>/<item.route>` or any deeper path matches; `:name` segments match any one segment; the first match wins.
 */
export function matchNeedsTeamRoute<T extends {route: string}>(route: string, items: readonly T[]): {item: T; teamName: string} | undefined {
    const segments = splitPath(route).pathname.split('/').filter(Boolean);
    if (segments.length < 2) {
        return undefined;
    }
    const [team, ...rest] = segments;
    const item = items.find((i) => {
        const want = i.route.split('/').filter(Boolean);
        return want.length > 0 && want.length <= rest.length && want.every((w, n) => w.startsWith(':') || w === rest[n]);
    });
    return item && {item, teamName: decodeURIComponent(team)};
}
