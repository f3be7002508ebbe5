// Drafts on the device and the send: the record and its outbox items written together, and taken back together.
import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach } from 'vitest';
import { kv, outbox } from '../src/lib/services.js';
import { markInspectionSent } from '../src/lib/inspection-refs.js';
import { backToDraft, discardDraft, listInspections, loadDraft, saveDraft, sendInspection } from '../src/lib/inspection-drafts.js';
import { answer, draftKey, newDraft, setFinding } from '../src/lib/inspection.js';

const NOW = new Date('2030-03-01T02:00:00Z');
const ctx = { today: '2030-03-01', newId: () => crypto.randomUUID(), now: NOW };
const user = { id: 7, username: 'wang' };
const other = { id: 8, username: 'li' };
const items = Array.from({ length: 3 }, (_, i) => ({ id: `item-${i + 1}`, position: i + 1, content: `内容 ${i + 1}`, method: 'site' }));

function draft(id, who = user) {
  let d = newDraft({ id, user: who, enterprise: { id: 4, name: '某公司' }, checklist: { id: 'cl', name: '清单', items }, enforcement: false, inspectedOn: '2030-03-01', now: NOW });
  d = answer(answer(answer(d, 'item-1', 'pass', ctx), 'item-2', 'fail', ctx), 'item-3', 'na', ctx);
  return setFinding(d, 'item-2', { photos: [{ id: `${id}-photo`, blob: new Uint8Array([1, 2]), width: 10, height: 10 }] }, NOW);
}

beforeEach(async () => {
  await outbox.clear();
  for (const d of [...(await kv.entries('inspection:'))]) await discardDraft(d);
});

describe('inspection drafts on the device', () => {
  it('are saved per user and listed newest first; another user sees none of them', async () => {
    await saveDraft({ ...draft('a'), updatedAt: '2030-03-01T01:00:00Z' });
    await saveDraft({ ...draft('b'), updatedAt: '2030-03-01T03:00:00Z' });
    await saveDraft(draft('c', other));
    expect((await listInspections(user)).drafts.map((d) => d.id)).toEqual(['b', 'a']);
    expect((await listInspections(other)).drafts.map((d) => d.id)).toEqual(['c']);
    expect((await loadDraft(user, 'a')).results['item-2'].finding.photos[0].blob).toBeTruthy(); // the photo's bytes kept
  });

  it('sending queues the create and its photo with the record marked queued, in one go', async () => {
    await saveDraft(draft('a'));
    await sendInspection(await loadDraft(user, 'a'), NOW);
    const queued = await outbox.all();
    expect(queued.map((i) => i.type)).toEqual(['inspection', 'photo']);
    expect((await kv.get(draftKey(7, 'a'))).status).toBe('queued');
    const { drafts, queued: sent } = await listInspections(user);
    expect(drafts).toEqual([]);
    expect(sent.map((q) => [q.record.id, q.send.state])).toEqual([['a', 'waiting']]);
  });

  it('a refused one goes back to its draft, its items out of the outbox; a sent one keeps no photo bytes', async () => {
    await saveDraft(draft('a'));
    await sendInspection(await loadDraft(user, 'a'), NOW);
    const [create] = await outbox.all();
    await outbox.moveAside(create.seq, { status: 422, code: 'validation', fields: { inspectors: 'unknown user' } });
    const [{ record, send }] = (await listInspections(user)).queued;
    expect(send).toMatchObject({ state: 'refused', problem: { fields: { inspectors: 'unknown user' } } });
    expect(await backToDraft(record)).toBe(true);
    expect(await outbox.count()).toBe(0);
    expect((await loadDraft(user, 'a')).status).toBe('draft');

    await sendInspection(await loadDraft(user, 'a'), NOW);
    const [again] = await outbox.all();
    expect((await listInspections(user)).queued[0].send.state).toBe('waiting');
    await outbox.remove(again.seq); // the server took the create: its answer is the inspection it recorded
    await markInspectionSent(kv, 7, { id: 'a', status: 'submitted', findings: ['f-1'] }, NOW);
    expect((await listInspections(user)).queued[0].send).toMatchObject({ state: 'waiting', created: true });
    for (const item of await outbox.all()) await outbox.remove(item.seq); // and the photo
    const [done] = (await listInspections(user)).queued;
    expect(done.send.state).toBe('sent');
    expect(done.record).toMatchObject({ sentAt: NOW.toISOString(), findingIds: ['f-1'] });
    expect((await loadDraft(user, 'a')).results['item-2'].finding.photos).toEqual([{ id: 'a-photo' }]);
    expect(await backToDraft(done.record)).toBe(false); // the server has it: it is not a draft any more
  });

  it('one whose items were discarded unsent says so, not that it was sent', async () => {
    await saveDraft(draft('a'));
    await sendInspection(await loadDraft(user, 'a'), NOW);
    for (const item of await outbox.all()) await outbox.remove(item.seq); // discarded from the attention list
    expect((await listInspections(user)).queued[0].send.state).toBe('discarded');
    await markInspectionSent(kv, 7, { id: 'unknown' }, NOW); // an answer for no record on the device: nothing
    expect(await kv.get(draftKey(7, 'unknown'))).toBeUndefined();
  });
});
