// The request-descriptor outbox (issue 14, acceptance 4): for every item kind, queued → sent with the right
// method, path and body; the echo recognised; a wrong echo retried; a 4xx set aside; items of the old shape
// (queued by an earlier version of the app, in users' IndexedDB) upgraded on read and sent.
import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach } from 'vitest';
import { openDB } from 'idb';
import { openStore, createKv } from '../src/lib/db.js';
import { createOutbox } from '../src/lib/outbox.js';
import { createSync } from '../src/lib/sync.js';
import { findingCreate, findingEvent, inspectionCreate, photoUpload } from '../src/lib/requests.js';

let n = 0;
const dbName = () => `outbox-${++n}`;
const json = (status, body) => ({ status, headers: new Headers({ 'content-type': 'application/json' }), json: async () => body });

function fakeServer(handler) {
  const calls = [];
  const transport = async (url, init) => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    calls.push({ url, method: init.method, type: init.headers['Content-Type'], body });
    return handler({ url, method: init.method, body }, calls.length);
  };
  return { calls, transport };
}

const blob = new Uint8Array([9, 8, 7]);

// Every kind the app queues: the item as its builder makes it, the request the server must get, and its echo.
const KINDS = {
  'finding create': {
    item: { type: 'create', id: 'f1', findingId: 'f1', body: { id: 'f1', title: '通道堵塞' }, request: findingCreate({ id: 'f1', title: '通道堵塞' }) },
    sent: { method: 'POST', url: '/api/v1/findings', type: 'application/json', body: { id: 'f1', title: '通道堵塞' } },
    echo: { id: 'f1', version: 1 },
  },
  'photo upload': {
    item: { type: 'photo', id: 'p1', findingId: 'f1', kind: 'evidence', blob, request: photoUpload('f1', 'p1', 'evidence') },
    sent: { method: 'PUT', url: '/api/v1/findings/f1/photos/p1?kind=evidence', type: 'image/jpeg', body: blob },
    echo: { id: 'p1', sha256: 'abc' },
  },
  event: {
    item: { type: 'event', id: 'e1', findingId: 'f1', action: 'acknowledge', version: 3, clientAt: '2030-01-01T00:00:00.000Z',
      payload: {}, request: findingEvent({ findingId: 'f1', id: 'e1', action: 'acknowledge', clientAt: '2030-01-01T00:00:00.000Z', seen: 3 }) },
    sent: { method: 'POST', url: '/api/v1/findings/f1/events', type: 'application/json',
      body: { id: 'e1', action: 'acknowledge', client_at: '2030-01-01T00:00:00.000Z', version: 3 } },
    echo: { id: 'f1', version: 4 },
  },
  'inspection create': {
    item: { type: 'inspection', id: 'i1', request: inspectionCreate({ id: 'i1', enterprise_id: 4, results: [{ item_id: 'c1', result: 'pass' }] }) },
    sent: { method: 'POST', url: '/api/v1/inspections', type: 'application/json', body: { id: 'i1', enterprise_id: 4, results: [{ item_id: 'c1', result: 'pass' }] } },
    echo: { id: 'i1', status: 'submitted', findings: [] },
  },
};

let outbox;
const sync = (transport, extra = {}) => createSync({ outbox, transport, sleep: async () => {}, getToken: async () => 'tok', ...extra });

beforeEach(() => {
  outbox = createOutbox(openStore(dbName()));
});

describe.each(Object.entries(KINDS))('a queued %s', (kind, { item, sent, echo }) => {
  it('is sent with its method, path and body, and leaves the outbox on its echo', async () => {
    await outbox.add([item]);
    const done = [];
    const server = fakeServer(() => json(201, echo));
    const result = await sync(server.transport, { onSent: async (i, body) => done.push([i.id, body]) }).drain();
    expect(result).toEqual({ state: 'idle', sent: 1 });
    expect(server.calls).toEqual([sent]);
    expect(done).toEqual([[item.id, echo]]);
    expect(await outbox.count()).toBe(0);
  });

  it('counts an answer that does not echo it as not sent, and tries again', async () => {
    await outbox.add([item]);
    const server = fakeServer((call, i) => json(200, i === 1 ? { ...echo, id: 'someone-else' } : echo));
    const result = await sync(server.transport).drain();
    expect(result.state).toBe('idle');
    expect(server.calls).toHaveLength(2);
    expect(server.calls[1]).toEqual(sent);
    expect(await outbox.count()).toBe(0);
  });

  it('is set aside on a 4xx with the problem, and the items behind it still go', async () => {
    const next = { type: 'create', id: 'g', findingId: 'g', body: { id: 'g' }, request: findingCreate({ id: 'g' }) };
    await outbox.add([item, next]);
    const server = fakeServer((call, i) => (i === 1
      ? json(422, { error: { code: 'validation', message: 'no', fields: { x: 'bad' } } })
      : json(201, { id: 'g' })));
    const problems = [];
    await sync(server.transport, { onProblem: async (i, problem) => problems.push([i.id, problem.code]) }).drain();
    expect(problems).toEqual([[item.id, 'validation']]);
    const [aside] = await outbox.attention();
    expect(aside).toMatchObject({ id: item.id, state: 'attention', problem: { status: 422, fields: { x: 'bad' } } });
    expect(await outbox.pending()).toEqual([]);
  });
});

