// Component tests for a private incident in the RHS: padlock and banner, the access section only when private,
// "Make public" reloading the incident, the link to the incident page, and nothing left on screen after a 404.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {act, fireEvent, screen} from '@testing-library/react';
import {incidentDelta} from '../reducer';
import {detail, json, renderWithHost, stubFetch, type Call} from '../test_utils';
import type {IncidentDetail} from '../types';
import {IncidentDetail as Detail} from './incident_detail';

function setup(current: () => IncidentDetail | Response, route: (call: Call) => Response | undefined = () => undefined) {
    const calls = stubFetch((call) => {
        if (call.method === 'GET' && call.path === '/incidents/i1') {
            const d = current();
            return d instanceof Response ? d : json(d);
        }
        if (call.method === 'GET' && call.path === '/incidents/i1/access') {
            return json({people: [{user_id: 'u1', username: 'alice', state: 'member'}]});
        }
        return route(call);
    });
    return {calls, ...renderWithHost(<Detail incidentId='i1'/>)};
}

afterEach(() => {
    vi.unstubAllGlobals();
    delete window.WebappUtils;
});

describe('private incident in the RHS', () => {
    it('shows the padlock, the banner and who has access', async () => {
        setup(() => detail());
        await screen.findByTestId('incident-detail');
        expect(screen.getByTestId('incident-private').querySelector('svg')).toBeTruthy();
        expect(screen.getByTestId('incident-private-banner').textContent).toBe('Private incident: only people with access can see it');
        expect(await screen.findByTestId('incident-access-list')).toBeTruthy();
    });

    it('shows neither for a public incident and asks nobody for its access list', async () => {
        const {calls} = setup(() => detail({is_private: false}));
        await screen.findByTestId('incident-detail');
        expect(screen.queryByTestId('incident-private')).toBeNull();
        expect(screen.queryByTestId('incident-private-banner')).toBeNull();
        expect(screen.queryByTestId('incident-access')).toBeNull();
        expect(calls.some((c) => c.path.endsWith('/access'))).toBe(false);
    });

    it('"Make public", once confirmed, reloads the incident and says what happened', async () => {
        let priv = true;
        setup(() => detail({is_private: priv, version: priv ? 3 : 4}), (call) => {
            if (!call.path.endsWith('/visibility')) {
                return undefined;
            }
            if (!(call.body as {confirmed: boolean}).confirmed) {
                return json({error: 'conflict', detail: 'Confirm to continue.'}, 409);
            }
            priv = false;
            return json({message: 'INC-00001 is now public.'});
        });
        await screen.findByTestId('incident-access-list');
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-make-public'));
        });
        await act(async () => {
            fireEvent.click(screen.getByTestId('incident-make-public-yes'));
        });
        expect(screen.getByTestId('incident-detail').getAttribute('data-version')).toBe('4');
        expect(screen.queryByTestId('incident-private-banner')).toBeNull();
        expect(screen.queryByTestId('incident-access')).toBeNull();
        expect(screen.getByTestId('incident-notice').textContent).toBe('INC-00001 is now public.');
    });

    it('opens the incident page of its team', async () => {
        const push = vi.fn();
        window.WebappUtils = {browserHistory: {location: {pathname: '/dev/channels/x', search: ''}, push, listen: () => () => undefined}};
        setup(() => detail());
        fireEvent.click(await screen.findByTestId('incident-open-page'));
        expect(push).toHaveBeenCalledWith('/dev/org.incidentcollab.incidents/incidents/i1');
    });

    it('keeps nothing on screen when the incident answers 404 on a refetch (access revoked)', async () => {
        let gone = false;
        const {store} = setup(() => (gone ? json({error: 'not_found', detail: 'No incident found.'}, 404) : detail()));
        await screen.findByTestId('incident-detail');
        gone = true;
        await act(async () => {
            store.dispatch(incidentDelta({incident_id: 'i1', version: 9}));
        });
        expect(screen.queryByTestId('incident-detail')).toBeNull();
        expect(screen.queryByText('Database down')).toBeNull();
        expect(screen.getByTestId('incident-error').textContent).toContain('No incident found.');
    });
});
