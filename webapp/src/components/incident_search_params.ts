// The team incident list's search state and its place in the page URL (`?q=&status=&commander=&sort=&page=&per_page=
// &private=1`), so a search can be linked to and survives a reload. Only values other than the defaults are written.
import type {IncidentQuery} from '../types';

export type SearchState = Omit<IncidentQuery, 'teamId'>;

export const PER_PAGE_OPTIONS = [10, 25, 50, 100];
export const DEFAULT_SEARCH: SearchState = {
    q: '', status: 'all', commanderId: '', sort: 'newest', page: 0, perPage: 25, includePrivate: false,
};
/** The server's largest page. */
const MAX_PER_PAGE = 200;

const STATUSES: ReadonlyArray<SearchState['status']> = ['all', 'active', 'ended'];
const SORTS: ReadonlyArray<SearchState['sort']> = ['newest', 'oldest', 'name'];

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
    (allowed as readonly string[]).includes(value ?? '') ? (value as T) : fallback;

function integer(value: string | null, min: number, max: number, fallback: number): number {
    const n = Number(value);
    return value && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/** The search a page query describes; anything missing or invalid takes its default. */
export function searchFromUrl(search: string): SearchState {
    const p = new URLSearchParams(search);
    return {
        q: p.get('q') ?? '',
        status: oneOf(p.get('status'), STATUSES, DEFAULT_SEARCH.status),
        commanderId: p.get('commander') ?? '',
        sort: oneOf(p.get('sort'), SORTS, DEFAULT_SEARCH.sort),
        page: integer(p.get('page'), 0, Number.MAX_SAFE_INTEGER, 0),
        perPage: integer(p.get('per_page'), 1, MAX_PER_PAGE, DEFAULT_SEARCH.perPage),
        includePrivate: p.get('private') === '1',
    };
}

/** The page query for a search (without `?`): only what differs from the defaults, '' for none. */
export function searchToUrl(s: SearchState): string {
    const p = new URLSearchParams();
    if (s.q.trim()) {
        p.set('q', s.q.trim());
    }
    if (s.status !== DEFAULT_SEARCH.status) {
        p.set('status', s.status);
    }
    if (s.commanderId) {
        p.set('commander', s.commanderId);
    }
    if (s.sort !== DEFAULT_SEARCH.sort) {
        p.set('sort', s.sort);
    }
    if (s.page > 0) {
        p.set('page', String(s.page));
    }
    if (s.perPage !== DEFAULT_SEARCH.perPage) {
        p.set('per_page', String(s.perPage));
    }
    if (s.includePrivate) {
        p.set('private', '1');
    }
    return p.toString();
}

/** Whether anything narrows the list (so an empty answer means "no match", not "no incidents"). */
export const isFiltered = (s: SearchState): boolean => Boolean(s.q.trim() || s.status !== 'all' || s.commanderId);
