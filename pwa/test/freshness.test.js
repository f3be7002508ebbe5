import { describe, it, expect } from 'vitest';
import { createRefresher } from '../src/lib/refresher.js';
import { countsOf, outcomeOf } from '../src/lib/outcome.js';
import { formatClock } from '../src/lib/dates.js';

function timers() {
  const made = [];
  return { made, setTimer: (fn, ms) => made.push({ fn, ms }) && made.length, clearTimer: (id) => { made[id - 1].cleared = true; } };
}

describe('the list is pulled fresh', () => {
  it('on start, and every few minutes only while online and visible', async () => {
    let pulls = 0;
    let online = true;
    let visible = true;
    const clock = timers();
    const r = createRefresher({ pull: async () => { pulls += 1; }, isOnline: () => online, isVisible: () => visible, ...clock });
    await r.start();
    expect(pulls).toBe(1);
    expect(clock.made[0].ms).toBeLessThanOrEqual(5 * 60_000);
    await clock.made[0].fn();
    await Promise.resolve();
    expect(pulls).toBe(2);
    visible = false;
    clock.made[0].fn();
    online = false;
    visible = true;
    clock.made[0].fn();
    await r.wake();
    expect(pulls).toBe(2);
    online = true;
    await r.wake(); // visible again, or back online
    expect(pulls).toBe(3);
    r.stop();
    expect(clock.made[0].cleared).toBe(true);
  });

  it('requests during a pull make one more pull after it, not one each', async () => {
    let pulls = 0;
    let release;
    const r = createRefresher({ pull: () => { pulls += 1; return new Promise((res) => { release = res; }); }, setTimer: () => 1, clearTimer: () => {} });
    const first = r.request();
    r.request();
    r.request();
    expect(pulls).toBe(1);
    release();
    await new Promise((res) => setTimeout(res));
    expect(pulls).toBe(2);
    release();
    await first;
    expect(pulls).toBe(2);
    expect(r.isRunning()).toBe(false);
  });

  it('a failed pull does not break the next one', async () => {
    let pulls = 0;
    const r = createRefresher({ pull: async () => { pulls += 1; if (pulls === 1) throw new Error('offline'); }, setTimer: () => 1 });
    await r.request();
    await r.request();
    expect(pulls).toBe(2);
  });

  it('shows the time of the last pull as HH:MM in Shanghai, with the date when not today', () => {
    const now = new Date('2030-01-02T03:00:00Z'); // 11:00 in Shanghai
    expect(formatClock('2030-01-02T01:05:00Z', now)).toBe('09:05');
    expect(formatClock('2030-01-01T15:59:00Z', now)).toBe('2030-01-01 23:59');
  });
});

describe('say what happened to a save', () => {
  const items = [
    { seq: 1, state: 'pending' },
    { seq: 2, state: 'attention', problem: { status: 409, code: 'stale' } },
    { seq: 3, state: 'pending' },
  ];

  it('sent only when every item it queued has left the outbox', () => {
    expect(outcomeOf([7, 8], items)).toEqual({ state: 'sent' });
    expect(outcomeOf([3, 4], items, { online: true, syncing: true })).toEqual({ state: 'sending' });
  });

  it('queued offline is said apart from a server that does not answer', () => {
    expect(outcomeOf([1], items, { online: false })).toEqual({ state: 'queued_offline' });
    expect(outcomeOf([1], items, { online: true, syncing: false })).toEqual({ state: 'queued_retry' });
  });

  it('a refusal wins, with its problem', () => {
    expect(outcomeOf([1, 2], items, { online: false })).toEqual({ state: 'refused', problem: { status: 409, code: 'stale' } });
  });

  it('a set-aside item is not counted as waiting to send', () => {
    expect(countsOf(items)).toEqual({ unsent: 2, attention: 1 });
    expect(countsOf([])).toEqual({ unsent: 0, attention: 0 });
  });
});
