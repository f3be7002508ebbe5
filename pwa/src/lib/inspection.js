// An inspection on the device (issue 14): a draft walked item by item, saved after every answer, then queued as
// ONE inspection create (its failed items' findings and their photos' ids made here) followed by the photo uploads
// of those findings, which exist on the server once the create has gone. Pure: no storage, no network, no clock
// but the `today` and `now` it is given.
import { addDays } from './dates.js';
import { photoItems } from './compose.js';
import { inspectionCreate } from './requests.js';
import { draftKey } from './inspection-refs.js';

export const RESULTS = ['pass', 'fail', 'na'];
export const METHODS = ['records', 'site', 'interview']; // 查资料, 现场查看, 询问
const TITLE_MAX = 200;

// the API gives an item's criterion as major_basis {criterion, title, clause}; a body to it names major_criterion
export const isMajorItem = (item) => Boolean(item?.major_basis || item?.major_criterion);
export const majorClause = (item) => item?.major_basis?.clause || item?.major_clause || '';

/** A failed item's deadline unless the inspector sets one: as a new finding's (a week, a month for a major one). */
export const defaultDeadline = (today, item) => addDays(today, isMajorItem(item) ? 30 : 7);

/** A finding's title from the item it failed: its content, cut to what a title may hold. */
export function titleFrom(item) {
  const text = String(item?.content || '').replace(/\s+/g, ' ').trim();
  return text.length > TITLE_MAX ? `${text.slice(0, TITLE_MAX - 1)}…` : text;
}

export { draftKey };
export const draftPrefix = (userId) => `inspection:${userId}:`;

const sectorCode = (s) => (typeof s === 'object' && s ? s.code : s);

/** The checklists for an enterprise: those for its sector (or for any: no sectors) first, then the others (an
 * inspector may need one of them too). */
export function checklistsFor(checklists, sector) {
  const fits = (c) => !(c.sectors || []).length || (c.sectors || []).map(sectorCode).includes(sector);
  return {
    fitting: checklists.filter(fits),
    others: checklists.filter((c) => !fits(c)),
  };
}

/** The campaigns an inspection may count for, as far as the device can tell: running on its day, using its
 * checklist, for the enterprise's sector (or any). Whether the campaign targets the enterprise only the server
 * knows (it refuses the inspection if not, and the draft can be corrected). */
export function campaignsFor(campaigns, { checklistId, sector, on }) {
  return (campaigns || []).filter((c) => c.starts_on <= on && on <= c.ends_on
    && (c.checklists || []).some((x) => x.id === checklistId)
    && (!(c.sectors || []).length || c.sectors.map(sectorCode).includes(sector)));
}

