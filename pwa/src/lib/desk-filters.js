// The desk's filter state, kept in the hash's query (#/table?status=rectifying&overdue=true&from=2026-01-01) so a
// reload, a bookmark and the back button all restore it. The names are exactly the API's list filters (the same
// parameters /findings, /stats, /stats/trend and /findings/export take), so a query built here goes to any of them.
// A value the API would refuse (a made-up status, 2026-02-30, an id of letters) is dropped on reading, not sent.

export const STATUSES = ['reported', 'rectifying', 'pending_review', 'closed', 'voided'];
export const LEVELS = ['general', 'major'];
export const SORTS = ['-received_at', 'received_at', 'deadline', '-deadline', 'observed_at', '-observed_at'];
export const DEFAULT_SORT = '-received_at';

// The order every query string is written in, so one filter state always gives one URL (and one cache key).
export const FILTER_KEYS = ['status', 'level', 'category', 'enterprise_id', 'area', 'overdue', 'reported_by', 'q', 'from', 'to'];

const INT32_MAX = 2147483647;

/** A real calendar day written YYYY-MM-DD (what the API's from/to take), or null. */
function day(value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? value : null;
}

const text = (max) => (value) => {
  const v = value.trim();
  return v && v.length <= max ? v : null;
};

// One reader per parameter: the raw string in, the value or null (dropped) out. Limits as the API's ListFilters.
const READERS = {
  status: (value) => {
    const picked = STATUSES.filter((s) => value.split(',').map((v) => v.trim()).includes(s));
    return picked.length ? picked : null;
  },
  level: (value) => (LEVELS.includes(value) ? value : null),
  category: text(40),
  enterprise_id: (value) => (/^[1-9]\d{0,9}$/.test(value) && Number(value) <= INT32_MAX ? value : null),
  area: (value) => (/^[0-9A-Za-z]{1,20}$/.test(value) ? value : null),
  overdue: (value) => (value === 'true' ? true : value === 'false' ? false : null),
  reported_by: (value) => (value === 'me' ? 'me' : null),
  q: text(200),
  from: day,
  to: day,
  sort: (value) => (SORTS.includes(value) ? value : null),
};

/** The query part of a hash: '#/table?a=1' → 'a=1'. */
const queryOf = (hash) => {
  const at = (hash || '').indexOf('?');
  return at < 0 ? '' : hash.slice(at + 1);
};

/** The filters in a hash's query: {status?: string[], level?, category?, enterprise_id?, area?, overdue?, q?, from?, to?, sort?}. */
export function readFilters(hash = location.hash) {
  const params = new URLSearchParams(queryOf(hash));
  const filters = {};
  for (const [key, read] of Object.entries(READERS)) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = read(raw);
    if (value !== null) filters[key] = value;
  }
  // A date range backwards selects nothing: keep the start, drop the end, rather than show an empty desk unexplained.
  if (filters.from && filters.to && filters.to < filters.from) delete filters.to;
  return filters;
}

const written = (value) => (Array.isArray(value) ? value.join(',') : value === true || value === false ? String(value) : value == null ? '' : String(value).trim());

/**
 * The filters as a query string for the API or the hash, in a stable order, empty values dropped. sort is written
 * only when asked ({ sort: true }), the cursor only when given ({ cursor }): a count or an export takes neither.
 */
export function filterQuery(filters, { sort = false, cursor = null } = {}) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = written(filters?.[key]);
    if (value !== '') params.set(key, value);
  }
  if (sort && filters?.sort && filters.sort !== DEFAULT_SORT) params.set('sort', filters.sort);
  if (cursor) params.set('cursor', cursor);
  // Commas stay commas: "status=reported,rectifying" is what a person reads in the address bar; the server splits on them.
  return params.toString().replace(/%2C/gi, ',');
}

/** The hash of a desk view with these filters (its sort included, which is part of the table's state): '#/table?…'. */
export function deskHash(view, filters = {}) {
  const query = filterQuery(filters, { sort: true });
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** True when any list filter (not the sort) is set: the views say "筛选中" and offer to clear. */
export const hasFilters = (filters) => filterQuery(filters) !== '';
