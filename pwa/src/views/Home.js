import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { cache, outbox, refresh } from '../lib/services.js';
import { formatClock } from '../lib/dates.js';
import { canReport, tabsFor } from '../lib/forms.js';
import { canInspect } from '../lib/inspection-refs.js';
import { usePullToRefresh } from './pull.js';
import { byRecent, byUrgency, byWaiting, QUEUES } from '../lib/findings.js';
import { FindingList } from './FindingList.js';
import { TAB_LABEL, queueCounts, tabOf, useWide } from '../lib/desk-nav.js';
import { go } from '../lib/router.js';
import { HomeCards } from './desk/Cards.js';

function select(tab, findings, user) {
  if (tab === 'mine') return findings.filter((f) => f.reported_by?.id === user.id || f._local).sort(byRecent);
  if (tab === 'urgent') return findings.sort(byUrgency);
  if (tab === 'all') return findings.sort(byRecent);
  if (tab === 'todo') return findings.filter(QUEUES.todo).sort(byRecent); // what just arrived first
  if (tab === 'triage') return findings.filter(QUEUES.triage).sort(byWaiting); // the longest waiting first
  return findings.filter(QUEUES[tab]).sort(byUrgency);
}

/** When the list was last pulled from the server, and a button to pull it now. */
function Freshness() {
  const { syncedAt, refreshing, refreshFailed, online } = useAppState();
  const when = syncedAt ? t('sync_last', { time: formatClock(syncedAt) }) : t('never_synced');
  const why = refreshing ? t('refreshing') : !online ? t('sync_offline') : refreshFailed ? t('refresh_failed') : '';
  return html`<div class="freshness">
    <span data-testid="list-updated" role="status" aria-live="polite">${when}${why ? ` · ${why}` : ''}</span>
    <button type="button" class="btn small ghost" data-testid="list-refresh" disabled=${refreshing} onClick=${() => refresh()}>${t('refresh')}</button>
  </div>`;
}

/** The lists. The tab shown is the route's (#/queue/<tab>), so the back button and the desk's side navigation
 * go to the same list; #/ shows the role's first. */
export function Home({ user, route = [] }) {
  const { revision, lang } = useAppState();
  const wide = useWide();
  const tabs = tabsFor(user.role);
  const pull = usePullToRefresh(refresh);
  const tab = tabOf(route, tabs);
  const [data, setData] = useState({ findings: null, pending: new Set(), refused: new Set() });

  useEffect(() => {
    let live = true;
    Promise.all([cache.all(), outbox.all()]).then(([findings, items]) => {
      const ids = (state) => new Set(items.filter((i) => i.state === state).map((i) => i.findingId));
      if (live) setData({ findings, pending: ids('pending'), refused: ids('attention') }); // refused is not "to send"
    });
    return () => { live = false; };
  }, [revision]);

  const reporter = canReport(user.role);
  const shown = data.findings ? select(tab, [...data.findings], user) : [];
  const counts = data.findings ? queueCounts(tabs, data.findings, user) : {};
  return html`<section aria-labelledby="home-title" ...${pull.handlers}>
    ${pull.armed && html`<p class="pull-hint" role="status">${t('pull_release')}</p>`}
    ${reporter && html`<a class="btn primary block big" href="#/new" data-testid="new-finding"><span aria-hidden="true">＋ </span>${t('new_finding')}</a>`}
    ${canInspect(user.role) && html`<a class="btn block" href="#/inspection" data-testid="nav-inspection">${t('nav_inspection')}</a>`}
    ${user.role === 'supervisor' && !wide && html`<a class="btn block" href="#/register" data-testid="nav-register">${t('nav_register')}</a>`}
    ${user.role === 'supervisor' && !wide && html`<${HomeCards} user=${user} />`}
    <h1 id="home-title" class="h1">${t(TAB_LABEL[tab])}</h1>
    ${tabs.length > 1 && html`<nav class="tabs" aria-label=${t('nav_main')}>
      ${tabs.map((name) => html`<button type="button" class="tab" aria-pressed=${tab === name} data-testid=${`tab-${name}`}
        onClick=${() => go(`#/queue/${name}`)}>${t(TAB_LABEL[name])}${counts[name] !== undefined && html` <span class="count">${counts[name]}</span>`}</button>`)}
    </nav>`}
    <${Freshness} />
    ${data.findings === null ? html`<p role="status">${t('loading')}</p>` : html`<${FindingList} findings=${shown} pending=${data.pending} refused=${data.refused} lang=${lang} />`}
  </section>`;
}
