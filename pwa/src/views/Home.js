import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { cache, outbox } from '../lib/services.js';
import { byRecent, byUrgency, QUEUES } from '../lib/findings.js';
import { FindingList } from './FindingList.js';

const TABS = {
  inspector: ['mine', 'all'],
  grid_worker: ['mine', 'all'],
  enterprise_officer: ['urgent'],
  supervisor: ['todo', 'triage', 'review', 'extension', 'overdue', 'all'],
  admin: ['all'],
};
const TAB_LABEL = {
  mine: 'my_findings', all: 'all_findings', urgent: 'enterprise_findings', todo: 'queue_todo',
  triage: 'queue_triage', review: 'queue_review', extension: 'queue_extension', overdue: 'queue_overdue',
};

function select(tab, findings, user) {
  if (tab === 'mine') return findings.filter((f) => f.reported_by?.id === user.id || f._local).sort(byRecent);
  if (tab === 'urgent') return findings.sort(byUrgency);
  if (tab === 'all') return findings.sort(byRecent);
  if (tab === 'todo') return findings.filter(QUEUES.todo).sort(byRecent); // what just arrived first
  return findings.filter(QUEUES[tab]).sort(byUrgency);
}

export function Home({ user }) {
  const { revision, lang } = useAppState();
  const tabs = TABS[user.role] || ['all'];
  const [tab, setTab] = useState(tabs[0]);
  const [data, setData] = useState({ findings: null, pending: new Set() });

  useEffect(() => {
    let live = true;
    Promise.all([cache.all(), outbox.all()]).then(([findings, items]) => {
      if (live) setData({ findings, pending: new Set(items.map((i) => i.findingId)) });
    });
    return () => { live = false; };
  }, [revision]);

  const reporter = user.role === 'inspector' || user.role === 'grid_worker';
  const shown = data.findings ? select(tab, [...data.findings], user) : [];
  return html`<section aria-labelledby="home-title">
    ${reporter && html`<a class="btn primary block big" href="#/new" data-testid="new-finding"><span aria-hidden="true">＋ </span>${t('new_finding')}</a>`}
    <h1 id="home-title" class="h1">${t(TAB_LABEL[tab])}</h1>
    ${tabs.length > 1 && html`<nav class="tabs" aria-label=${t('nav_main')}>
      ${tabs.map((name) => html`<button type="button" class="tab" aria-pressed=${tab === name} data-testid=${`tab-${name}`}
        onClick=${() => setTab(name)}>${t(TAB_LABEL[name])}</button>`)}
    </nav>`}
    ${data.findings === null ? html`<p role="status">${t('loading')}</p>` : html`<${FindingList} findings=${shown} pending=${data.pending} lang=${lang} />`}
  </section>`;
}
