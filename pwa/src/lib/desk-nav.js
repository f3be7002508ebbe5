// Who works at a desk and what the desk's side navigation holds. At 1024 px and wider a supervisor, an inspector
// or an admin gets the side navigation and the content the width; below that the phone's layout stays as it is.
import { useEffect, useState } from 'preact/hooks';
import { QUEUES } from './findings.js';

export const DESK_ROLES = ['supervisor', 'inspector', 'admin'];
export const DESK_QUERY = '(min-width: 1024px)'; // the same breakpoint as styles.css's desk rules
export const DESK_VIEWS = ['dashboard', 'table', 'map'];

export const isDeskRole = (role) => DESK_ROLES.includes(role);

const wideNow = () => typeof matchMedia === 'function' && matchMedia(DESK_QUERY).matches;

/** True while the window is desk-wide; follows a resize across the breakpoint. */
export function useWide() {
  const [wide, setWide] = useState(wideNow);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return undefined;
    const query = matchMedia(DESK_QUERY);
    const fn = () => setWide(query.matches);
    query.addEventListener('change', fn);
    fn();
    return () => query.removeEventListener('change', fn);
  }, []);
  return wide;
}

/** What #/ opens: the dashboard for a supervisor at a desk, the lists (with the cards above them) otherwise. */
export const homeIsDashboard = (role, wide) => role === 'supervisor' && wide;

/** Each list's (tab's) name: the phone's tabs and the desk's queues say the same. */
export const TAB_LABEL = {
  mine: 'my_findings', all: 'all_findings', urgent: 'enterprise_findings', todo: 'queue_todo',
  triage: 'queue_triage', review: 'queue_review', extension: 'queue_extension', overdue: 'queue_overdue',
};

/** How many findings each of these tabs lists, from the read cache (as the tabs themselves select them). */
export function queueCounts(tabs, findings, user) {
  const counts = {};
  for (const tab of tabs) {
    if (tab === 'mine') counts[tab] = findings.filter((f) => f.reported_by?.id === user.id || f._local).length;
    else if (tab === 'all' || tab === 'urgent') counts[tab] = findings.length;
    else counts[tab] = QUEUES[tab] ? findings.filter(QUEUES[tab]).length : 0;
  }
  return counts;
}

/** The tab a #/queue/<tab> route names, if this role has it; else the role's first. */
export const tabOf = (route, tabs) => (route[0] === 'queue' && tabs.includes(route[1]) ? route[1] : tabs[0]);

/** The area level a breakdown goes by: the districts of a city, the streets of a district or anything smaller. */
export const breakdownLevel = (area) => (!area || area.level === 'city' || area.level === 'province' ? 'district' : 'street');
