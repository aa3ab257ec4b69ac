// Unit tests for the incident pages' paths: what a path below the registered route shows, the paths the plugin
// navigates to, and swapping the query (host router's replace, or the window's history without one).
import {afterEach, describe, expect, it} from 'vitest';
import {incidentIdFrom, incidentPagePath, pageRouteFrom, playbooksPath, replaceSearch} from './location';
import {fakeHistory} from './test_utils';

const PAGE = '/dev/org.incidentcollab.incidents/incidents';

afterEach(() => {
    delete window.WebappUtils;
    window.history.replaceState(null, '', '/');
});

describe('incident page paths', () => {
    it('tells the list, one incident, the playbooks and one playbook apart', () => {
        expect(pageRouteFrom({pathname: PAGE, search: '?q=x'})).toEqual({kind: 'list'});
        expect(pageRouteFrom({pathname: `${PAGE}/`, search: ''})).toEqual({kind: 'list'});
        expect(pageRouteFrom({pathname: `${PAGE}/abc`, search: ''})).toEqual({kind: 'incident', id: 'abc'});
        expect(pageRouteFrom({pathname: PAGE, search: '?id=abc'})).toEqual({kind: 'incident', id: 'abc'});
        expect(pageRouteFrom({pathname: `${PAGE}/playbooks`, search: ''})).toEqual({kind: 'playbooks'});
        expect(pageRouteFrom({pathname: `${PAGE}/playbooks/pb%201`, search: ''})).toEqual({kind: 'playbook', id: 'pb 1'});
        expect(incidentIdFrom({pathname: `${PAGE}/playbooks/pb1`, search: ''})).toBe('');
        expect(incidentIdFrom({pathname: `${PAGE}/abc`, search: ''})).toBe('abc');
    });

    it('builds the paths it navigates to', () => {
        expect(incidentPagePath('dev', 'i1')).toBe(`${PAGE}/i1`);
        expect(playbooksPath('dev')).toBe(`${PAGE}/playbooks`);
        expect(playbooksPath('dev', 'pb1')).toBe(`${PAGE}/playbooks/pb1`);
    });

    it('swaps the query with the host router\'s replace, or the window history without a router', () => {
        const history = fakeHistory(PAGE, '?q=a');
        replaceSearch('q=b');
        expect(history.replace).toHaveBeenCalledWith(`${PAGE}?q=b`);
        replaceSearch('q=b');
        expect(history.replace).toHaveBeenCalledTimes(1);
        replaceSearch('');
        expect(history.location).toEqual({pathname: PAGE, search: ''});

        delete window.WebappUtils;
        window.history.replaceState(null, '', PAGE);
        replaceSearch('status=ended');
        expect(window.location.search).toBe('?status=ended');
        expect(window.location.pathname).toBe(PAGE);
    });
});
