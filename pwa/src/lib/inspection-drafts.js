// Inspections on the device: drafts (and the record of what was sent) in the key/value store, one key each
// (lib/inspection.js draftKey), so a reload mid-way resumes where it was; queueing one writes its outbox items and
// its record in one transaction (both or neither).
import { kv, outbox, refreshCounts, submit } from './services.js';
import { bump } from './store.js';
import { draftKey, draftPrefix, inspectionItems, sendState, withoutPhotos } from './inspection.js';

const KEEP_SENT = 30; // sent ones kept on the device as a record, newest first

export const loadDraft = (user, id) => kv.get(draftKey(user.id, id));
export const saveDraft = (draft) => kv.set(draftKey(draft.userId, draft.id), draft);
export const discardDraft = (draft) => kv.del(draftKey(draft.userId, draft.id));

/** The user's inspections on the device: drafts newest first, and the queued ones as { record, send } (what
 * became of each, from the outbox); sent ones drop their photos (the server has them) and the oldest beyond
 * KEEP_SENT go. */
export async function listInspections(user) {
  const [all, items] = await Promise.all([kv.entries(draftPrefix(user.id)), outbox.all()]);
  const drafts = all.filter((d) => d.status === 'draft').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const queued = all.filter((d) => d.status === 'queued').sort((a, b) => b.queuedAt.localeCompare(a.queuedAt))
    .map((record) => ({ record, send: sendState(record, items) }));
  await Promise.all(queued.map(({ record, send }, i) => {
    if (send.state !== 'sent') return null;
    if (i >= KEEP_SENT) return discardDraft(record);
    return record.photosDropped ? null : saveDraft(withoutPhotos(record));
  }));
  return { drafts, queued: queued.slice(0, KEEP_SENT) };
}

/** Queue the inspection (its create, then its findings' photos) and send it at once if there is a network. */
export async function sendInspection(draft, now = new Date()) {
  const record = { ...draft, status: 'queued', queuedAt: now.toISOString(), updatedAt: now.toISOString() };
  await submit(inspectionItems(draft), null, { kind: 'inspection', put: [{ store: 'kv', key: draftKey(draft.userId, draft.id), value: record }] });
}

/** A refused inspection back to its draft, to correct and send again: its items leave the outbox and the draft
 * returns in one transaction. Only while its create is still unsent (once it is in, the record is the server's). */
export async function backToDraft(draft) {
  const mine = (await outbox.all()).filter((i) => i.inspectionId === draft.id);
  if (!mine.some((i) => i.type === 'inspection')) return false;
  const value = { ...draft, status: 'draft', queuedAt: null, sentAt: null };
  await outbox.removeMany(mine.map((i) => i.seq), { put: [{ store: 'kv', key: draftKey(draft.userId, draft.id), value }] });
  await refreshCounts();
  bump();
  return true;
}
