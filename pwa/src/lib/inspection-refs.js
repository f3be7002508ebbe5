// What the inspection screens need before the signal goes (issue 14): the checklists, pulled with the reference
// lists on every "sync now" and kept in the key/value store. Small on purpose: it is on the first screen's path.

export const INSPECTING_ROLES = ['inspector', 'supervisor'];
export const canInspect = (role) => INSPECTING_ROLES.includes(role);

export const CHECKLISTS_KEY = 'ref:checklists';

/** Every checklist the caller may use, each with its items (the list may leave them out: then one GET each). */
export async function pullChecklists({ api, kv }) {
  const list = (await api.get('checklists?limit=200')).items || [];
  const full = await Promise.all(list.map((c) => (Array.isArray(c.items) ? c : api.get(`checklists/${c.id}`))));
  await kv.set(CHECKLISTS_KEY, full);
  return full;
}
