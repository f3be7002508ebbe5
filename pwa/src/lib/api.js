// Reads and sign-in against the API. Writes never go through here: they go through the outbox.
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.body = body;
  }
}

export function createApi({ transport, getToken }) {
  async function request(path, { method = 'GET', json } = {}) {
    const headers = { Accept: 'application/json' };
    const token = await getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await transport(path.startsWith('/') ? path : `${API}/${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (res.status === 204) return null; // a DELETE's "done": no body to read
    const type = res.headers.get('content-type') || '';
    const body = type.includes('json') ? await res.json().catch(() => undefined) : undefined;
    if (res.status >= 200 && res.status < 300 && body !== undefined) return body;
    throw new ApiError(res.status === 200 ? 502 : res.status, body); // a 200 that is not JSON is not our API
  }

  return {
    request,
    get: (path) => request(path),
    token: (username, password) => request('auth/token', { method: 'POST', json: { username, password } }),
    /** A GET whose body the caller reads itself (a download it streams), signed in as every request; an error
     * answer throws its ApiError, as request() does. */
    async open(path) {
      const token = await getToken();
      const res = await transport(path.startsWith('/') ? path : `${API}/${path}`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {}, credentials: 'omit', cache: 'no-store',
      });
      if (res.ok) return res;
      const json = (res.headers.get('content-type') || '').includes('json');
      throw new ApiError(res.status, json ? await res.json().catch(() => undefined) : undefined);
    },
    async blob(url) {
      const token = await getToken();
      const res = await transport(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, credentials: 'omit' });
      if (!res.ok || !(res.headers.get('content-type') || '').startsWith('image/')) throw new ApiError(res.status);
      return res.blob();
    },
  };
}
