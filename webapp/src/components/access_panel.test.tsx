// Component tests for the access panel of a private incident: who has access (revoked greyed, time-boxed "until"),
// grant (with and without minutes), revoke, server errors inline, and "Make public" with the server's confirmation.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen, within} from '@testing-library/react';
import {json, renderWithHost, stubFetch, type Call} from '../test_utils';
import type {AccessPerson} from '../types';
import {AccessPanel} from './access_panel';

const until = Date.UTC(2030, 0, 2, 15, 30);
const people = (): AccessPerson[] => [
    {user_id: 'u1', username: 'alice', state: 'member'},
    {user_id: 'u2', username: 'bob', state: 'member', expires_at: until},
    {user_id: 'u3', username: 'carol', state: 'invited'},
    {user_id: 'u4', username: 'dave', state: 'revoked'},
];

function setup(route: (call: Call) => Response | undefined = () => undefined) {
    let list = people();
    const calls = stubFetch((call) => {
        if (call.method === 'GET' && call.path === '/incidents/i1/access') {
            return json({people: list});
        }
        if (call.path === '/incidents/i1/access/revoke' && !route(call)) {
            const who = (call.body as {username: string}).username;
            list = list.map((p) => (p.username === who ? {user_id: p.user_id, username: who, state: 'revoked'} : p));
            return json({message: `@${who}'s access was revoked.`});
        }
        return route(call);
    });
    const onVisibilityChanged = vi.fn();
    renderWithHost(<AccessPanel incidentId='i1' version={3} onVisibilityChanged={onVisibilityChanged}/>);
    return {calls, onVisibilityChanged};
}

const person = (username: string) => screen.getAllByTestId('incident-access-person').find((p) => p.dataset.username === username) as HTMLElement;

afterEach(() => vi.unstubAllGlobals());

