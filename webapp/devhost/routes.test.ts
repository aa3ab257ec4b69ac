// Unit tests for the dev host's browserHistory stand-in: location from the store, push/replace into `?route=`,
// listeners told of changes only, and back/forward (popstate) followed.
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createBrowserHistory} from './routes';
import {createDevStore} from './store';

afterEach(() => window.history.replaceState(null, '', '/'));

describe('browserHistory stand-in', () => {
    it('pushes Mattermost paths into ?route= and the store, and tells listeners', () => {
        const store = createDevStore();
        const history = createBrowserHistory(store);
        const listener = vi.fn();
        const unlisten = history.listen(listener);
        expect(history.location).toEqual({pathname: '/', search: ''});

        history.push('/dev/com.p/incidents?id=i1');
        expect(store.getState().devhost.route).toBe('/dev/com.p/incidents?id=i1');
        expect(history.location).toEqual({pathname: '/dev/com.p/incidents', search: '?id=i1'});
        expect(`${window.location.pathname}${window.location.search}`).toBe('/?route=%2Fdev%2Fcom.p%2Fincidents%3Fid%3Di1');
        expect(listener).toHaveBeenCalledTimes(1);

        const length = window.history.length;
        history.replace('/dev/com.p/incidents/i2');
        expect(window.history.length).toBe(length);
        history.push('/');
        expect(store.getState().devhost.route).toBe('');
        expect(window.location.search).toBe('');
        store.dispatch({type: 'SOMETHING_ELSE'});
        expect(listener).toHaveBeenCalledTimes(3);

        unlisten();
        history.push('/dev/com.p/incidents');
        expect(listener).toHaveBeenCalledTimes(3);
    });

    it('follows the address bar on back and forward', () => {
        const store = createDevStore();
        createBrowserHistory(store);
        window.history.pushState(null, '', '/?route=%2Fdev%2Fcom.p%2Fincidents');
        window.dispatchEvent(new PopStateEvent('popstate'));
        expect(store.getState().devhost.route).toBe('/dev/com.p/incidents');
    });

    it('starts from the ?route= of the page', () => {
        window.history.replaceState(null, '', '/?route=%2Fdev%2Fcom.p%2Fincidents%2Fi1');
        expect(createDevStore().getState().devhost.route).toBe('/dev/com.p/incidents/i1');
    });
});
