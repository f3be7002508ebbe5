// Picked photos (issue 10: nothing picked is lost). A photo is in the form from the moment it is picked, as an
// entry still being shrunk; "save" waits for every entry to be ready instead of taking only the finished ones.
// Entries: { id, state: 'shrinking' | 'ready' | 'failed', blob?, width?, height?, error?, done: Promise<entry> }.

export const MAX_PHOTOS = 9;

/** Entries for the picked files, each already on its way through `shrink(file) → {blob, width, height}`.
 * `done` never rejects: a photo that cannot be shrunk becomes a 'failed' entry the user can see and remove. */
export function pickPhotos(files, shrink, makeId) {
  return files.map((file) => {
    const id = makeId();
    const entry = { id, name: file.name, state: 'shrinking' };
    entry.done = Promise.resolve()
      .then(() => shrink(file))
      .then(
        ({ blob, width, height }) => ({ id, name: file.name, state: 'ready', blob, width, height }),
        (error) => ({ id, name: file.name, state: 'failed', error: String(error?.message || error) }),
      );
    return entry;
  });
}

/** Replace an entry by its settled self (for a state update; order is kept). */
export const settleEntry = (entries, settled) => entries.map((e) => (e.id === settled.id ? { ...settled, done: e.done } : e));

/** Wait until every entry is settled; onProgress(ready, total) as they finish.
 * → { photos: ready entries in picking order, failed: failed entries }. */
export async function settlePhotos(entries, onProgress = () => {}) {
  const total = entries.length;
  let ready = entries.filter((e) => e.state === 'ready').length;
  const waiting = entries.filter((e) => e.state === 'shrinking');
  if (waiting.length) onProgress(ready, total);
  const settled = await Promise.all(
    entries.map(async (entry) => {
      if (entry.state !== 'shrinking') return entry;
      const result = await entry.done;
      if (result.state === 'ready') onProgress((ready += 1), total);
      return result;
    }),
  );
  return { photos: settled.filter((e) => e.state === 'ready'), failed: settled.filter((e) => e.state === 'failed') };
}

export const stillShrinking = (entries) => entries.filter((e) => e.state === 'shrinking').length;

/** fn, but each call starts when the previous one has settled. */
export function oneAtATime(fn) {
  let last = Promise.resolve();
  return (arg) => {
    const run = last.then(() => fn(arg));
    last = run.catch(() => {});
    return run;
  };
}
