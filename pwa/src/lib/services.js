// Wires storage, the sync loop and the API together for the views.
import { openStore, createKv } from './db.js';
import { createOutbox } from './outbox.js';
import { createSync } from './sync.js';
import { createApi } from './api.js';
import { createFindingCache, pullFindings, pullReference } from './cache.js';
import { getState, setState, bump } from './store.js';
import { countsOf, outcomeOf } from './outcome.js';
import { createRefresher } from './refresher.js';
import { createInbox } from './inbox.js';
import { setLang } from '../i18n/index.js';
import { canInspect, markInspectionSent, pullChecklists } from './inspection-refs.js';

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

/** The bell's count and the inbox, on the device (lib/inbox.js); refreshed with every pull of the read cache. */
export const inbox = createInbox({
  api,
  kv,
  isOnline: () => navigator.onLine !== false,
  onChange: ({ unread }) => setState((s) => ({ unread, notices: s.notices + 1 })),
});

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
  // What the answer means for the read cache is the item's descriptor's to say (lib/requests.js), not its kind's.
  onSent: async (item, body) => {
    const { answer, refresh } = item.request;
    if (answer === 'finding') await cache.put(body);
    if (answer === 'inspection') await markInspectionSent(kv, getState().session?.user?.id, body);
    if (refresh) {
      // the finding's photo list changed: take the server's copy (with its URLs) once the last of them is in
      const rest = await outbox.pending();
      if (!rest.some((i) => i.request?.refresh === refresh)) {
        await api.get(`findings/${refresh}`).then((fresh) => cache.put(fresh), () => {});
      }
    }
  },
  onProblem: async (item, problem, body) => {
    if (body?.finding?.id) await cache.upsert([body.finding]);
  },
  onAuthLost: async () => setState({ authLost: true }),
  onPasswordChange: async () => markPasswordChange(),
  onChange: () => {
    refreshCounts();
    bump();
  },
});

// The last save the user made, followed until the server has taken it (or refused it): its finding and seqs.
let tracked = null;

export async function refreshCounts() {
  const items = await outbox.all();
  const { online, syncing } = getState();
  const outcome = tracked && { findingId: tracked.findingId, kind: tracked.kind, ...outcomeOf(tracked.seqs, items, { online, syncing }) };
  setState({ ...countsOf(items), outcome });
}

/** Queue what a form made and send it at once; the outcome (sent, queued, refused) follows in the state.
 * `put` is written with the items in one transaction (outbox.add); `kind` names the save for the outcome. */
export async function submit(items, findingId, { put, kind } = {}) {
  const seqs = await outbox.add(items, { put });
  tracked = { findingId, seqs, kind: kind || (items.some((item) => item.type === 'create') ? 'create' : 'event') };
  await refreshCounts();
  bump();
  drain();
}

export function setOnline(online) {
  setState({ online });
  refreshCounts();
}

let retryTimer;

/** Send what waits; after anything was sent, refresh the read cache. Safe to call from any trigger. */
export async function drain() {
  if (!getState().session || getState().authLost || mustChangePassword()) return;
  clearTimeout(retryTimer);
  wakeSleeper?.(); // a drain waiting out its backoff tries again now
  if (navigator.onLine === false && !sync.isRunning()) return; // the 'online' event drains again
  setState({ syncing: true });
  try {
    const result = await sync.drain();
    setState({ syncState: result.state });
    if (result.state === 'waiting') retryTimer = setTimeout(drain, result.retryIn);
    if (result.sent) refresher.request(); // what the server made of it, and what others did meanwhile
  } finally {
    setState({ syncing: false });
    await refreshCounts();
  }
}

async function pullNow() {
  if (!getState().session || getState().authLost || mustChangePassword()) return;
  setState({ refreshing: true });
  const notices = inbox.refresh().catch(() => {}); // offline or failed: the bell keeps the count last fetched
  try {
    await pullFindings({ api, kv, cache });
    setState({ syncedAt: await kv.get('synced_at'), refreshFailed: false });
    bump();
  } catch (error) {
    if (error.code === 'password_change_required') await markPasswordChange();
    else setState(error.status === 401 ? { authLost: true } : { refreshFailed: true });
  } finally {
    await notices;
    setState({ refreshing: false });
  }
}

