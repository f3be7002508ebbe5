import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach } from 'vitest';
import { openStore } from '../src/lib/db.js';
import { createOutbox } from '../src/lib/outbox.js';
import { createSync, classify, backoffDelay } from '../src/lib/sync.js';

let n = 0;
const uuid = (p) => `${p}-${++n}`;

function json(status, body) {
  return { status, headers: new Headers({ 'content-type': 'application/json' }), json: async () => body };
}
function html(status, text) {
  return { status, headers: new Headers({ 'content-type': 'text/html' }), json: async () => JSON.parse(text) };
}

/** A fake server: answers by a handler, records what it was sent. */
function fakeServer(handler) {
  const calls = [];
  const transport = async (url, init) => {
    const call = { url, method: init.method, headers: init.headers, body: init.body ? (typeof init.body === 'string' ? JSON.parse(init.body) : init.body) : undefined };
    calls.push(call);
    return handler(call, calls.length);
  };
  return { calls, transport };
}

/** Echoes the id the way the API does: a create and an event answer with the finding, a photo with itself. */
function echo(call) {
  const m = call.url.match(/\/findings\/([^/?]+)(\/photos\/([^/?]+)|\/events)?/);
  if (call.url.endsWith('/findings')) return json(201, { id: call.body.id, version: 1 });
  if (m && m[3]) return json(201, { id: m[3] });
  return json(201, { id: m[1], version: 2 });
}

let outbox, sleeps;
const sleep = async (ms) => { sleeps.push(ms); };

function sync(transport, extra = {}) {
  return createSync({ outbox, transport, sleep, getToken: async () => 'tok', ...extra });
}

const create = (id) => ({ type: 'create', id, findingId: id, body: { id, title: 't' } });
const photo = (findingId, id, kind = 'evidence') => ({ type: 'photo', id, findingId, kind, blob: new Uint8Array([1, 2, 3]) });
const event = (findingId, id, action, payload = {}) => ({ type: 'event', id, findingId, action, version: 1, payload });

beforeEach(async () => {
  outbox = createOutbox(openStore(uuid('db')));
  sleeps = [];
});

describe('classify', () => {
  it('counts only an echoed id as sent', () => {
    expect(classify(201, { id: 'a' }, 'a')).toBe('sent');
    expect(classify(200, { id: 'b' }, 'a')).toBe('retry');
    expect(classify(200, undefined, 'a')).toBe('retry');
    expect(classify(409, { error: { code: 'stale' } }, 'a')).toBe('attention');
    expect(classify(422, { error: { code: 'validation' } }, 'a')).toBe('attention');
    expect(classify(429, { error: {} }, 'a')).toBe('retry');
    expect(classify(503, undefined, 'a')).toBe('retry');
    expect(classify(401, { error: {} }, 'a')).toBe('auth');
  });
  it('a reset password stops the loop without setting the item aside', async () => {
    expect(classify(403, { error: { code: 'password_change_required' } }, 'a')).toBe('password');
    expect(classify(403, { error: { code: 'forbidden' } }, 'a')).toBe('attention');
    const f = uuid('f');
    await outbox.add([create(f)]);
    let told = 0;
    const server = fakeServer(() => json(403, { error: { code: 'password_change_required', message: 'Choose a new password.' } }));
    const result = await sync(server.transport, { onPasswordChange: async () => { told += 1; } }).drain();
    expect(result.state).toBe('auth');
    expect(told).toBe(1);
    const [item] = await outbox.all();
    expect(item.state).toBe('pending'); // not refused: it goes once the user has a password of their own
  });
  it('backs off exponentially up to a ceiling', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { base: 1000, max: 5000 }))).toEqual([1000, 2000, 4000, 5000]);
  });
});