describe('AccessPanel', () => {
    it('lists who has access: revoked greyed with "revoked", a time-boxed grant with its end', async () => {
        setup();
        await screen.findByTestId('incident-access-list');
        expect(screen.getAllByTestId('incident-access-person').map((p) => [p.dataset.username, p.dataset.state])).toEqual([
            ['alice', 'member'], ['bob', 'member'], ['carol', 'invited'], ['dave', 'revoked'],
        ]);
        const dave = person('dave');
        expect(dave.textContent).toContain('revoked');
        expect(dave.style.opacity).toBe('0.48');
        expect(person('alice').style.opacity).toBe('');
        expect(within(dave).queryByTestId('incident-access-revoke')).toBeNull();
        expect(within(person('bob')).getByTestId('incident-access-until').textContent).toBe(` · until ${new Intl.DateTimeFormat('en', {dateStyle: 'medium', timeStyle: 'short'}).format(until)}`);
        expect(within(person('alice')).queryByTestId('incident-access-until')).toBeNull();
    });

    it('is collapsible', async () => {
        setup();
        await screen.findByTestId('incident-access-list');
        const toggle = screen.getByTestId('incident-access-toggle');
        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        fireEvent.click(toggle);
        expect(toggle.getAttribute('aria-expanded')).toBe('false');
        expect(screen.queryByTestId('incident-access-list')).toBeNull();
        expect(screen.queryByTestId('incident-access-grant')).toBeNull();
    });

    it('revokes someone: the list is read again and shows them revoked', async () => {
        const {calls} = setup();
        await screen.findByTestId('incident-access-list');
        await act(async () => {
            fireEvent.click(within(person('bob')).getByRole('button', {name: 'Revoke @bob'}));
        });
        expect(calls.find((c) => c.path.endsWith('/access/revoke'))?.body).toEqual({username: 'bob'});
        expect(person('bob').dataset.state).toBe('revoked');
        expect(person('bob').style.opacity).toBe('0.48');
        expect(screen.getByTestId('incident-access-notice').textContent).toBe('@bob\'s access was revoked.');
    });

    it('shows the server\'s refusal inline', async () => {
        setup((call) => (call.path.endsWith('/access/revoke') ?
            json({error: 'conflict', detail: '@alice is the commander; change the commander before revoking their access.'}, 409) : undefined));
        await screen.findByTestId('incident-access-list');
        await act(async () => {
            fireEvent.click(within(person('alice')).getByTestId('incident-access-revoke'));
        });
        expect(screen.getByTestId('incident-access-error').textContent).toContain('@alice is the commander');
        expect(person('alice').dataset.state).toBe('member');
    });

    it('grants access, time-boxed when minutes are given, and keeps the form on an error', async () => {
        const {calls} = setup((call) => {
            if (!call.path.endsWith('/access/grant')) {
                return undefined;
            }
            const {username} = call.body as {username: string};
            return username === 'zed' ? json({error: 'invalid', detail: 'There is no user @zed.'}, 400) : json({message: `@${username} now has access.`});
        });
        await screen.findByTestId('incident-access-list');
        const username = screen.getByTestId('incident-access-username') as HTMLInputElement;
        fireEvent.change(username, {target: {value: '@erin'}});
        fireEvent.change(screen.getByTestId('incident-access-minutes'), {target: {value: '30'}});
        await act(async () => {
            fireEvent.submit(screen.getByTestId('incident-access-grant'));
        });
        fireEvent.change(username, {target: {value: 'frank'}});
        await act(async () => {
            fireEvent.submit(screen.getByTestId('incident-access-grant'));
        });
        expect(calls.filter((c) => c.path.endsWith('/access/grant')).map((c) => c.body)).toEqual([
            {username: 'erin', expires_in_minutes: 30}, {username: 'frank'},
        ]);
        expect(screen.getByTestId('incident-access-notice').textContent).toBe('@frank now has access.');
        expect(calls.filter((c) => c.method === 'GET' && c.path.endsWith('/access'))).toHaveLength(3);
        fireEvent.change(username, {target: {value: 'zed'}});
        await act(async () => {
            fireEvent.submit(screen.getByTestId('incident-access-grant'));
        });
        expect(screen.getByTestId('incident-access-error').textContent).toContain('There is no user @zed.');
        expect(username.value).toBe('zed');
    });

    it('refuses minutes out of range without asking the server', async () => {
        const {calls} = setup();
        await screen.findByTestId('incident-access-list');
        fireEvent.change(screen.getByTestId('incident-access-username'), {target: {value: 'erin'}});
        fireEvent.change(screen.getByTestId('incident-access-minutes'), {target: {value: '0'}});
        fireEvent.submit(screen.getByTestId('incident-access-grant'));
        expect(screen.getByTestId('incident-access-error').textContent).toContain('Minutes must be a whole number');
        expect(calls.some((c) => c.path.endsWith('/access/grant'))).toBe(false);
    });

    it('"Make public" asks for the server\'s confirmation first, then makes it public', async () => {
        const question = 'Making this incident public shows it, its timeline and its updates to the whole team. Confirm to continue.';
        const {calls, onVisibilityChanged} = setup((call) => {
            if (!call.path.endsWith('/visibility')) {
                return undefined;
            }
            return (call.body as {confirmed: boolean}).confirmed ? json({message: 'INC-00001 is now public.'}) : json({error: 'conflict', detail: question}, 409);
        });
        await screen.findByTestId('incident-access-list');
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-make-public'));
        });
        expect(screen.getByTestId('incident-make-public-confirm').textContent).toContain(question);
        fireEvent.click(screen.getByTestId('incident-make-public-no'));
        expect(screen.queryByTestId('incident-make-public-confirm')).toBeNull();
        expect(onVisibilityChanged).not.toHaveBeenCalled();

        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-make-public'));
        });
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-make-public-yes'));
        });
        expect(calls.filter((c) => c.path.endsWith('/visibility')).map((c) => c.body)).toEqual([
            {visibility: 'public', confirmed: false}, {visibility: 'public', confirmed: false}, {visibility: 'public', confirmed: true},
        ]);
        expect(onVisibilityChanged).toHaveBeenCalledWith('INC-00001 is now public.');
    });

    it('shows a refused "Make public" inline', async () => {
        setup((call) => (call.path.endsWith('/visibility') ? json({error: 'forbidden', detail: 'Only channel members can do that.'}, 403) : undefined));
        await screen.findByTestId('incident-access-list');
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-make-public'));
        });
        expect(screen.queryByTestId('incident-make-public-confirm')).toBeNull();
        expect(screen.getByTestId('incident-access-error').textContent).toContain('Only channel members can do that.');
    });
});
