// Finding the enterprise a finding belongs to: by name or unified credit code, nearest first. Online the server
// searches all of them (GET /enterprises?near=&q=); offline, or when it does not answer, the cached list does.
import { distanceM } from './cache.js';

export const SHOWN = 8;

const normalise = (text) => String(text || '').trim().toLowerCase();

export function matches(enterprise, q) {
  const needle = normalise(q);
  if (!needle) return true;
  return normalise(enterprise.name).includes(needle) || normalise(enterprise.credit_code).includes(needle);
}

const distanceOf = (enterprise, near) => {
  if (enterprise.distance_m != null && !near) return enterprise.distance_m;
  if (near && enterprise.lat != null && enterprise.lng != null) return distanceM(near, enterprise);
  return enterprise.distance_m ?? Infinity;
};

/** The cached list filtered by q and sorted nearest first (unknown positions last, by name). */
export function rankEnterprises(list, { q = '', near = null, limit = SHOWN } = {}) {
  return list
    .filter((e) => matches(e, q))
    .map((e) => ({ ...e, distance_m: near || e.distance_m != null ? distanceOf(e, near) : null }))
    .sort((a, b) => (a.distance_m ?? Infinity) - (b.distance_m ?? Infinity) || String(a.name).localeCompare(String(b.name), 'zh-CN'))
    .slice(0, limit);
}

const nearParam = (near) => (near ? `&near=${near.lat.toFixed(5)},${near.lng.toFixed(5)}` : '');

/** → { items, source: 'server' | 'cache' }. */
export async function searchEnterprises({ api, cached, q = '', near = null, online = true, limit = SHOWN }) {
  if (online) {
    try {
      const body = await api.get(`enterprises?limit=${limit}${nearParam(near)}${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : ''}`);
      return { items: body.items || [], source: 'server' };
    } catch {
      /* no answer: the device's list is better than nothing */
    }
  }
  return { items: rankEnterprises(cached, { q, near, limit }), source: 'cache' };
}