describe('outbox + sync loop', () => {
  it('sends in the order the items were made, with the bearer token', async () => {
    const f = uuid('f');
    await outbox.add([create(f), photo(f, 'p1'), photo(f, 'p2')]);
    await outbox.add([event(f, 'e1', 'comment', { text: 'hi' })]);
    const server = fakeServer(echo);
    const result = await sync(server.transport).drain();
    expect(result).toEqual({ state: 'idle', sent: 4 }); // the caller pulls /sync after a drain that sent something
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `POST /api/v1/findings`,
      `PUT /api/v1/findings/${f}/photos/p1?kind=evidence`,
      `PUT /api/v1/findings/${f}/photos/p2?kind=evidence`,
      `POST /api/v1/findings/${f}/events`,
    ]);
    expect(server.calls[0].headers.Authorization).toBe('Bearer tok');
    expect(server.calls[1].headers['Content-Type']).toBe('image/jpeg');
    expect(await outbox.count()).toBe(0);
  });

  it('keeps an item whose 200 answer does not echo its id', async () => {
    const f = uuid('f');
    await outbox.add([create(f)]);
    const server = fakeServer(() => json(200, { id: 'someone-else' }));
    const result = await sync(server.transport, { retriesPerDrain: 2 }).drain();
    expect(result.state).toBe('waiting');
    expect(await outbox.count()).toBe(1);
    expect((await outbox.first()).attempts).toBe(3);
  });

  it('does not take a captive portal 200 HTML page for a success', async () => {
    const f = uuid('f');
    await outbox.add([create(f)]);
    const server = fakeServer(() => html(200, '<html><body>Please sign in to the Wi-Fi</body></html>'));
    const result = await sync(server.transport, { retriesPerDrain: 1 }).drain();
    expect(result.state).toBe('waiting');
    const [item] = await outbox.pending();
    expect(item.id).toBe(f);
    expect(item.state).toBe('pending');
  });

  it('moves a 409 aside and goes on with the rest', async () => {
    const a = uuid('f');
    const b = uuid('f');
    await outbox.add([event(a, 'e-stale', 'approve'), create(b)]);
    const problems = [];
    const server = fakeServer((call) =>
      call.url.includes('/events')
        ? json(409, { error: { code: 'stale', message: 'moved on' }, finding: { id: a, version: 5 } })
        : echo(call),
    );
    const result = await sync(server.transport, { onProblem: async (item, problem, body) => problems.push([item.id, problem.code, body.finding.version]) }).drain();
    expect(result.state).toBe('idle');
    expect(server.calls).toHaveLength(2);
    expect(problems).toEqual([['e-stale', 'stale', 5]]);
    const aside = await outbox.attention();
    expect(aside.map((i) => [i.id, i.problem.code])).toEqual([['e-stale', 'stale']]);
    expect(await outbox.pending()).toEqual([]);
    expect(await outbox.count()).toBe(1); // still unsent: counted, shown, never retried on its own
  });

  it('moves a 422 validation error aside too', async () => {
    const f = uuid('f');
    await outbox.add([create(f), create(uuid('f'))]);
    const server = fakeServer((call, i) => (i === 1 ? json(422, { error: { code: 'validation', fields: { title: 'x' } } }) : echo(call)));
    await sync(server.transport).drain();
    const [aside] = await outbox.attention();
    expect(aside.id).toBe(f);
    expect(aside.problem.fields).toEqual({ title: 'x' });
  });

  it('backs off and retries after a network error, then sends', async () => {
    const f = uuid('f');
    await outbox.add([create(f)]);
    const server = fakeServer((call, i) => {
      if (i <= 2) throw new TypeError('Failed to fetch');
      if (i === 3) return json(503, { error: { code: 'unavailable' } });
      return echo(call);
    });
    const result = await sync(server.transport, { backoff: { base: 100, max: 1000 } }).drain();
    expect(result.state).toBe('idle');
    expect(server.calls).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(await outbox.count()).toBe(0);
  });

  it('gives up for now after a few failures, keeping the order', async () => {
    const f = uuid('f');
    await outbox.add([create(f), photo(f, 'p1')]);
    const server = fakeServer(() => { throw new TypeError('offline'); });
    const result = await sync(server.transport, { retriesPerDrain: 3 }).drain();
    expect(result.state).toBe('waiting');
    expect(server.calls.every((c) => c.url === '/api/v1/findings')).toBe(true);
    expect((await outbox.pending()).map((i) => i.id)).toEqual([f, 'p1']);
  });

  it('does not send twice when drain is called again while draining', async () => {
    const f = uuid('f');
    await outbox.add([create(f), photo(f, 'p1')]);
    let release;
    const gate = new Promise((r) => { release = r; });
    const server = fakeServer(async (call) => { await gate; return echo(call); });
    const s = sync(server.transport);
    const first = s.drain();
    const second = s.drain();
    const third = s.drain();
    expect(second).toBe(first);
    release();
    await Promise.all([first, second, third]);
    await s.drain();
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/findings', `/api/v1/findings/${f}/photos/p1?kind=evidence`]);
  });

  it('uploads rectification photos before the submit_rectification event', async () => {
    const f = uuid('f');
    // the order the view queues them in: photos first, then the event that names them
    await outbox.add([
      photo(f, 'after-1', 'rectification'),
      photo(f, 'after-2', 'rectification'),
      event(f, 'e-rect', 'submit_rectification', { measures: 'fixed', completed_on: '2026-01-01', photo_ids: ['after-1', 'after-2'] }),
    ]);
    const arrived = new Set();
    const server = fakeServer((call) => {
      const m = call.url.match(/photos\/([^?]+)\?kind=rectification/);
      if (m) { arrived.add(m[1]); return echo(call); }
      if (call.body.action === 'submit_rectification' && !call.body.photo_ids.some((id) => arrived.has(id))) {
        return json(422, { error: { code: 'validation', fields: { photo_ids: 'none arrived' } } });
      }
      return echo(call);
    });
    await sync(server.transport).drain();
    expect(server.calls.map((c) => c.method)).toEqual(['PUT', 'PUT', 'POST']);
    expect(server.calls[2].body).toMatchObject({ id: 'e-rect', action: 'submit_rectification', version: 1 });
    expect(await outbox.count()).toBe(0);
  });

  it('stops on 401 without losing or setting aside anything', async () => {
    const f = uuid('f');
    await outbox.add([create(f)]);
    let lost = 0;
    const server = fakeServer(() => json(401, { error: { code: 'unauthorized' } }));
    const result = await sync(server.transport, { onAuthLost: async () => { lost += 1; } }).drain();
    expect(result.state).toBe('auth');
    expect(lost).toBe(1);
    expect((await outbox.pending()).length).toBe(1);
  });

  it('bases a chained event on the version the previous one produced', async () => {
    const f = uuid('f');
    await outbox.add([event(f, 'e1', 'acknowledge'), { ...event(f, 'e2', 'request_extension', { new_deadline: '2030-01-01', reason: 'r' }), chained: true }]);
    let version = 1;
    const server = fakeServer((call) => { version += 1; return json(201, { id: f, version }); });
    await sync(server.transport, { currentVersion: async () => version }).drain();
    expect(server.calls.map((c) => c.body.version)).toEqual([1, 2]);
  });

  it('keeps photo blobs in IndexedDB across reopening', async () => {
    const name = uuid('db');
    const first = createOutbox(openStore(name));
    await first.add([photo('f', 'p', 'evidence')]);
    const again = createOutbox(openStore(name));
    const [item] = await again.all();
    expect(item.blob).toBeTruthy();
    expect(await again.count()).toBe(1);
  });
});
