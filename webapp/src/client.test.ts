// Unit tests for the plugin fetch layer: CSRF cookie parsing, request headers and error mapping.
import {afterEach, describe, expect, it, vi} from 'vitest';
import {ApiError, client, csrfToken, fetchJson, pluginApiUrl, requestHeaders} from './client';

const okJson = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status, headers: {'Content-Type': 'application/json'}});

afterEach(() => {
    vi.unstubAllGlobals();
    delete window.basename;
});

describe('csrfToken', () => {
    it('reads MMCSRF among other cookies', () => {
        expect(csrfToken('MMUSERID=u1; MMCSRF=tok%2Ben; other=x')).toBe('tok+en');
    });
    it('is undefined without the cookie', () => {
        expect(csrfToken('MMUSERID=u1')).toBeUndefined();
        expect(csrfToken('')).toBeUndefined();
    });
});

describe('requestHeaders', () => {
    it('never sends the CSRF token on GET', () => {
        expect(requestHeaders('GET', false, 'MMCSRF=abc')).toEqual({'X-Requested-With': 'XMLHttpRequest'});
    });
    it('sends X-CSRF-Token and JSON content type on non-GET', () => {
        for (const method of ['POST', 'put', 'DELETE', 'PATCH']) {
            expect(requestHeaders(method, true, 'a=1; MMCSRF=abc')).toEqual({
                'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json', 'X-CSRF-Token': 'abc',
            });
        }
    });
    it('still sends X-Requested-With when no CSRF cookie is set', () => {
        expect(requestHeaders('POST', false, '')).toEqual({'X-Requested-With': 'XMLHttpRequest'});
    });
});

describe('fetchJson', () => {
    it('uses credentials and the document cookie for non-GET requests', async () => {
        document.cookie = 'MMCSRF=from-cookie';
        const fetchMock = vi.fn(async () => okJson({ok: true}));
        vi.stubGlobal('fetch', fetchMock);
        await expect(fetchJson('/x', 'POST', {a: 1})).resolves.toEqual({ok: true});
        expect(fetchMock).toHaveBeenCalledWith('/x', expect.objectContaining({
            method: 'POST', credentials: 'include', body: '{"a":1}',
            headers: expect.objectContaining({'X-CSRF-Token': 'from-cookie'}),
        }));
    });
    it('maps a Mattermost error body to ApiError', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => okJson({id: 'api.not_found', message: 'nope', status_code: 404}, 404)));
        const err = await fetchJson('/x').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ApiError);
        expect(err).toMatchObject({status: 404, message: 'nope', serverId: 'api.not_found'});
    });
    it("maps the plugin's {error, detail} body to ApiError", async () => {
        vi.stubGlobal('fetch', vi.fn(async () => okJson({error: 'too_large', detail: 'The body is too large.'}, 413)));
        const err = await fetchJson('/x').catch((e: unknown) => e);
        expect(err).toMatchObject({status: 413, message: 'The body is too large.', serverId: 'too_large'});
    });
    it('copes with an empty or non-JSON body', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>oops</html>', {status: 502})));
        await expect(fetchJson('/x')).rejects.toMatchObject({status: 502, message: 'HTTP 502'});
    });
});

describe('client URLs', () => {
    it('prefixes the plugin API with basename and plugin id', async () => {
        window.basename = '/mm';
        expect(pluginApiUrl('/health')).toBe('/mm/plugins/org.incidentcollab.incidents/api/v0/health');
        const fetchMock = vi.fn(async (_url: string) => okJson({items: [], total: 0}));
        vi.stubGlobal('fetch', fetchMock);
        await client.listIncidents('ch 1');
        expect(fetchMock.mock.calls[0][0]).toBe('/mm/plugins/org.incidentcollab.incidents/api/v0/incidents?channel_id=ch%201');
    });
});
