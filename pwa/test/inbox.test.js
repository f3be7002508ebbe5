import { describe, it, expect } from 'vitest';
import { createInbox, mergeFirstPage, withReads, PAGE } from '../src/lib/inbox.js';

const note = (id, read = false) => ({
  id, kind: 'reminder', finding_id: `f-${id}`, title: `通知 ${id}`, body: '', created_at: `2026-12-01T00:${String(id).padStart(2, '0')}:00Z`,
  read_at: read ? '2026-12-01T01:00:00Z' : null,
});

function memoryKv() {
  const data = new Map();
  return { data, get: async (k) => data.get(k), set: async (k, v) => { data.set(k, v); }, del: async (k) => { data.delete(k); } };
}

/** A server with notifications 1..n (newest first), keyset paged like the API. */
function fakeServer(count) {
  const notes = Array.from({ length: count }, (_, i) => note(i + 1)).reverse();
  const posts = [];
  let up = true;
  const api = {
    async get(path) {
      if (!up) throw new TypeError('Failed to fetch');
      if (path === 'me') return { user: {}, unread_notifications: notes.filter((n) => !n.read_at).length };
      const url = new URL(path, 'http://x/');
      const limit = Number(url.searchParams.get('limit'));
      const after = url.searchParams.get('cursor');
      const start = after ? notes.findIndex((n) => String(n.id) === after) + 1 : 0;
      const items = notes.slice(start, start + limit).map((n) => ({ ...n }));
      return { items, next_cursor: start + limit < notes.length ? String(items[items.length - 1].id) : null };
    },
    async request(path, { json }) {
      if (!up) throw new TypeError('Failed to fetch');
      posts.push(json);
      for (const n of notes) if (!n.read_at && (json.all || json.ids.includes(n.id))) n.read_at = '2026-12-01T02:00:00Z';
      return { marked: 0, unread: notes.filter((n) => !n.read_at).length };
    },
  };
  return { api, notes, posts, setUp: (value) => { up = value; }, add: (id) => notes.unshift(note(id)) };
}

function setup(count, { online = true } = {}) {
  const server = fakeServer(count);
  const kv = memoryKv();
  const seen = [];
  const net = { online };
  const inbox = createInbox({
    api: server.api, kv, isOnline: () => net.online, now: () => new Date('2026-12-01T03:00:00Z'), onChange: (s) => seen.push(s.unread),
  });
  const goOffline = () => { net.online = false; server.setUp(false); };
  const goOnline = () => { net.online = true; server.setUp(true); };
  return { server, kv, inbox, seen, goOffline, goOnline };
}

