// Unit tests for the incident list's search in the page URL: read with defaults for anything missing or invalid, and
// written back with only what differs from the defaults.
import {describe, expect, it} from 'vitest';
import {DEFAULT_SEARCH, isFiltered, searchFromUrl, searchToUrl} from './incident_search_params';

describe('incident search in the URL', () => {
    it('reads every field, and defaults for missing or invalid ones', () => {
        expect(searchFromUrl('?q=db&status=ended&commander=u2&sort=name&page=3&per_page=2&private=1')).toEqual({
            q: 'db', status: 'ended', commanderId: 'u2', sort: 'name', page: 3, perPage: 2, includePrivate: true,
        });
        expect(searchFromUrl('')).toEqual(DEFAULT_SEARCH);
        expect(searchFromUrl('?status=open&sort=random&page=-1&per_page=500&private=yes')).toEqual(DEFAULT_SEARCH);
    });

    it('writes only what differs from the defaults, and reads it back the same', () => {
        expect(searchToUrl(DEFAULT_SEARCH)).toBe('');
        const s = {...DEFAULT_SEARCH, q: ' disk ', status: 'active' as const, page: 1, perPage: 10, includePrivate: true};
        expect(searchToUrl(s)).toBe('q=disk&status=active&page=1&per_page=10&private=1');
        expect(searchFromUrl(`?${searchToUrl(s)}`)).toEqual({...s, q: 'disk'});
    });

    it('calls a search filtered when text, status or commander narrow it', () => {
        expect(isFiltered(DEFAULT_SEARCH)).toBe(false);
        expect(isFiltered({...DEFAULT_SEARCH, sort: 'name', page: 2, includePrivate: true})).toBe(false);
        expect(isFiltered({...DEFAULT_SEARCH, q: 'x'})).toBe(true);
        expect(isFiltered({...DEFAULT_SEARCH, status: 'ended'})).toBe(true);
        expect(isFiltered({...DEFAULT_SEARCH, commanderId: 'u1'})).toBe(true);
    });
});