describe('the version rule, for any descriptor that asks for it', () => {
  it('a chained event takes the version the device has for the finding when it is sent', async () => {
    const first = KINDS.event.item;
    const second = { ...first, id: 'e2', chained: true, request: findingEvent({ findingId: 'f1', id: 'e2', action: 'comment', payload: { text: 'x' }, seen: 3 }) };
    await outbox.add([first, second]);
    let version = 3;
    const server = fakeServer(() => { version += 1; return json(201, { id: 'f1', version }); });
    await sync(server.transport, { currentVersion: async (id) => (id === 'f1' ? version : undefined) }).drain();
    expect(server.calls.map((c) => c.body.version)).toEqual([3, 4]);
  });

  it('a descriptor without one sends no version, whatever the item says', async () => {
    await outbox.add([{ ...KINDS['inspection create'].item, version: 7, findingId: 'f1' }]);
    const server = fakeServer(() => json(201, KINDS['inspection create'].echo));
    await sync(server.transport, { currentVersion: async () => 99 }).drain();
    expect(server.calls[0].body).not.toHaveProperty('version');
  });
});

describe('items of the old shape, already in users\' IndexedDB', () => {
  it('survive the new code and are sent as they always were, in order', async () => {
    const name = dbName();
    // the database as the previous version made it (db.js, version 1), with one item of each old kind
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('kv');
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('findings', { keyPath: 'id' });
      },
    });
    for (const item of [
      { type: 'create', id: 'f9', findingId: 'f9', body: { id: 'f9', title: '旧' } },
      { type: 'photo', id: 'p9', findingId: 'f9', kind: 'evidence', blob },
      { type: 'event', id: 'e9', findingId: 'f9', action: 'comment', version: 1, clientAt: 'then', payload: { text: '旧的' } },
    ]) await old.add('outbox', { attempts: 0, state: 'pending', ...item });
    old.close();

    outbox = createOutbox(openStore(name));
    expect((await outbox.all()).map((i) => i.request.path)).toEqual(['/findings', '/findings/f9/photos/p9?kind=evidence', '/findings/f9/events']);
    const server = fakeServer((call) => json(201, call.url.includes('/photos/') ? { id: 'p9' } : { id: 'f9', version: 2 }));
    const result = await sync(server.transport).drain();
    expect(result).toEqual({ state: 'idle', sent: 3 });
    expect(server.calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', '/api/v1/findings', { id: 'f9', title: '旧' }],
      ['PUT', '/api/v1/findings/f9/photos/p9?kind=evidence', blob],
      ['POST', '/api/v1/findings/f9/events', { id: 'e9', action: 'comment', client_at: 'then', text: '旧的', version: 1 }],
    ]);
  });

  it('an item no builder knows is set aside, never sent, never dropped', async () => {
    await outbox.add([{ type: 'mystery', id: 'm' }, KINDS['finding create'].item]);
    const server = fakeServer(() => json(201, { id: 'f1' }));
    await sync(server.transport).drain();
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/findings']);
    const [aside] = await outbox.attention();
    expect(aside).toMatchObject({ id: 'm', problem: { code: 'unknown_item' } });
  });
});

describe('queueing with a record beside it', () => {
  it('writes the items and the record in one transaction, and takes them back the same way', async () => {
    const name = dbName();
    const dbp = openStore(name);
    outbox = createOutbox(dbp);
    const kv = createKv(dbp);
    const seqs = await outbox.add([KINDS['inspection create'].item, KINDS['photo upload'].item], { put: [{ store: 'kv', key: 'draft', value: { status: 'queued' } }] });
    expect(seqs).toHaveLength(2);
    expect(await kv.get('draft')).toEqual({ status: 'queued' });
    await outbox.removeMany(seqs, { put: [{ store: 'kv', key: 'draft', value: { status: 'draft' } }] });
    expect(await outbox.count()).toBe(0);
    expect(await kv.get('draft')).toEqual({ status: 'draft' });
  });

  it('a record that cannot be written queues nothing', async () => {
    await expect(outbox.add([KINDS['finding create'].item], { put: [{ store: 'no-such-store', key: 'k', value: 1 }] })).rejects.toThrow();
    expect(await outbox.count()).toBe(0);
  });
});
