// The sync loop: sends the outbox one item at a time, in order, and decides what each answer means.
// Everything that touches the outside world is injected (transport = a fetch-like function, sleep, now),
// so the policy is unit-tested without a network or a clock.

const API = '/api/v1';
const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
// An item without a request (made by no builder this version knows): set aside, shown, never guessed at.
const UNKNOWN_ITEM = { code: 'unknown_item', message: 'This version of the app cannot send this item.' };

/** The request an outbox item's descriptor (lib/requests.js) describes, with `version` put into its JSON when the
 * descriptor asks for one and the JSON has none. Nothing here knows what kind of item it is. */
export function requestFor(item, version) {
  const { method, path, body, echo } = item.request;
  const req = { method, url: `${API}${path}`, echo };
  if (body?.kind === 'json') {
    req.json = version != null && body.value?.version == null ? { ...body.value, version } : body.value;
  } else if (body?.kind === 'blob') {
    req.blob = item[body.from];
    req.type = body.type || 'application/octet-stream';
  }
  return req;
}

/** Whether an answer's JSON is the echo the item waits for; `echo` is { field, equals } or the id itself. */
export function echoes(body, echo) {
  const { field = 'id', equals } = echo !== null && typeof echo === 'object' ? echo : { equals: echo };
  return Boolean(body) && body[field] != null && String(body[field]) === String(equals);
}

const isJson = (res) => /\bjson\b/i.test(res.headers?.get?.('content-type') || '');

async function readJson(res) {
  if (!isJson(res)) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/**
 * Classify one answer: 'sent' | 'retry' | 'attention' | 'auth' | 'password'.
 * A 200 that does not echo the id (a captive portal's login page, a proxy's error page) is not a success.
 */
export function classify(status, body, echo) {
  if (status === 200 || status === 201) return echoes(body, echo) ? 'sent' : 'retry';
  if (status === 401) return 'auth';
  // an admin reset the password: nothing is sent until the user has chosen a new one; the item is not refused
  if (status === 403 && body?.error?.code === 'password_change_required') return 'password';
  if (RETRY_STATUS.has(status) || status >= 500) return 'retry';
  if (status >= 400 && status < 500 && body && body.error) return 'attention';
  return 'retry'; // a 4xx that is not our API's JSON error is some box in between: try again later
}

export function backoffDelay(attempt, { base = 2000, max = 5 * 60_000 } = {}) {
  return Math.min(max, base * 2 ** attempt);
}

export function createSync({
  outbox,
  transport,
  getToken = async () => null,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now = () => new Date(),
  currentVersion = async () => undefined,
  onSent = async () => {},
  onProblem = async () => {},
  onAuthLost = async () => {},
  onPasswordChange = onAuthLost,
  onChange = () => {},
  retriesPerDrain = 4,
  backoff = {},
  withLock = (fn) => fn(), // e.g. navigator.locks, so two tabs do not drain at once
}) {
  let running = null;

  async function send(item) {
    if (!item.request) return { verdict: 'attention', status: 0, body: { error: UNKNOWN_ITEM }, reason: 'unknown item' };
    const version = item.request.version === 'finding' ? await versionFor(item) : undefined;
    const req = requestFor(item, version);
    const token = await getToken();
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body;
    if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.blob !== undefined) {
      headers['Content-Type'] = req.type;
      body = req.blob;
    }
    let res;
    try {
      res = await transport(req.url, { method: req.method, headers, body, credentials: 'omit' });
    } catch (error) {
      return { verdict: 'retry', reason: `network: ${error?.message || error}` };
    }
    const json = await readJson(res);
    const verdict = classify(res.status, json, req.echo);
    const retryAfter = Number(res.headers?.get?.('retry-after')) * 1000 || 0;
    return { verdict, status: res.status, body: json, retryAfter, reason: `HTTP ${res.status}` };
  }

  // The version rule: the version the user saw when they acted (item.version), unless the item is chained behind
  // another of theirs on the same finding or came back after a 'stale': then the finding's version as the device
  // has it now (the answers of the items before it put it in the read cache).
  async function versionFor(item) {
    if (!item.chained && item.version != null) return item.version;
    const current = await currentVersion(item.findingId);
    return current ?? item.version;
  }

  async function drainOnce() {
    let failures = 0;
    let sent = 0; // the caller refreshes its read cache after a drain that sent something
    for (;;) {
      const item = await outbox.first();
      if (!item) return { state: 'idle', sent };
      const result = await send(item);
      if (result.verdict === 'sent') {
        await outbox.remove(item.seq);
        await onSent(item, result.body);
        sent += 1;
        failures = 0;
        onChange();
        continue;
      }
      if (result.verdict === 'attention') {
        const error = result.body?.error || {};
        const problem = { status: result.status, code: error.code, message: error.message, fields: error.fields, at: now().toISOString() };
        await outbox.moveAside(item.seq, problem);
        await onProblem(item, problem, result.body);
        onChange();
        continue; // never blocks the rest of the queue
      }
      if (result.verdict === 'auth' || result.verdict === 'password') {
        await (result.verdict === 'auth' ? onAuthLost() : onPasswordChange());
        onChange();
        return { state: 'auth', sent };
      }
      await outbox.update(item.seq, { attempts: (item.attempts || 0) + 1, lastError: result.reason });
      if (failures >= retriesPerDrain) {
        onChange();
        return { state: 'waiting', retryIn: backoffDelay(failures, backoff), sent };
      }
      await sleep(Math.max(result.retryAfter || 0, backoffDelay(failures, backoff)));
      failures += 1;
    }
  }

  /** Drain the outbox. Calls while a drain runs share it: nothing is sent twice. */
  function drain() {
    if (!running) {
      running = Promise.resolve(withLock(drainOnce)).finally(() => {
        running = null;
      });
    }
    return running;
  }

  return { drain, isRunning: () => running !== null };
}
