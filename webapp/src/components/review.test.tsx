// Unit tests for the review line and the export links.
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {render, screen} from '@testing-library/react';
import {IntlProvider} from 'react-intl';
import {ReviewAndExport} from './review';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status});

function renderReview(ended: boolean) {
    const fetchMock = vi.fn(async (_url: string) => json({duration_ms: 2 * 3600000, member_ids: ['u1', 'u2'], messages: 1}));
    vi.stubGlobal('fetch', fetchMock);
    render(<IntlProvider locale='en'><ReviewAndExport incidentId='i1' ended={ended} version={3}/></IntlProvider>);
    return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

describe('ReviewAndExport', () => {
    it('shows the review numbers of an ended incident and both downloads', async () => {
        const fetchMock = renderReview(true);
        const numbers = await screen.findByTestId('incident-review-numbers');
        expect(numbers.textContent).toContain('2 people involved');
        expect(numbers.textContent).toContain('1 message');
        expect(fetchMock.mock.calls[0][0]).toBe('/plugins/org.incidentcollab.incidents/api/v0/incidents/i1/review');
        expect(screen.getByTestId('incident-export-markdown').getAttribute('href')).toBe('/plugins/org.incidentcollab.incidents/api/v0/incidents/i1/export?format=markdown');
        expect(screen.getByTestId('incident-export-json').getAttribute('href')).toContain('format=json');
    });

    it('fetches no review while the incident is active', () => {
        const fetchMock = renderReview(false);
        expect(fetchMock).not.toHaveBeenCalled();
        expect(screen.queryByTestId('incident-review-numbers')).toBeNull();
        expect(screen.getByTestId('incident-export-markdown')).toBeTruthy();
    });
});
