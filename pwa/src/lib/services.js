// Wires storage, the sync loop and the API together for the views.
import { openStore, createKv } from './db.js';
import { createOutbox } from './outbox.js';
import { createSync } from './sync.js';
import { createApi } from './api.js';
import { createFindingCache, pullFindings, pullReference } from './cache.js';
import { getState, setState, bump } from './store.js';
import { setLang } from '../i18n/index.js';

const dbp = openStore();
export const kv = createKv(dbp);
export const outbox = createOutbox(dbp);
export const cache = createFindingCache(dbp);

const REQUEST_TIMEOUT_MS = 90_000; // one bar of signal: slow is fine, hanging forever is not

function transport(url, init = {}) {
  const signal = typeof AbortSignal !== 'undefined' && AbortSignal.timeout ? AbortSignal.timeout(REQUEST_TIMEOUT_MS) : undefined;
  return fetch(url, { ...init, signal });
}

// The backoff sleep of the sync loop, cut short by any trigger (online, visible again, "sync now").
let wakeSleeper = null;
function sleep(ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wakeSleeper = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    wakeSleeper = done;
  });
}
const getToken = async () => getState().session?.token;
export const api = createApi({ transport, getToken });

const withLock = (fn) =>
  typeof navigator !== 'undefined' && navigator.locks
    ? navigator.locks.request('closeloop-outbox', fn)
    : fn();

export const sync = createSync({
  outbox,
  transport,
  getToken,
  withLock,
  sleep,
  backoff: { base: 1000, max: 60_000 },
  retriesPerDrain: 6,
  currentVersion: async (id) => (await cache.get(id))?.version,
  onSent: async (item, body) => {
    if (item.type === 'create' || item.type === 'event') await cache.put(body);
    if (item.type === 'photo') {
      // the finding's photo list changed: take the server's copy (with its URLs) once this one is in
      const rest = await outbox.forFinding(item.findingId);
      if (!rest.some((i) => i.type === 'photo' && i.state === 'pending')) {
        await api.get(`findings/${item.findingId}`).then((fresh) => cache.put(fresh), () => {});
      }
    }
  },
  onProblem: async (item, problem, body) => {
    if (body?.finding?.id) await cache.upsert([body.finding]);
  },
  onAuthLost: async () => setState({ authLost: true }),
  onChange: () => {
    refreshCounts();
    bump();
  },
});

export async function refreshCounts() {
  const items = await outbox.all();
  setState({ unsent: items.length, attention: items.filter((i) => i.state === 'attention').length });
}

let retryTimer;

/** Send what waits, then refresh the read cache. Safe to call from any trigger. */
export async function drain() {
  if (!getState().session || getState().authLost) return;
  clearTimeout(retryTimer);
  wakeSleeper?.(); // a drain waiting out its backoff tries again now
  if (navigator.onLine === false && !sync.isRunning()) return; // the 'online' event drains again
  setState({ syncing: true });
  try {
    const result = await sync.drain();
    setState({ syncState: result.state });
    if (result.state === 'waiting') retryTimer = setTimeout(drain, result.retryIn);
  } finally {
    setState({ syncing: false });
    await refreshCounts();
  }
}

export async function refresh() {
  if (!getState().session || getState().authLost) return;
  try {
    await pullFindings({ api, kv, cache });
    bump();
  } catch (error) {
    if (error.status === 401) setState({ authLost: true });
  }
  pullReference({ api, kv }, getState().position).then(bump, () => {});
}

export async function syncNow() {
  await drain();
  await refresh();
}

export async function start() {
  const [session, lang] = await Promise.all([kv.get('session'), kv.get('lang')]);
  setLang(lang || 'zh-CN');
  setState({ session: session || null, lang: lang || 'zh-CN' });
  await refreshCounts();
  setState({ ready: true });
  navigator.storage?.persist?.().catch(() => {});
  if (session) syncNow();
}

export async function login(username, password) {
  const body = await api.token(username, password);
  const session = { token: body.token, user: body.user };
  const previous = await kv.get('session');
  if (previous && previous.user?.id !== body.user.id) {
    await cache.clear(); // another person's read cache must not show
    await kv.del('sync_cursor');
  }
  await kv.set('session', session);
  setState({ session, authLost: false });
  syncNow();
}

/** Sign out. The caller has already asked before discarding unsent items (discard=true). */
export async function logout({ discard = false } = {}) {
  if ((await outbox.count()) > 0 && !discard) return false;
  if (discard) await outbox.clear();
  await Promise.all([kv.del('session'), kv.del('sync_cursor'), cache.clear()]);
  setState({ session: null, authLost: false });
  await refreshCounts();
  return true;
}

export async function setLanguage(lang) {
  setLang(lang);
  setState({ lang });
  await kv.set('lang', lang);
}