const refresher = createRefresher({
  pull: pullNow,
  isOnline: () => navigator.onLine !== false,
  isVisible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
});

/** Pull /sync now (coalesced with a pull under way). */
export const refresh = () => refresher.request();

/** The page is visible again or the network is back: send what waits and pull what others did. */
export function wake() {
  drain();
  return refresher.wake();
}

export async function syncNow() {
  if (mustChangePassword()) return;
  await drain();
  await refresh();
  pullReference({ api, kv }, getState().position).then(bump, () => {});
  if (canInspect(getState().session?.user?.role)) pullChecklists({ api, kv }).catch(() => {}); // for offline inspections
}

export async function start() {
  const [session, lang] = await Promise.all([kv.get('session'), kv.get('lang')]);
  setLang(lang || 'zh-CN');
  setState({ session: session || null, lang: lang || 'zh-CN', syncedAt: (await kv.get('synced_at')) || null,
    unread: session ? (await inbox.read()).unread : 0 });
  await refreshCounts();
  setState({ ready: true });
  navigator.storage?.persist?.().catch(() => {});
  refresher.start(); // the periodic pull does nothing while signed out
  if (session) syncNow();
}

// The password just signed in with, kept in memory only while the user must replace it (so the change screen
// need not ask for it again); gone at the change, at sign-out and with the page.
let signedInWith = null;

/** Whether the signed-in user must choose a new password before anything else (an admin reset it). */
export const mustChangePassword = () => Boolean(getState().session?.user?.must_change_password);

async function markPasswordChange() {
  const { session } = getState();
  if (!session || session.user.must_change_password) return;
  const next = { ...session, user: { ...session.user, must_change_password: true } };
  await kv.set('session', next);
  setState({ session: next });
}

export const knowsCurrentPassword = () => signedInWith !== null;

/** POST /auth/password; the token signed in with goes on working (every other one ends). Then to work. */
export async function changePassword(newPassword, currentPassword = signedInWith) {
  const body = await api.request('auth/password', { method: 'POST', json: { current_password: currentPassword ?? '', new_password: newPassword } });
  const { session } = getState();
  const next = { ...session, user: { ...session.user, ...body.user, must_change_password: false } };
  signedInWith = null;
  await kv.set('session', next);
  setState({ session: next });
  syncNow();
}

export async function login(username, password) {
  const body = await api.token(username, password);
  const session = { token: body.token, user: body.user };
  signedInWith = body.user?.must_change_password ? password : null;
  const previous = await kv.get('session');
  if (previous && previous.user?.id !== body.user.id) {
    await Promise.all([cache.clear(), inbox.clear()]); // another person's read cache and inbox must not show
    await Promise.all([kv.del('sync_cursor'), kv.del('synced_at')]);
    setState({ syncedAt: null });
  }
  await kv.set('session', session);
  setState({ session, authLost: false });
  syncNow();
}

/** Sign out. The caller has already asked before discarding unsent items (discard=true). */
export async function logout({ discard = false } = {}) {
  if ((await outbox.count()) > 0 && !discard) return false;
  if (discard) await outbox.clear();
  endToken(getState().session?.token);
  signedInWith = null;
  await Promise.all([kv.del('session'), kv.del('sync_cursor'), kv.del('synced_at'), cache.clear(), inbox.clear()]);
  tracked = null;
  setState({ session: null, authLost: false, syncedAt: null });
  await refreshCounts();
  return true;
}

/** The server forgets the token (POST /auth/logout with it); offline or unanswered, the device forgets it anyway. */
function endToken(token) {
  if (!token || navigator.onLine === false) return;
  fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, credentials: 'omit', keepalive: true })
    .catch(() => {});
}

export async function setLanguage(lang) {
  setLang(lang);
  setState({ lang });
  await kv.set('lang', lang);
}
