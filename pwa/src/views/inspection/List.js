import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { useAppState } from '../../lib/store.js';
import { formatClock, formatDate } from '../../lib/dates.js';
import { progress } from '../../lib/inspection.js';
import { backToDraft, discardDraft, listInspections } from '../../lib/inspection-drafts.js';
import { describeProblem } from '../../lib/errors.js';
import { go } from '../../lib/router.js';
import { bump } from '../../lib/store.js';

function DraftRow({ draft }) {
  const p = progress(draft);
  async function discard() {
    if (!confirm(t('insp_discard_confirm'))) return;
    await discardDraft(draft);
    bump();
  }
  return html`<li data-testid="insp-draft" data-inspection-id=${draft.id}>
    <a href=${`#/inspection/${draft.id}`}>
      <span class="title">${draft.enterprise.name}</span>
      <span class="meta">${draft.checklist.name} · ${t('insp_progress_label', { done: p.answered, total: p.total })}</span>
      <span class="meta">${t('insp_updated', { time: formatClock(draft.updatedAt) })}</span>
    </a>
    <button type="button" class="btn small ghost" onClick=${discard}>${t('insp_discard')}</button>
  </li>`;
}

const STATE_CLASS = { waiting: 'queued', refused: 'major', sent: 'ok', discarded: '' };

function SentRow({ record, send }) {
  const p = progress(record);
  const label = send.state === 'waiting' && send.created ? 'insp_state_photos' : `insp_state_${send.state}`;
  const said = send.state === 'refused' ? describeProblem(send.problem || {}) : null;
  const findings = record.checklist.items.map((i) => record.results[i.id]).filter((r) => r?.result === 'fail').map((r) => r.finding);
  const remove = async () => { await discardDraft(record); bump(); };
  async function edit() {
    if (await backToDraft(record)) go(`#/inspection/${record.id}/review`);
  }
  return html`<li data-testid="insp-sent" data-inspection-id=${record.id} data-state=${send.state}>
    <div class="insp-row">
      <span class="title">${record.enterprise.name}</span>
      <span class="meta">${formatDate(record.inspectedOn)} · ${record.checklist.name}</span>
      <span class="meta">${t('insp_counts', { pass: p.pass, fail: p.fail, na: p.na, open: p.total - p.answered })}</span>
      <span><span class=${`badge ${STATE_CLASS[send.state]}`} data-testid="insp-state">${t(label)}</span></span>
      ${send.state === 'discarded' && html`<button type="button" class="btn small ghost" onClick=${remove}>${t('insp_remove')}</button>`}
      ${send.state === 'sent' && findings.length > 0 && html`<ul class="insp-findings">${findings.map((f) => html`<li key=${f.id}>
        <a href=${`#/f/${f.id}`} data-testid="insp-finding-link">${f.title}</a></li>`)}</ul>`}
      ${said && html`<p class="error">${said.headline}</p>
        ${said.fields.length > 0 && html`<p class="meta">${t('problem_fields', { fields: said.fields.join(t('list_sep')) })}</p>`}
        <p class="meta detail">${said.detail}</p>
        ${!send.created && send.items.some((i) => i.type === 'inspection') && html`<button type="button" class="btn small" data-testid="insp-edit-again" onClick=${edit}>${t('insp_edit_again')}</button>`}`}
    </div>
  </li>`;
}

/** The inspector's inspections on this device: the unfinished first (a tap resumes where it was), then those
 * submitted, each with what became of it. */
export function InspectionList({ user }) {
  const { revision } = useAppState();
  const [data, setData] = useState(null);
  useEffect(() => {
    let live = true;
    listInspections(user).then((found) => live && setData(found));
    return () => { live = false; };
  }, [revision]);

  return html`<section aria-labelledby="insp-list-title" class="insp-list">
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="insp-list-title" class="h1">${t('insp_title')}</h1>
    <a class="btn primary block big" href="#/inspection/new" data-testid="insp-new"><span aria-hidden="true">＋ </span>${t('insp_new')}</a>
    ${data === null ? html`<p role="status">${t('loading')}</p>` : html`
      <h2 class="h2">${t('insp_drafts')}</h2>
      ${data.drafts.length ? html`<ul class="list insp-rows">${data.drafts.map((d) => html`<${DraftRow} key=${d.id} draft=${d} />`)}</ul>`
        : html`<p class="empty">${t('insp_drafts_none')}</p>`}
      <h2 class="h2">${t('insp_submitted')}</h2>
      ${data.queued.length ? html`<ul class="list insp-rows">${data.queued.map((q) => html`<${SentRow} key=${q.record.id} ...${q} />`)}</ul>`
        : html`<p class="empty">${t('insp_submitted_none')}</p>`}`}
  </section>`;
}
