// The offline read cache: findings in IndexedDB, kept fresh from GET /api/v1/sync, and reference lists.

const MAX_PAGES = 100;

export function createFindingCache(dbp) {
  const db = () => dbp;
  return {
    async all() {
      return (await db()).getAll('findings');
    },
    async get(id) {
      return (await db()).get('findings', id);
    },
    /** Upsert by id. A list item lacks the detail fields (photos, plan…): keep the ones we already have. */
    async upsert(findings) {
      const tx = (await db()).transaction('findings', 'readwrite');
      for (const finding of findings) {
        const old = await tx.store.get(finding.id);
        await tx.store.put(old && !old._local ? { ...old, ...finding } : finding);
      }
      await tx.done;
    },
    async put(finding) {
      return (await db()).put('findings', finding);
    },
    async clear() {
      return (await db()).clear('findings');
    },
  };
}

/** Pull what changed since the stored cursor; loop while the server says there is more. */
export async function pullFindings({ api, kv, cache }) {
  let cursor = (await kv.get('sync_cursor')) || '';
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let body;
    try {
      body = await api.get(`sync?cursor=${encodeURIComponent(cursor)}&limit=200`);
    } catch (error) {
      if (error.status === 404 && error.code === 'not_found' && page === 0) {
        await pullByList({ api, cache });
        await kv.set('synced_at', new Date().toISOString());
        return;
      }
      throw error;
    }
    await cache.upsert(body.findings || []);
    if (body.next_cursor) {
      cursor = body.next_cursor;
      await kv.set('sync_cursor', cursor);
    }
    if (!body.more) break;
  }
  await kv.set('synced_at', new Date().toISOString());
}

/** Before /sync exists on a server: read the whole scope from the list endpoint, page by page. */
async function pullByList({ api, cache }) {
  let cursor = '';
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const body = await api.get(`findings?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    await cache.upsert(body.items || []);
    if (!body.next_cursor) break;
    cursor = body.next_cursor;
  }
}

export async function pullReference({ api, kv }, position) {
  const near = position ? `&near=${position.lat.toFixed(5)},${position.lng.toFixed(5)}` : '';
  const [categories, criteria, enterprises] = await Promise.all([
    api.get('categories'),
    api.get('criteria'),
    api.get(`enterprises?limit=500${near}`),
  ]);
  await kv.set('ref:categories', categories.items);
  await kv.set('ref:criteria', criteria.items);
  await kv.set('ref:enterprises', enterprises.items);
}

/** Distance in metres between two WGS-84 points (for sorting cached enterprises offline). */
export function distanceM(a, b) {
  const rad = (deg) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
