// The admin area's calls: reads and writes straight to the API (an admin works online, at a desk; nothing of it
// is queued), the file uploads with their progress, and the reference lists the forms pick from, kept for the
// visit and read again after a change.
import { api } from '../services.js';
import { getState } from '../store.js';
import { problemFromError } from '../errors.js';
import { uploadFile } from './upload.js';

export const get = (path) => api.get(path);
export const send = (path, method, json) => api.request(path, { method, json });
export const post = (path, json) => send(path, 'POST', json);
export const patch = (path, json) => send(path, 'PATCH', json);

export function upload(path, file, { dryRun, onProgress }) {
  return uploadFile({ path, file, query: { dry_run: dryRun ? 'true' : 'false' }, token: getState().session?.token, onProgress });
}

/** A thrown ApiError with its 422 fields, as the forms read it. */
export const problemOf = (error) => problemFromError(error);

const lists = new Map();

/** areas · sectors · categories · criteria, each read once per visit (reload: true after a change). */
export function reference(name, { reload = false } = {}) {
  const paths = {
    areas: 'areas',
    sectors: 'sectors',
    categories: 'categories?include_inactive=true',
    criteria: 'criteria?include_inactive=true',
  };
  if (reload || !lists.has(name)) {
    const pending = get(paths[name]).then((body) => body.items || []);
    pending.catch(() => lists.delete(name));
    lists.set(name, pending);
  }
  return lists.get(name);
}

// Records opened from a list, so the edit screen needs no second read (it reads once itself after a reload).
const opened = new Map();
export const remember = (kind, record) => opened.set(`${kind}:${record.id ?? record.code}`, record);
export const remembered = (kind, id) => opened.get(`${kind}:${id}`);

/** One enterprise by id: there is no GET /enterprises/{id}; the keyset list from id − 1 starts with it. */
export async function enterpriseById(id) {
  const known = remembered('enterprise', id);
  if (known) return known;
  const n = Number(id);
  const body = await get(`enterprises?limit=1&include_inactive=true${n > 1 ? `&after_id=${n - 1}` : ''}`);
  const found = (body.items || []).find((e) => e.id === n);
  if (!found) throw Object.assign(new Error('not found'), { status: 404, code: 'not_found' });
  return found;
}
