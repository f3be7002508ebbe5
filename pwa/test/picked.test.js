import { describe, it, expect } from 'vitest';
import { oneAtATime, pickPhotos, settleEntry, settlePhotos, stillShrinking } from '../src/lib/picked.js';

/** A shrink whose results the test releases by hand, as a slow phone would deliver them. */
function slowShrink() {
  const waiting = [];
  const shrink = (file) => new Promise((resolve, reject) => waiting.push({ file, resolve, reject }));
  return { shrink, waiting };
}
let n = 0;
const makeId = () => `id-${++n}`;
const file = (name) => ({ name });

describe('save waits for the photos still being shrunk', () => {
  it('a picked photo is in the form at once, before it is shrunk', () => {
    const { shrink } = slowShrink();
    const entries = pickPhotos([file('a.jpg'), file('b.jpg')], shrink, makeId);
    expect(entries.map((e) => e.state)).toEqual(['shrinking', 'shrinking']);
    expect(stillShrinking(entries)).toBe(2);
  });

  it('save resolves only when every photo is ready, counting them, and keeps them all in order', async () => {
    const { shrink, waiting } = slowShrink();
    const entries = pickPhotos([file('a.jpg'), file('b.jpg')], shrink, makeId);
    const progress = [];
    let saved = null;
    const saving = settlePhotos(entries, (done, total) => progress.push(`${done}/${total}`)).then((r) => { saved = r; });
    await new Promise((r) => setTimeout(r));
    expect(waiting).toHaveLength(2);
    waiting[1].resolve({ blob: 'B', width: 2, height: 2 });
    await new Promise((r) => setTimeout(r));
    expect(saved).toBeNull(); // the first is still being shrunk: not saved without it
    waiting[0].resolve({ blob: 'A', width: 1, height: 1 });
    await saving;
    expect(saved.photos.map((p) => p.blob)).toEqual(['A', 'B']);
    expect(saved.failed).toEqual([]);
    expect(progress).toEqual(['0/2', '1/2', '2/2']);
  });

  it('already-ready entries count at once; a failed one is reported, not dropped silently', async () => {
    const { shrink, waiting } = slowShrink();
    const [a, b] = pickPhotos([file('a.jpg'), file('b.jpg')], shrink, makeId);
    await new Promise((r) => setTimeout(r));
    waiting[0].resolve({ blob: 'A', width: 1, height: 1 });
    const list = settleEntry([a, b], await a.done);
    expect(list.map((e) => e.state)).toEqual(['ready', 'shrinking']);
    waiting[1].reject(new Error('decode'));
    const result = await settlePhotos(list);
    expect(result.photos.map((p) => p.id)).toEqual([a.id]);
    expect(result.failed).toEqual([expect.objectContaining({ id: b.id, state: 'failed', error: 'decode' })]);
  });

  it('nothing to wait for: no progress, nothing lost', async () => {
    const progress = [];
    expect(await settlePhotos([], () => progress.push(1))).toEqual({ photos: [], failed: [] });
    expect(progress).toEqual([]);
  });

  it('shrinks one photo at a time', async () => {
    let running = 0;
    let most = 0;
    const shrink = oneAtATime(async (x) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      if (x === 2) throw new Error('bad');
      return x;
    });
    const results = await Promise.allSettled([1, 2, 3].map(shrink));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(most).toBe(1);
  });
});
