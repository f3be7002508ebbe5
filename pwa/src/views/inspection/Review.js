import { useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { useAppState } from '../../lib/store.js';
import { formatDate, todayLocal } from '../../lib/dates.js';
import { moveTo, problems, progress } from '../../lib/inspection.js';
import { sendInspection } from '../../lib/inspection-drafts.js';
import { go } from '../../lib/router.js';
import { Field } from '../Fields.js';
import { CampaignField, useCampaigns } from './Campaign.js';

const now = () => new Date();
const RESULT_CLASS = { pass: 'ok', fail: 'major', na: '' };

function problemText(p) {
  return t(`insp_problem_${p.code}`, { n: p.index + 1 });
}

/** The whole inspection before it goes: who, where, every item's answer (a tap goes back to it), what still stops
 * it, and the send. Sending queues it; offline it waits in the outbox and goes by itself. */
export function Review({ draft, update, flush }) {
  const { online } = useAppState();
  const today = todayLocal();
  const [busy, setBusy] = useState('');
  const p = progress(draft);
  const campaigns = useCampaigns({ checklistId: draft.checklist.id, sector: draft.enterprise.sector, on: draft.inspectedOn });
  const stops = problems(draft, today);
  const items = draft.checklist.items;
  const open = (i) => {
    update((d) => moveTo(d, i, now()));
    go(`#/inspection/${draft.id}`);
  };

  async function send(event) {
    event.preventDefault();
    if (busy || stops.length) return;
    setBusy(t('saving'));
    await flush();
    await sendInspection(draft);
    go('#/inspection');
  }

  return html`<form class="insp-review" onSubmit=${send} aria-labelledby="insp-review-title" data-testid="insp-review-page">
    <a class="btn small ghost" href=${`#/inspection/${draft.id}`}><span aria-hidden="true">← </span>${t('insp_back_items')}</a>
    <h1 id="insp-review-title" class="h1">${t('insp_review_title')}</h1>
    <dl class="facts">
      <div><dt>${t('insp_enterprise')}</dt><dd>${draft.enterprise.name}</dd></div>
      <div><dt>${t('insp_checklist')}</dt><dd>${draft.checklist.name}</dd></div>
      <div><dt>${t('insp_date')}</dt><dd>${formatDate(draft.inspectedOn)}</dd></div>
      ${draft.campaign && html`<div><dt>${t('insp_campaign')}</dt><dd>${draft.campaign.name}</dd></div>`}
      <div><dt>${t('insp_inspectors')}</dt><dd>${[...draft.inspectors, draft.coInspector].filter(Boolean).join(t('list_sep'))}</dd></div>
    </dl>
    <label class="check field"><input type="checkbox" checked=${draft.enforcement} data-testid="insp-enforcement"
      onChange=${(e) => update((d) => ({ ...d, enforcement: e.currentTarget.checked, updatedAt: now().toISOString() }))} /> ${t('insp_enforcement')}</label>
    <${Field} id="insp-review-co" label=${`${t('insp_co_inspector')}${draft.enforcement ? '' : t('optional_suffix')}`} hint=${t('insp_co_hint')}>
      <input id="insp-review-co" value=${draft.coInspector} autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="80"
        data-testid="insp-co-inspector" aria-describedby="insp-review-co-hint"
        onInput=${(e) => update((d) => ({ ...d, coInspector: e.currentTarget.value.trim(), updatedAt: now().toISOString() }), { soon: true })} /></${Field}>
    <${CampaignField} id="insp-review-campaign" campaigns=${campaigns} value=${draft.campaign}
      onChange=${(c) => update((d) => ({ ...d, campaign: c ? { id: c.id, name: c.name } : null, updatedAt: now().toISOString() }))} />
    <p class="insp-counts" data-testid="insp-counts">${t('insp_counts', { pass: p.pass, fail: p.fail, na: p.na, open: p.total - p.answered })}</p>
    <ol class="insp-results">
      ${items.map((item, i) => {
        const r = draft.results[item.id];
        return html`<li key=${item.id} data-testid="insp-review-item" data-result=${r?.result || ''}>
          <button type="button" class="insp-result-row" onClick=${() => open(i)}>
            <span class="insp-n">${i + 1}</span>
            <span class="insp-text">${r?.result === 'fail' ? r.finding.title || item.content : item.content}
              ${r?.result === 'fail' && html`<span class="meta">${t('insp_fail_deadline')} ${formatDate(r.finding.deadline)} · ${t('insp_photos_n', { n: r.finding.photos.length })}</span>`}</span>
            <span class=${`badge ${r ? RESULT_CLASS[r.result] : 'queued'}`}>${r ? t(`insp_${r.result}`) : t('insp_open')}</span>
          </button>
        </li>`;
      })}
    </ol>
    ${stops.length > 0 && html`<div class="card ask" role="alert" data-testid="insp-problems">
      <p><strong>${t('insp_send_blocked')}</strong></p>
      <ul>${stops.slice(0, 8).map((s) => html`<li>${problemText(s)}</li>`)}</ul>
    </div>`}
    <button class="btn primary block big" data-testid="insp-send" disabled=${Boolean(busy) || stops.length > 0} aria-busy=${busy ? 'true' : 'false'}>
      ${busy || (online ? t('insp_send') : t('insp_send_offline'))}</button>
  </form>`;
}
