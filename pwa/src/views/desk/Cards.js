// The cards: open, overdue, awaiting review, extensions waiting, major and open, listed, this month's 整改率 — the
// numbers of GET /stats in the caller's scope. On the dashboard, and above the queues on a supervisor's phone (this
// file and its strings are small on purpose: no chart code comes with them).
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { describeProblem, problemFromError } from '../../lib/errors.js';
import { cards, dashboardPaths, firstOfMonth } from '../../lib/desk-stats.js';
import { useFetched } from './fetched.js';

/** Why a panel shows no numbers, in words (offline, or the refusal's headline). */
export function whyNot(error) {
  if (error?.offline) return t('stats_offline');
  return t('stats_failed', { why: describeProblem(problemFromError(error)).headline });
}

export function StatCards({ byLevel, month, role }) {
  const shown = cards(byLevel, month, { from: firstOfMonth(), role });
  return html`<ul class="stat-cards" data-testid="stat-cards">
    ${shown.map((card) => {
      const body = html`<span class="stat-label">${t(`stat_${card.id}`)}</span>
        <strong class="stat-value" data-testid=${`stat-${card.id.replace(/_/g, '-')}`}>${card.text}</strong>
        ${card.id === 'month_rate' && html`<span class="stat-detail">${t('stat_month_rate_detail', { closed: card.closed, due: card.due })}</span>`}`;
      const warn = card.id === 'overdue' && card.value > 0;
      return html`<li key=${card.id} class=${`stat-card${warn ? ' warn' : ''}`}>
        ${card.link ? html`<a href=${card.link}>${body}</a>` : html`<div>${body}</div>`}
      </li>`;
    })}
  </ul>`;
}

/** The cards on the phone's home: their own two reads, nothing when they cannot be had but a line saying why. */
export function HomeCards({ user }) {
  const paths = dashboardPaths(user);
  const byLevel = useFetched(paths.byLevel);
  const month = useFetched(paths.month);
  const error = byLevel.error || month.error;
  return html`<section class="home-cards" aria-labelledby="home-cards-title" data-testid="home-cards">
    <h2 id="home-cards-title" class="sr-only">${t('stats_title')}</h2>
    ${byLevel.data && month.data ? html`<${StatCards} byLevel=${byLevel.data} month=${month.data} role=${user.role} />`
      : error ? html`<p class="meta" role="status">${whyNot(error)}</p>`
        : html`<p class="meta" role="status">${t('stats_loading')}</p>`}
  </section>`;
}
