import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from '../src/lib/api.js';

const reply = (status, body, type = 'application/json') => async () =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const api = (transport) => createApi({ transport, getToken: async () => 'tok' });

describe('the API client', () => {
  it('returns the JSON of a 2xx', async () => {
    expect(await api(reply(200, { ok: 1 })).get('me')).toEqual({ ok: 1 });
  });

  it("reads a 204 as done, not as a broken answer", async () => {
    const transport = async () => new Response(null, { status: 204 });
    expect(await api(transport).request('admin/holidays/2027', { method: 'DELETE' })).toBeNull();
  });

  it('turns an error status into an ApiError with the server message', async () => {
    const error = await api(reply(422, { error: { code: 'invalid', message: 'bad', fields: { a: 'x' } } }))
      .get('x')
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message]).toEqual([422, 'invalid', 'bad']);
  });

  it('refuses a 200 that is not JSON (a captive portal, not our API)', async () => {
    const error = await api(async () => new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } }))
      .get('me')
      .catch((e) => e);
    expect(error.status).toBe(502);
  });
});