describe('the inbox on the device', () => {
  it('refresh keeps the count and the newest page, and tells the bell', async () => {
    const { inbox, seen } = setup(3);
    const state = await inbox.refresh();
    expect(state.unread).toBe(3);
    expect(state.items.map((n) => n.id)).toEqual([3, 2, 1]);
    expect(state.cursor).toBeNull();
    expect(seen).toEqual([3]);
  });

  it('offline, what was fetched is still there: the count and the items', async () => {
    const { inbox, goOffline } = setup(2);
    await inbox.refresh();
    goOffline();
    const state = await inbox.refresh();
    expect(state.unread).toBe(2);
    expect(state.items).toHaveLength(2);
  });

  it('pages on with "more" and keeps the older pages when the next refresh overlaps them', async () => {
    const { inbox, server } = setup(PAGE + 5);
    let state = await inbox.refresh();
    expect(state.items).toHaveLength(PAGE);
    expect(state.cursor).not.toBeNull();
    state = await inbox.more();
    expect(state.items).toHaveLength(PAGE + 5);
    expect(state.cursor).toBeNull();
    server.add(100);
    state = await inbox.refresh();
    expect(state.items.map((n) => n.id).slice(0, 2)).toEqual([100, PAGE + 5]);
    expect(state.items).toHaveLength(PAGE + 6);
    expect(state.cursor).toBeNull(); // the older pages are on the device already
    expect(new Set(state.items.map((n) => n.id)).size).toBe(PAGE + 6);
  });

  it('restarts from the page when more new ones came than a page holds (no hole in the list)', () => {
    const cached = [note(2), note(1)];
    const page = { items: Array.from({ length: 3 }, (_, i) => note(50 - i)) };
    expect(mergeFirstPage(cached, null, page, '48')).toEqual({ items: page.items, cursor: '48' });
    expect(mergeFirstPage(cached, 'x', { items: [note(3), note(2)] }, null)).toEqual({ items: [note(3), note(2)], cursor: null });
  });

  it('a tap marks one read here and on the server', async () => {
    const { inbox, server } = setup(3);
    await inbox.refresh();
    const state = await inbox.markRead([2]);
    expect(state.unread).toBe(2);
    expect(state.items.find((n) => n.id === 2).read_at).toBe('2026-12-01T03:00:00.000Z');
    await inbox.refresh();
    expect(server.posts).toEqual([{ ids: [2] }]);
    expect(server.notes.find((n) => n.id === 2).read_at).not.toBeNull();
  });

  it('marking an item already read changes nothing and sends nothing', async () => {
    const { inbox, server } = setup(1);
    await inbox.refresh();
    await inbox.markRead([1]);
    await inbox.markRead([1]);
    await inbox.refresh();
    expect(server.posts).toEqual([{ ids: [1] }]);
  });

  it('offline marks are queued, shown read, and sent once the network is back', async () => {
    const { inbox, server, kv, goOffline, goOnline } = setup(3);
    await inbox.refresh();
    goOffline();
    let state = await inbox.markRead([3]);
    state = await inbox.markRead([1]);
    expect(state.unread).toBe(1);
    expect(kv.data.get('inbox:reads')).toEqual([3, 1]);
    state = await inbox.refresh(); // still offline
    expect(state.unread).toBe(1);
    goOnline();
    state = await inbox.refresh();
    expect(server.posts).toEqual([{ ids: [3, 1] }]);
    expect(kv.data.get('inbox:reads')).toEqual([]);
    expect(state.unread).toBe(1);
    expect(state.items.filter((n) => !n.read_at).map((n) => n.id)).toEqual([2]);
  });

  it('a mark whose request fails stays queued and still counts as read after a refresh', async () => {
    const { inbox, server } = setup(2);
    await inbox.refresh();
    const request = server.api.request;
    server.api.request = async () => { throw new TypeError('Failed to fetch'); };
    await inbox.markRead([2]);
    const state = await inbox.refresh();
    expect(state.unread).toBe(1);
    expect(state.items.find((n) => n.id === 2).read_at).not.toBeNull();
    server.api.request = request;
    await inbox.refresh();
    expect(server.posts).toEqual([{ ids: [2] }]);
  });

  it('a mark the server refuses is dropped, not retried for ever', async () => {
    const { inbox, server, kv } = setup(1);
    await inbox.refresh();
    server.api.request = async () => { throw Object.assign(new Error('422'), { status: 422, body: { error: { code: 'validation_error' } } }); };
    await inbox.markRead([1]);
    await inbox.refresh();
    expect(kv.data.get('inbox:reads')).toEqual([]);
  });

  it('all read: online the server marks every one; offline only those seen are queued', async () => {
    const { inbox, server, goOffline, goOnline } = setup(PAGE + 2);
    await inbox.refresh();
    let state = await inbox.markAllRead();
    expect(server.posts).toEqual([{ all: true }]);
    expect(state.unread).toBe(0);
    expect(state.items.every((n) => n.read_at)).toBe(true);

    server.add(200);
    await inbox.refresh();
    goOffline();
    state = await inbox.markAllRead();
    expect(state.unread).toBe(0);
    server.add(201); // arrives while the phone is offline: not seen, so not marked
    goOnline();
    state = await inbox.refresh();
    expect(server.posts.slice(1)).toEqual([{ ids: [200] }]);
    expect(state.unread).toBe(1);
    expect(state.items[0]).toMatchObject({ id: 201, read_at: null });
  });

  it('a tap during a refresh is not undone by the count that refresh fetched from before it', async () => {
    const { inbox, server } = setup(3);
    await inbox.refresh();
    const get = server.api.get;
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    server.api.get = async (path) => {
      const answer = await get(path); // the server answers now (3 unread) ...
      if (path === 'me') await held; // ... and the answer arrives late
      server.api.get = get;
      return answer;
    };
    const refreshing = inbox.refresh();
    await new Promise((resolve) => setTimeout(resolve));
    await inbox.markRead([3]);
    release();
    const state = await refreshing;
    expect(state.unread).toBe(2);
    expect(state.items.find((n) => n.id === 3).read_at).not.toBeNull();
    expect((await inbox.read()).unread).toBe(2);
  });

  it('clear forgets everything (another person signs in)', async () => {
    const { inbox, kv, seen, goOffline } = setup(2);
    await inbox.refresh();
    goOffline();
    await inbox.markRead([1]);
    await inbox.clear();
    expect([...kv.data.keys()]).toEqual([]);
    expect(seen[seen.length - 1]).toBe(0);
  });

  it('withReads leaves the server\'s read moment alone', () => {
    const items = withReads([note(1, true), note(2)], [1, 2], 'now');
    expect(items.map((n) => n.read_at)).toEqual(['2026-12-01T01:00:00Z', 'now']);
  });
});
