// Component tests for the incident page (a team route): the overview readable without joining, "Join channel" only
// for non-members, the placeholder for a 404 with "Request access" (202 message, 429 detail), the id from the path
// or `?id=`, following the host's router, and the team's list with the private filter.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen} from '@testing-library/react';
import {detail, fakeHistory, hostEntities, json, renderWithHost, row, stubFetch, type Call} from '../test_utils';
import {IncidentPage} from './incident_page';

const PAGE = '/dev/org.incidentcollab.incidents/incidents';

const notFound = () => json({error: 'not_found', detail: 'No incident found.'}, 404);

function setup(route: (call: Call) => Response | undefined, member = true) {
    const calls = stubFetch(route);
    renderWithHost(<IncidentPage/>, hostEntities({channelId: 'town', member}));
    return calls;
}

afterEach(() => {
    vi.unstubAllGlobals();
    delete window.WebappUtils;
    window.history.replaceState(null, '', '/');
});

describe('incident page', () => {
    it('shows the overview: name, status, commander, latest update and checklist progress', async () => {
        fakeHistory(`${PAGE}/i1`);
        setup((c) => (c.path === '/incidents/i1' ? json(detail({is_private: false})) : undefined));
        const overview = await screen.findByTestId('incident-overview');
        expect(overview.getAttribute('data-incident-id')).toBe('i1');
        expect(screen.getByTestId('incident-name').textContent).toBe('Database down');
        expect(screen.getByTestId('incident-status').textContent).toBe('Active');
        expect(screen.getByTestId('incident-commander').textContent).toBe('@alice');
        expect(screen.getByTestId('incident-last-update').textContent).toContain('Failing over');
        expect(screen.getByTestId('incident-page-progress').textContent).toContain('1 of 2 tasks done');
        expect(screen.getAllByTestId('incident-page-checklist').map((c) => c.textContent)).toEqual(['Triage1/2']);
        expect(screen.queryByTestId('incident-join')).toBeNull();
        expect(screen.queryByTestId('incident-private-banner')).toBeNull();
    });

    it('offers "Join channel" to someone not in the channel and shows the server\'s answer', async () => {
        fakeHistory(`${PAGE}/i1`);
        const calls = setup((c) => {
            if (c.path === '/incidents/i1/join') {
                return json({message: 'You joined the channel of INC-00001.'});
            }
            return c.path === '/incidents/i1' ? json(detail({is_private: false})) : undefined;
        }, false);
        await screen.findByTestId('incident-overview');
        expect(screen.getByTestId('incident-join').textContent).toContain('You are not in this incident’s channel.');
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-join-button'));
        });
        expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/incidents/i1/join']);
        expect(screen.getByTestId('incident-join-result').textContent).toBe('You joined the channel of INC-00001.');
        expect(screen.queryByTestId('incident-join-button')).toBeNull();
    });

    it('shows a private incident with its banner and access section', async () => {
        fakeHistory(`${PAGE}/i1`);
        setup((c) => {
            if (c.path === '/incidents/i1/access') {
                return json({people: [{user_id: 'u2', username: 'bob', state: 'revoked'}]});
            }
            return c.path === '/incidents/i1' ? json(detail()) : undefined;
        });
        await screen.findByTestId('incident-overview');
        expect(screen.getByTestId('incident-private-banner')).toBeTruthy();
        expect((await screen.findByTestId('incident-access-person')).dataset.state).toBe('revoked');
    });

    it('shows a placeholder without any real information for a 404, and asks for access', async () => {
        fakeHistory(`${PAGE}/i1`);
        const message = 'If this incident exists and is private, its members were asked to let you in.';
        const calls = setup((c) => {
            if (c.path === '/incidents/i1/request-access') {
                return new Response(JSON.stringify({status: 'requested', message}), {status: 202});
            }
            return c.path === '/incidents/i1' ? notFound() : undefined;
        });
        const placeholder = await screen.findByTestId('incident-placeholder');
        expect(placeholder.textContent).toContain('This incident does not exist or is private.');
        expect(screen.getByTestId('incident-page').textContent).not.toMatch(/Database|INC-|alice|No incident found/);
        expect(screen.queryByTestId('incident-overview')).toBeNull();
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-request-access'));
        });
        expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/incidents/i1/request-access']);
        expect(screen.getByTestId('incident-request-result').textContent).toBe(message);
        expect((screen.getByTestId('incident-request-access') as HTMLButtonElement).disabled).toBe(true);
    });

    it('shows the 429 detail when access was asked for less than 15 minutes ago', async () => {
        fakeHistory(`${PAGE}/i1`);
        setup((c) => {
            if (c.path === '/incidents/i1/request-access') {
                return json({error: 'too_soon', detail: 'You can ask for access to an incident once every 15 minutes.'}, 429);
            }
            return c.path === '/incidents/i1' ? notFound() : undefined;
        });
        const button = await screen.findByTestId('incident-request-access');
        await act(async () => {
            fireEvent.click(button);
        });
        expect(screen.getByTestId('incident-request-result').textContent).toBe('You can ask for access to an incident once every 15 minutes.');
        expect((screen.getByTestId('incident-request-access') as HTMLButtonElement).disabled).toBe(false);
    });

    it('reads the id from ?id= without a host router, and follows the host router to another incident', async () => {
        window.history.replaceState(null, '', `${PAGE}?id=i2`);
        const calls = setup((c) => {
            const m = /^\/incidents\/(i\d)$/.exec(c.path);
            return m ? json(detail({id: m[1], name: `Incident ${m[1]}`, is_private: false})) : undefined;
        });
        expect((await screen.findByTestId('incident-name')).textContent).toBe('Incident i2');
        act(() => {
            fakeHistory(`${PAGE}/i3`);
            window.dispatchEvent(new PopStateEvent('popstate'));
        });
        expect((await screen.findByText('Incident i3'))).toBeTruthy();
        expect(calls.map((c) => c.path)).toEqual(['/incidents/i2', '/incidents/i3']);
    });

    it('without an id lists the team\'s incidents, private ones only with the filter, and opens one', async () => {
        const history = fakeHistory(PAGE);
        const secret = {...row, id: 'i9', name: 'Breach'};
        const calls = setup((c) => {
            if (c.path.startsWith('/incidents?')) {
                const all = c.path.includes('include_private=true');
                return json({items: all ? [{...row, is_private: false}, secret] : [{...row, is_private: false}], total: all ? 2 : 1});
            }
            return c.path === '/incidents/i9' ? json(detail({id: 'i9', name: 'Breach'})) : undefined;
        });
        const searches = () => calls.filter((c) => c.path.startsWith('/incidents?')).map((c) => c.path);
        const list = await screen.findByTestId('incident-list');
        expect(list.textContent).not.toContain('Breach');
        expect(searches()).toEqual(['/incidents?team_id=t1&sort=newest&page=0&per_page=25&include_private=false']);
        fireEvent.click(screen.getByTestId('incident-show-private'));
        const item = await screen.findByRole('button', {name: 'Open Breach'});
        expect(searches().at(-1)).toBe('/incidents?team_id=t1&sort=newest&page=0&per_page=25&include_private=true');
        expect(history.location.search).toBe('?private=1');
        expect(item.querySelector('[data-testid="incident-private"]')).toBeTruthy();
        fireEvent.click(item);
        expect(history.push).toHaveBeenCalledWith(`${PAGE}/i9`);
        expect((await screen.findByTestId('incident-overview')).getAttribute('data-incident-id')).toBe('i9');
        fireEvent.click(screen.getByTestId('incident-page-all'));
        expect(history.push).toHaveBeenLastCalledWith(PAGE);
    });
});
