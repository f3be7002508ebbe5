// The in-app inbox (issue 12): the unread count the bell shows and the notifications themselves, both kept on the
// device so that the bell and the inbox work offline, and read marks made offline queued until the network is
// back. Marking read is idempotent on the server, so a mark sent twice (a tab closed mid-request) does no harm.
// The API and the key/value store are injected: the policy is unit-tested without a browser.

export const PAGE = 30;
const KEEP = 300; // the newest kept on the device
const CHUNK = 500; // POST /notifications/read takes at most this many ids
const KEYS = { items: 'inbox:items', cursor: 'inbox:cursor', unread: 'inbox:unread', reads: 'inbox:reads' };

/** The API's order: newest first on (created_at, id). */
const newer = (a, b) => (a.created_at === b.created_at ? b.id - a.id : a.created_at < b.created_at ? 1 : -1);

/** A refusal that sending again cannot change (the server's JSON error); no answer or a 5xx may. */
const refused = (error) => error?.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status) && error.body?.error;

/**
 * The first page just fetched, merged with what is on the device. When the page reaches into the cached items,
 * the older cached ones (pages loaded with "more") stay, with their cursor; when it does not (more new ones came
 * than a page holds), the cache would have a hole: it restarts from the page.
 */
export function mergeFirstPage(cached, cachedCursor, page, pageCursor) {
  const fresh = page.items || [];
  if (!pageCursor) return { items: fresh, cursor: null };
  const last = fresh[fresh.length - 1];
  const known = new Set(fresh.map((n) => n.id));
  const reaches = cached.some((n) => known.has(n.id));
  if (!reaches || !last) return { items: fresh, cursor: pageCursor };
  const older = cached.filter((n) => !known.has(n.id) && newer(last, n) < 0);
  return older.length ? { items: [...fresh, ...older].slice(0, KEEP), cursor: cachedCursor } : { items: fresh, cursor: pageCursor };
}

/** Read marks not yet sent show as read here already. */
export function withReads(items, ids, at) {
  const queued = new Set(ids);
  return items.map((n) => (n.read_at || !queued.has(n.id) ? n : { ...n, read_at: at }));
}

export function createInbox({ api, kv, isOnline = () => true, now = () => new Date(), onChange = () => {} }) {
  const queuedIds = async () => (await kv.get(KEYS.reads)) || [];
  let flushing = null;
  let again = false;
  let marks = 0; // bumps with every read mark made here: a count fetched across one is stale
  // Every read-modify-write of the stored inbox runs one after another (a tap during a refresh, a send's answer
  // during a tap), so none overwrites another's change with what it read before it.
  let chain = Promise.resolve();
  const serial = (fn) => {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  };

  async function read() {
    const [items, cursor, unread] = await Promise.all([kv.get(KEYS.items), kv.get(KEYS.cursor), kv.get(KEYS.unread)]);
    return { items: items || [], cursor: cursor || null, unread: unread || 0 };
  }

  async function save(patch) {
    await Promise.all(Object.entries(patch).map(([name, value]) => kv.set(KEYS[name], value)));
    const state = await read();
    onChange(state);
    return state;
  }

  /** Send the queued read marks, oldest first; those the network did not take stay queued. */
  async function sendReads() {
    for (;;) {
      const ids = (await queuedIds()).slice(0, CHUNK);
      if (!ids.length || !isOnline()) return;
      try {
        await api.request('notifications/read', { method: 'POST', json: { ids } });
      } catch (error) {
        if (!refused(error)) return; // offline, or the server is down: the next refresh sends them
      }
      const sent = new Set(ids);
      await serial(async () => kv.set(KEYS.reads, (await queuedIds()).filter((id) => !sent.has(id)))); // marks made meanwhile stay
    }
  }

  /** Calls during a send make one more send after it (a mark made, or the network back, meanwhile). */
  function flush() {
    if (flushing) {
      again = true;
      return flushing;
    }
    flushing = (async () => {
      try {
        do {
          again = false;
          await sendReads();
        } while (again);
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }

  /** Read here at once (and queued for the server): under serial. */
  async function markHere(ids) {
    const cached = await read();
    const unread = new Set(cached.items.filter((n) => !n.read_at).map((n) => n.id));
    const marking = ids.filter((id) => unread.has(id));
    if (!marking.length) return cached;
    marks += 1;
    const old = await queuedIds();
    await kv.set(KEYS.reads, [...old, ...marking.filter((id) => !old.includes(id))]);
    return save({ items: withReads(cached.items, marking, now().toISOString()), unread: Math.max(0, cached.unread - marking.length) });
  }

  return {
    read,

    /** Send the queued marks, then fetch the count and the newest page. Offline: what the device has stays. */
    async refresh() {
      for (let attempt = 0; attempt < 3 && isOnline(); attempt += 1) {
        await flush();
        const seen = marks;
        const [me, page] = await Promise.all([api.get('me'), api.get(`notifications?limit=${PAGE}`)]);
        const state = await serial(async () => {
          if (marks !== seen) return null; // a tap meanwhile: the server may have answered from before it
          const cached = await read();
          const merged = mergeFirstPage(cached.items, cached.cursor, page, page.next_cursor);
          const pending = await queuedIds(); // the network failed the marks just now: they still count as read here
          const unreadHere = new Set(merged.items.filter((n) => !n.read_at).map((n) => n.id));
          const unread = Math.max(0, (me.unread_notifications || 0) - pending.filter((id) => unreadHere.has(id)).length);
          return save({ items: withReads(merged.items, pending, now().toISOString()), cursor: merged.cursor, unread });
        });
        if (state) return state;
      }
      return read();
    },

    /** The next page after the last one on the device (online only: throws otherwise). */
    async more() {
      const { cursor } = await read();
      if (!cursor) return read();
      const page = await api.get(`notifications?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      return serial(async () => {
        const cached = await read();
        if (cached.cursor !== cursor) return cached; // a refresh restarted the list meanwhile
        const known = new Set(cached.items.map((n) => n.id));
        const added = (page.items || []).filter((n) => !known.has(n.id));
        const items = withReads([...cached.items, ...added], await queuedIds(), now().toISOString());
        return save({ items, cursor: page.next_cursor || null });
      });
    },

    /** Mark these read here at once, and on the server now or when the network is back. */
    async markRead(ids) {
      const state = await serial(() => markHere(ids));
      flush();
      return state;
    },

    /** Everything read. Online: the server marks all of them, those not on the device too. Offline, only what
     * the user has seen is queued: a notice arriving meanwhile must not be marked read unseen. */
    async markAllRead() {
      if (isOnline()) {
        marks += 1;
        try {
          const result = await api.request('notifications/read', { method: 'POST', json: { all: true } });
          return await serial(async () => {
            const cached = await read();
            const at = now().toISOString();
            await kv.set(KEYS.reads, []);
            return save({ items: cached.items.map((n) => (n.read_at ? n : { ...n, read_at: at })), unread: result.unread || 0 });
          });
        } catch (error) {
          if (refused(error)) throw error;
        }
      }
      return this.markRead((await read()).items.filter((n) => !n.read_at).map((n) => n.id));
    },

    /** Another person signs in on this device, or this one signs out: nothing of theirs stays. */
    clear() {
      return serial(async () => {
        await Promise.all(Object.values(KEYS).map((key) => kv.del(key)));
        onChange({ items: [], cursor: null, unread: 0 });
      });
    },
  };
}
