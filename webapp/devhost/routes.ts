// The dev host's stand-in for Mattermost's router: `WebappUtils.browserHistory` (history v4's push, replace, listen and
// location) over the store's `devhost.route`, kept in the page URL as `?route=` (see route_url.ts).
import type {HostHistory} from '../src/location';
import {pageUrl, routeFromSearch, splitPath} from './route_url';
import {actions, type DevDispatch, type DevStore} from './store';

/** Shows the Mattermost path `route` ('' or '/' = the channel view) and records it in the address bar. */
export function navigateTo(dispatch: DevDispatch, route: string, replace = false): void {
    const path = route === '/' ? '' : route;
    const url = pageUrl(path);
    if (`${window.location.pathname}${window.location.search}` !== url) {
        window.history[replace ? 'replaceState' : 'pushState'](null, '', url);
    }
    dispatch(actions.navigated(path));
}

export type DevHistory = HostHistory & {replace(path: string): void};

/** The history object plugins get as `window.WebappUtils.browserHistory`; back/forward follow the address bar. */
export function createBrowserHistory(store: DevStore): DevHistory {
    window.addEventListener('popstate', () => store.dispatch(actions.navigated(routeFromSearch(window.location.search))));
    return {
        get location() {
            return splitPath(store.getState().devhost.route || '/');
        },
        push: (path: string) => navigateTo(store.dispatch, path),
        replace: (path: string) => navigateTo(store.dispatch, path, true),
        listen(listener: () => void) {
            let last = store.getState().devhost.route;
            return store.subscribe(() => {
                const now = store.getState().devhost.route;
                if (now !== last) {
                    last = now;
                    listener();
                }
            });
        },
    };
}
