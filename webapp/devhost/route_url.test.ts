// Unit tests for Mattermost paths on the dev host page: `?route=` parsing, page URLs, and team route matching
// (a prefix match like Mattermost's non-exact `<Route path={'/:team/' + route}>`).
import {describe, expect, it} from 'vitest';
import {matchNeedsTeamRoute, pageUrl, routeFromSearch, splitPath, standardizeRoute} from './route_url';

const items = [
    {id: 'a', route: 'com.p/incidents'},
    {id: 'b', route: 'com.p/stats/:kind'},
];

describe('route URLs', () => {
    it('reads and writes the Mattermost path in ?route=', () => {
        expect(routeFromSearch('')).toBe('');
        expect(routeFromSearch('?route=%2F')).toBe('');
        expect(routeFromSearch('?x=1&route=dev%2Fcom.p%2Fincidents%2Fi1')).toBe('/dev/com.p/incidents/i1');
        expect(pageUrl('/dev/com.p/incidents?id=i1')).toBe('/?route=%2Fdev%2Fcom.p%2Fincidents%3Fid%3Di1');
        expect(routeFromSearch(pageUrl('/dev/com.p/incidents?id=i1').slice(1))).toBe('/dev/com.p/incidents?id=i1');
        expect(pageUrl('')).toBe('/');
        expect(splitPath('/dev/com.p/incidents?id=i1')).toEqual({pathname: '/dev/com.p/incidents', search: '?id=i1'});
        expect(splitPath('')).toEqual({pathname: '/', search: ''});
        expect(standardizeRoute(' /incidents/ ')).toBe('incidents');
    });

    it('matches /<team>/<route> and deeper paths, with :params, and nothing else', () => {
        expect(matchNeedsTeamRoute('/dev/com.p/incidents', items)).toEqual({item: items[0], teamName: 'dev'});
        expect(matchNeedsTeamRoute('/dev/com.p/incidents/i1', items)?.item.id).toBe('a');
        expect(matchNeedsTeamRoute('/my%20team/com.p/incidents?id=i1', items)).toEqual({item: items[0], teamName: 'my team'});
        expect(matchNeedsTeamRoute('/dev/com.p/stats/weekly', items)?.item.id).toBe('b');
        expect(matchNeedsTeamRoute('/dev/com.p/stats', items)).toBeUndefined();
        expect(matchNeedsTeamRoute('/dev/com.p/incidentsx', items)).toBeUndefined();
        expect(matchNeedsTeamRoute('/com.p/incidents', items)).toBeUndefined();
        expect(matchNeedsTeamRoute('/dev/other/incidents', items)).toBeUndefined();
        expect(matchNeedsTeamRoute('/dev/com.p/incidents', [])).toBeUndefined();
    });
});
