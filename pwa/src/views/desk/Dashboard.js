// The supervisor's dashboard (issue 13): the cards, the weekly trend of found against closed, the breakdowns by
// area and by category, the 10 most overdue — every number straight from GET /stats, /stats/trend and the list,
// scoped to the caller by the server. Each panel reads on its own; the refresh button reads them all again.
import { useMemo, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import '../../i18n/desk.js';
import { formatClock, formatDate } from '../../lib/dates.js';
import { breakdownLevel } from '../../lib/desk-nav.js';
import { biggest, breakdownHeight, breakdownOption, dashboardPaths, percent, trendOption } from '../../lib/desk-stats.js';
import { useFetched } from './fetched.js';
import { StatCards, whyNot } from './Cards.js';
import { Chart } from './Chart.js';

function Panel({ id, title, hint, state, children }) {
  return html`<section class="panel" aria-labelledby=${`${id}-title`} data-testid=${id}>
    <h2 id=${`${id}-title`}>${title}</h2>
    ${hint && html`<p class="meta">${hint}</p>`}
    ${state.data ? children(state.data) : state.error ? html`<p class="meta" role="status">${whyNot(state.error)}</p>`
      : html`<p class="meta" role="status">${t('stats_loading')}</p>`}
  </section>`;
}

function Trend({ body }) {
  const names = { found: t('series_found'), closed: t('series_closed') };
  const option = useMemo(() => trendOption(body.rows, names), [body, names.found]);
  const table = {
    caption: t('dash_trend'),
    head: [t('col_week'), names.found, names.closed],
    rows: body.rows.map((r) => [formatDate(r.week), r.found, r.closed]),
  };
  return html`<${Chart} option=${option} table=${table} testid="chart-trend" height=${280} />`;
}

function Breakdown({ body, caption, testid }) {
  const names = { overdue: t('series_overdue'), open: t('series_open'), closed: t('series_closed_total') };
  const option = useMemo(() => breakdownOption(body.rows, names), [body, names.open]);
  const rows = [...body.rows].sort((a, b) => b.found - a.found);
  const table = {
    caption,
    head: [t('col_name'), t('col_found'), t('col_open'), t('col_overdue'), t('col_closed'), t('col_rate')],
    rows: rows.map((r) => [r.name, r.found, r.open, r.overdue, r.closed, percent(r.rectified_rate)]),
  };
  const cut = biggest(body.rows).length < body.rows.length;
  return html`<${Chart} option=${option} table=${table} testid=${testid} height=${breakdownHeight(body.rows)}
    note=${cut ? t('chart_more_rows', { n: biggest(body.rows).length }) : ''} />`;
}

function MostOverdue({ body }) {
  if (!body.items.length) return html`<p class="empty" data-testid="overdue-top-empty">${t('dash_none_overdue')}</p>`;
  return html`<ol class="list overdue-top" data-testid="overdue-top">
    ${body.items.map((f) => html`<li key=${f.id} data-testid="overdue-top-item" data-finding-id=${f.id}>
      <a href=${`#/f/${f.id}`}>
        <span class="overdue-head"><strong class="title">${f.title}</strong>
          <span class="badge overdue">${t('overdue_days', { n: f.days_overdue })}</span></span>
        <span class="meta">${[f.number, f.enterprise?.name || f.area?.name, t('deadline_short', { date: formatDate(f.deadline) })].filter(Boolean).join(' · ')}</span>
      </a>
    </li>`)}
  </ol>
  <a class="btn small ghost" href="#/table?overdue=true&sort=deadline">${t('dash_all_overdue')}</a>`;
}

export function Dashboard({ user }) {
  const [again, setAgain] = useState(0);
  const paths = useMemo(() => dashboardPaths(user), [user.id, user.area?.code]);
  const byLevel = useFetched(paths.byLevel, again);
  const month = useFetched(paths.month, again);
  const trend = useFetched(paths.trend, again);
  const byArea = useFetched(paths.byArea, again);
  const byCategory = useFetched(paths.byCategory, again);
  const overdue = useFetched(paths.mostOverdue, again);
  const busy = [byLevel, month, trend, byArea, byCategory, overdue].some((s) => s.loading);
  const [readAt, setReadAt] = useState(() => new Date());
  const areaTitle = breakdownLevel(user.area) === 'district' ? t('dash_by_district') : t('dash_by_street');
  const cardsError = byLevel.error || month.error;

  return html`<section class="dashboard" aria-labelledby="dash-title" data-testid="dashboard" data-busy=${busy ? 'true' : 'false'}>
    <div class="desk-head">
      <h1 id="dash-title" class="h1">${t('dash_title')}</h1>
      <span class="meta">${user.area ? t('dash_scope', { area: user.area.name }) : t('dash_scope_all')}</span>
      <span class="meta" role="status">${busy ? t('refreshing') : t('dash_updated', { time: formatClock(readAt.toISOString()) })}</span>
      <button type="button" class="btn small ghost" data-testid="dashboard-refresh" disabled=${busy}
        onClick=${() => { setAgain((n) => n + 1); setReadAt(new Date()); }}>${t('refresh')}</button>
    </div>
    ${byLevel.data && month.data ? html`<${StatCards} byLevel=${byLevel.data} month=${month.data} role=${user.role} />`
      : html`<p class="meta" role="status">${cardsError ? whyNot(cardsError) : t('stats_loading')}</p>`}
    <div class="panels">
      <div class="panel-col">
        <${Panel} id="panel-trend" title=${t('dash_trend')} hint=${t('dash_trend_hint')} state=${trend}>
          ${(body) => html`<${Trend} body=${body} />`}
        <//>
        <${Panel} id="panel-area" title=${areaTitle} hint=${t('dash_breakdown_hint')} state=${byArea}>
          ${(body) => html`<${Breakdown} body=${body} caption=${areaTitle} testid="chart-area" />`}
        <//>
      </div>
      <div class="panel-col">
        <${Panel} id="panel-overdue" title=${t('dash_most_overdue')} state=${overdue}>
          ${(body) => html`<${MostOverdue} body=${body} />`}
        <//>
        <${Panel} id="panel-category" title=${t('dash_by_category')} hint=${t('dash_breakdown_hint')} state=${byCategory}>
          ${(body) => html`<${Breakdown} body=${body} caption=${t('dash_by_category')} testid="chart-category" />`}
        <//>
      </div>
    </div>
  </section>`;
}
