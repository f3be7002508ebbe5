// The desk's side navigation (1024 px and wider): the dashboard, the table and the map, then the queues each with
// its count, the register and the inbox. Below the breakpoint it is not drawn: the phone keeps its own tabs.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { useAppState } from '../../lib/store.js';
import { cache } from '../../lib/services.js';
import { tabsFor } from '../../lib/forms.js';
import { TAB_LABEL, queueCounts, tabOf, useWide } from '../../lib/desk-nav.js';

function Item({ href, testid, current, label, count }) {
  return html`<li><a href=${href} data-testid=${testid} aria-current=${current ? 'page' : undefined}
    aria-label=${count === undefined ? undefined : t('nav_count', { label, n: count })}>
    <span class="label">${label}</span>${count !== undefined && html`<span class="count" aria-hidden="true">${count}</span>`}
  </a></li>`;
}

function useCounts(tabs, user) {
  const { revision } = useAppState();
  const [counts, setCounts] = useState({});
  useEffect(() => {
    let live = true;
    cache.all().then((findings) => live && setCounts(queueCounts(tabs, findings, user)));
    return () => { live = false; };
  }, [revision, user.id]);
  return counts;
}

function Nav({ route, user, home }) {
  const { unread } = useAppState();
  const tabs = tabsFor(user.role);
  const counts = useCounts(tabs, user);
  const [first] = route;
  const onQueue = first === 'queue' || (!first && home === 'queues') || first === 'findings';
  const queue = onQueue ? tabOf(route, tabs) : null;
  const view = first || (home === 'dashboard' ? 'dashboard' : '');
  return html`<nav class="desk-nav" aria-label=${t('desk_nav')} data-testid="desk-nav">
    <ul>
      <${Item} href="#/dashboard" testid="nav-dashboard" current=${view === 'dashboard'} label=${t('nav_dashboard')} />
      <${Item} href="#/table" testid="nav-table" current=${view === 'table'} label=${t('nav_table')} />
      <${Item} href="#/map" testid="nav-map" current=${view === 'map'} label=${t('nav_map')} />
    </ul>
    <h2 class="desk-nav-title">${t('nav_queues')}</h2>
    <ul>
      ${tabs.map((tab) => html`<${Item} key=${tab} href=${`#/queue/${tab}`} testid=${`side-queue-${tab}`} current=${queue === tab}
        label=${t(TAB_LABEL[tab])} count=${counts[tab] ?? 0} />`)}
    </ul>
    <ul>
      ${user.role === 'supervisor' && html`<${Item} href="#/register" testid="side-register" current=${first === 'register'} label=${t('nav_register')} />`}
      <${Item} href="#/inbox" testid="side-inbox" current=${first === 'inbox'} label=${t('nav_inbox')} count=${unread} />
      ${user.role === 'admin' && html`<${Item} href="#/admin" testid="side-admin" label=${t('nav_admin')} />`}
    </ul>
  </nav>`;
}

/** Drawn at a desk only; `home` says what #/ shows there ('dashboard' or 'queues'). */
export function SideNav(props) {
  return useWide() ? html`<${Nav} ...${props} />` : null;
}