const items = (checklist) => [...(checklist.items || [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));

export function newDraft({ id, user, enterprise, checklist, campaign = null, enforcement, coInspector, inspectedOn, now }) {
  return {
    id,
    userId: user.id,
    status: 'draft',
    enterprise: { id: enterprise.id, name: enterprise.name, credit_code: enterprise.credit_code || '', sector: enterprise.sector || '' },
    checklist: { id: checklist.id, version: checklist.version ?? null, name: checklist.name, items: items(checklist) },
    campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
    inspectedOn,
    enforcement: Boolean(enforcement),
    inspectors: [user.username],
    coInspector: String(coInspector || '').trim(),
    results: {},
    at: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

const touch = (draft, patch, now) => ({ ...draft, ...patch, updatedAt: now.toISOString() });

/** Answer one item. A fail gets its finding (id made now, title from the item, the default deadline); going
 * back to pass or n.a. keeps what was typed for it, unsent, in case the answer flips again. */
export function answer(draft, itemId, result, { today, newId, now }) {
  const item = draft.checklist.items.find((i) => i.id === itemId);
  const old = draft.results[itemId] || { note: '' };
  const next = { ...old, result };
  if (result === 'fail' && !old.finding) {
    next.finding = { id: newId(), title: titleFrom(item), deadline: defaultDeadline(today, item), photos: [] };
  }
  return touch(draft, { results: { ...draft.results, [itemId]: next } }, now);
}

export function setNote(draft, itemId, note, now) {
  const old = draft.results[itemId] || {};
  return touch(draft, { results: { ...draft.results, [itemId]: { ...old, note } } }, now);
}

/** Change a failed item's finding (title, deadline, photos). */
export function setFinding(draft, itemId, patch, now) {
  const old = draft.results[itemId];
  if (!old?.finding) return draft;
  return touch(draft, { results: { ...draft.results, [itemId]: { ...old, finding: { ...old.finding, ...patch } } } }, now);
}

export const moveTo = (draft, at, now) => touch(draft, { at: Math.max(0, Math.min(at, draft.checklist.items.length - 1)) }, now);

export function progress(draft) {
  const all = draft.checklist.items;
  const answered = all.filter((i) => draft.results[i.id]?.result);
  const count = (r) => answered.filter((i) => draft.results[i.id].result === r).length;
  return { total: all.length, answered: answered.length, pass: count('pass'), fail: count('fail'), na: count('na') };
}

/** The first unanswered item after `from` (wrapping), or -1 when all are answered: where "next" goes. */
export function nextOpen(draft, from) {
  const all = draft.checklist.items;
  for (let step = 1; step <= all.length; step += 1) {
    const i = (from + step) % all.length;
    if (!draft.results[all[i].id]?.result) return i;
  }
  return -1;
}

/** What stops the draft being sent, each with the item's index when it is about one: the server would refuse
 * all of these (an unanswered item, a fail without its title or a deadline today or later, an enforcement
 * inspection with fewer than two inspectors). Whether the co-inspector's username exists only the server knows. */
export function problems(draft, today) {
  const out = [];
  draft.checklist.items.forEach((item, index) => {
    const r = draft.results[item.id];
    if (!r?.result) return out.push({ code: 'unanswered', index });
    if (r.result !== 'fail') return undefined;
    if (!r.finding.title.trim()) out.push({ code: 'no_title', index });
    if (!r.finding.deadline || r.finding.deadline < today) out.push({ code: 'bad_deadline', index });
    return undefined;
  });
  const co = draft.coInspector;
  if (draft.enforcement && !co) out.push({ code: 'no_co_inspector' });
  if (co && draft.inspectors.includes(co)) out.push({ code: 'same_inspector' });
  return out;
}

const trimmed = (text) => String(text || '').trim();

/** POST /inspections's body (the contract). */
export function inspectionBody(draft) {
  return {
    id: draft.id,
    enterprise_id: draft.enterprise.id,
    checklist_id: draft.checklist.id,
    ...(draft.checklist.version != null && { checklist_version: draft.checklist.version }), // the copy walked
    ...(draft.campaign && { campaign_id: draft.campaign.id }),
    inspected_on: draft.inspectedOn,
    enforcement: draft.enforcement,
    inspectors: draft.coInspector ? [...draft.inspectors, draft.coInspector] : [...draft.inspectors],
    results: draft.checklist.items.map((item) => {
      const r = draft.results[item.id];
      const note = trimmed(r.note);
      const result = { item_id: item.id, result: r.result, ...(note && { note }) };
      if (r.result === 'fail') {
        const f = r.finding;
        result.finding = {
          id: f.id,
          title: trimmed(f.title), // the description is the result's note (the server takes it from there)
          deadline: f.deadline,
          photo_ids: f.photos.map((p) => p.id),
        };
      }
      return result;
    }),
  };
}

/** The outbox items: the create first, then each failed item's photos under its finding (which the create made).
 * Every item names its inspection, so the list can tell what became of it. */
export function inspectionItems(draft) {
  const body = inspectionBody(draft);
  const fails = draft.checklist.items.map((i) => draft.results[i.id]).filter((r) => r.result === 'fail');
  return [
    { type: 'inspection', id: draft.id, inspectionId: draft.id, label: draft.enterprise.name, request: inspectionCreate(body) },
    ...fails.flatMap((r) => photoItems(r.finding.id, r.finding.photos, 'evidence')).map((item) => ({ ...item, inspectionId: draft.id })),
  ];
}

/** What became of a queued inspection, from the outbox and its record: 'refused' (an item set aside), 'waiting'
 * (created: the inspection is in, photos are not), 'sent' (the server answered its create), or 'discarded' (its
 * create was taken out of the outbox unsent). */
export function sendState(draft, outboxItems) {
  const mine = outboxItems.filter((i) => i.inspectionId === draft.id);
  const created = Boolean(draft.sentAt);
  if (mine.some((i) => i.state === 'attention')) return { state: 'refused', created, problem: mine.find((i) => i.state === 'attention').problem, items: mine };
  if (mine.length) return { state: 'waiting', created, items: mine };
  return { state: created ? 'sent' : 'discarded', created, items: [] };
}

/** A sent inspection keeps its summary on the device, not its photos (the server has them). */
export function withoutPhotos(draft) {
  const results = Object.fromEntries(Object.entries(draft.results).map(([id, r]) => [id, r.finding
    ? { ...r, finding: { ...r.finding, photos: r.finding.photos.map(({ id: photoId }) => ({ id: photoId })) } } : r]));
  return { ...draft, results, photosDropped: true };
}
