// The admin area's map: its sections in the order the side navigation lists them, the views each one has, and
// the hash routes between them (#/admin/<section>[/new | /import | /<id>]). One table, read by the navigation,
// the router and the tests.

export const SECTIONS = [
  { id: 'users', views: ['list', 'new', 'edit', 'import'] },
  { id: 'enterprises', views: ['list', 'new', 'edit', 'import'] },
  { id: 'areas', views: ['list', 'import'] },
  { id: 'categories', views: ['list', 'new', 'edit'] },
  { id: 'criteria', views: ['list', 'new', 'edit'] },
  { id: 'holidays', views: ['list', 'new', 'edit'] },
  { id: 'deliveries', views: ['list'] },
  { id: 'audit', views: ['list'] },
];

export const DEFAULT_SECTION = SECTIONS[0].id;
const byId = Object.fromEntries(SECTIONS.map((s) => [s.id, s]));

/** The i18n keys of a section's name in the navigation and of a view's heading. */
export const sectionLabel = (id) => `adm_nav_${id}`;
export const viewTitle = (section, view) => `adm_${section}_${view}`;

/** The admin route of a hash route (['admin', 'enterprises', '12'] or [] for an admin's home). An unknown section
 * is the default one; an unknown view is the section's list. */
export function adminRoute(route = []) {
  const [first, sectionId, third] = route;
  const section = first === 'admin' && byId[sectionId] ? byId[sectionId] : byId[DEFAULT_SECTION];
  if (first !== 'admin' || !byId[sectionId] || third === undefined || third === '') {
    return { section: section.id, view: 'list', id: null };
  }
  if ((third === 'new' || third === 'import') && section.views.includes(third)) return { section: section.id, view: third, id: null };
  if (section.views.includes('edit') && third !== 'new' && third !== 'import') {
    return { section: section.id, view: 'edit', id: decodeURIComponent(third) };
  }
  return { section: section.id, view: 'list', id: null };
}

/** The hash of a section's view: href('enterprises') · href('enterprises', 'new') · href('users', 'edit', 7). */
export function href(section, view = 'list', id = null) {
  if (!byId[section]) throw new Error(`no admin section ${section}`);
  if (view === 'list') return `#/admin/${section}`;
  if (view === 'edit') return `#/admin/${section}/${encodeURIComponent(id)}`;
  return `#/admin/${section}/${view}`;
}

/** Whether a hash route belongs to the admin area (an admin's #/ does too: it is where an admin starts). */
export const isAdminRoute = (route = []) => route.length === 0 || route[0] === 'admin';
