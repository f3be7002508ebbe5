// What was decided on a finding: the plan, the extension requests, the rectification rounds with their reviews.
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { formatTime } from '../lib/dates.js';
import { planRows, roundsOf } from '../lib/present.js';

export function Plan({ finding: f }) {
  if (f.level !== 'major' && !f.plan) return null;
  const rows = planRows(f.plan);
  return html`<section aria-labelledby="plan-title" data-testid="plan">
    <h2 id="plan-title">${t('plan')}</h2>
    ${!f.plan && html`<p class="meta">${t('plan_none')}</p>`}
    ${f.plan && f.plan_complete === false && html`<p class="warn-text">${t('plan_incomplete')}</p>`}
    ${rows.length > 0 && html`<dl class="facts plan">
      ${rows.map((r) => html`<div data-element=${r.name} class=${r.missing ? 'missing' : ''}>
        <dt>${t(`plan_${r.name}`)}</dt><dd>${r.missing ? t('plan_missing') : r.value}</dd></div>`)}
    </dl>`}
    ${f.plan?.submitted_at && html`<p class="meta">${t('submitted_at', { time: formatTime(f.plan.submitted_at) })}</p>`}
  </section>`;
}

export function Extensions({ finding: f }) {
  const requests = f.extension_requests || [];
  if (!requests.length) return null;
  return html`<section aria-labelledby="ext-title" data-testid="extensions">
    <h2 id="ext-title">${t('extensions')}</h2>
    <ol class="list plain">
      ${requests.map((r) => html`<li key=${r.id} class="card quiet" data-testid="extension" data-status=${r.status}>
        <span class=${`badge ext-${r.status}`}>${t(`ext_status_${r.status}`)}</span>
        <dl class="facts">
          <div><dt>${t('ext_requested_date')}</dt><dd data-testid="ext-requested">${r.requested_deadline}</dd></div>
          ${r.granted_deadline && html`<div><dt>${t('ext_granted_date')}</dt><dd data-testid="ext-granted">${r.granted_deadline}</dd></div>`}
          ${r.previous_deadline && html`<div><dt>${t('ext_previous_date')}</dt><dd>${r.previous_deadline}</dd></div>`}
          ${r.reason && html`<div><dt>${t('reason')}</dt><dd>${r.reason}</dd></div>`}
          ${r.decision_comment && html`<div><dt>${t('comment')}</dt><dd>${r.decision_comment}</dd></div>`}
          <div><dt>${t('ext_requested_at')}</dt><dd>${formatTime(r.requested_at)}</dd></div>
          ${r.decided_at && html`<div><dt>${t('ext_decided_at')}</dt><dd>${formatTime(r.decided_at)}</dd></div>`}
        </dl>
      </li>`)}
    </ol>
  </section>`;
}

function Review({ review }) {
  if (!review) return html`<p class="meta">${t('review_waiting')}</p>`;
  return html`<div class=${`review ${review.result}`} data-testid="review">
    <strong>${t(`review_${review.result}`)}</strong>${review.on_site ? html` · <span>${t('on_site')}</span>` : ''}
    ${review.comment && html`<p>${review.comment}</p>`}
    ${review.at && html`<p class="meta">${formatTime(review.at)}</p>`}
  </div>`;
}

/** Round 1, round 2…: each submission with its own measures, photos and review, so a rejected fix and the
 * one after it are never mixed up. */
export function Rounds({ finding: f, renderPhotos }) {
  const rounds = roundsOf(f);
  if (!rounds.length) return null;
  return html`<section aria-labelledby="rounds-title" data-testid="rounds">
    <h2 id="rounds-title">${t('rounds')}</h2>
    ${rounds.map((r) => html`<div key=${r.round} class="card quiet round" data-testid="round" data-round=${r.round}>
      <h3>${t('round_n', { n: r.round })}</h3>
      <dl class="facts">
        <div><dt>${t('rect_measures')}</dt><dd>${r.measures}</dd></div>
        ${r.completed_on && html`<div><dt>${t('completed_on')}</dt><dd>${r.completed_on}</dd></div>`}
      </dl>
      ${renderPhotos(r.photos)}
      <${Review} review=${r.review} />
    </div>`)}
  </section>`;
}
