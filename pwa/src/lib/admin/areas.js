// The area tree (市 → 区/县 → 街道/镇 → 社区/村 → 网格) from GET /areas' flat list, what a new child is, and the
// search the area pickers use.

export const LEVELS = ['city', 'district', 'street', 'community', 'grid'];
export const childLevel = (level) => LEVELS[LEVELS.indexOf(level) + 1] || null;

/** → roots, each {…area, children: [...]}, children by code. An area whose parent is not in the list is a root. */
export function buildTree(items = []) {
  const nodes = new Map(items.map((a) => [a.code, { ...a, children: [] }]));
  const roots = [];
  for (const node of nodes.values()) {
    const parent = node.parent_code ? nodes.get(node.parent_code) : null;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list) => {
    list.sort((a, b) => a.code.localeCompare(b.code));
    list.forEach((n) => sort(n.children));
    return list;
  };
  return sort(roots);
}

/** How many areas lie under a node (all levels). */
export const descendants = (node) => node.children.reduce((n, c) => n + 1 + descendants(c), 0);

/** The digits a child's code starts with (the server checks the rest: GB/T 2260 and the 12-digit codes). */
export function childCodePrefix(parent) {
  if (!parent) return '';
  if (parent.level === 'city') return parent.code.replace(/(00)+$/, '');
  if (parent.level === 'street') return parent.code.slice(0, 9);
  return parent.code;
}

const norm = (s) => String(s ?? '').trim().toLowerCase();

/** Areas whose code starts with, or whose name contains, q; of the given levels; active ones unless asked. */
export function searchAreas(items = [], q = '', { levels = null, limit = 8, includeInactive = false } = {}) {
  const needle = norm(q);
  return items
    .filter((a) => (includeInactive || a.active !== false) && (!levels || levels.includes(a.level)))
    .filter((a) => !needle || a.code.startsWith(needle) || norm(a.name).includes(needle))
    .sort((a, b) => (needle && a.code === needle ? -1 : 0) - (needle && b.code === needle ? -1 : 0) || a.code.length - b.code.length || a.code.localeCompare(b.code))
    .slice(0, limit);
}

/** The names from the top down to the area ("厦门市 / 湖里区 / 殿前街道"). */
export function areaTrail(byCode, code) {
  const names = [];
  for (let node = byCode.get(code), guard = 0; node && guard < 10; node = byCode.get(node.parent_code), guard += 1) names.unshift(node.name);
  return names.join(' / ');
}
