// What the inspection screens need before the signal goes (issue 14): the checklists and the campaigns (专项行动:
// an inspection made in one counts for its coverage), pulled with the reference
// lists on every "sync now" and kept in the key/value store. Small on purpose: it is on the first screen's path.

// Who submits an inspection: an inspector, who reports its failed items' findings (a supervisor may be named as
// the second officer, by username).
export const canInspect = (role) => role === 'inspector';

export const CHECKLISTS_KEY = 'ref:checklists';
export const CAMPAIGNS_KEY = 'ref:campaigns';

/** Every checklist at its current version, each with its items: the list gives none, so each one the device does
 * not hold at that version is read once (GET /checklists/{id}); the rest are kept as they are. */
export async function pullChecklists({ api, kv }) {
  const campaigns = api.get('campaigns').then((body) => kv.set(CAMPAIGNS_KEY, body.items || []), () => {});
  const [listed, cached] = await Promise.all([api.get('checklists'), kv.get(CHECKLISTS_KEY)]);
  const held = new Map((cached || []).map((c) => [c.id, c]));
  const full = await Promise.all((listed.items || []).map((c) => {
    const mine = held.get(c.id);
    return mine && mine.version === c.version && Array.isArray(mine.items) ? mine : api.get(`checklists/${c.id}`);
  }));
  await Promise.all([kv.set(CHECKLISTS_KEY, full), campaigns]);
  return full;
}

/** The drafts of one user are theirs: another person signing in on the phone does not see them. */
export const draftKey = (userId, id) => `inspection:${userId}:${id}`;

/** The server took the inspection (its create's answer, the inspection it recorded): its record on the device says
 * so, with the findings it made, so the list tells a sent one from one whose items were discarded. */
export async function markInspectionSent(kv, userId, answer, now = new Date()) {
  const key = draftKey(userId, answer.id);
  const record = await kv.get(key);
  if (record) await kv.set(key, { ...record, sentAt: now.toISOString(), findingIds: answer.findings || [] });
}
