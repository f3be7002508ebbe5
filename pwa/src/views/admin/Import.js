// 批量导入: pick an XLSX or CSV, judge it (试导入, nothing written) or import it; a bar while it uploads, an
// indeterminate one while the server reads it; then the counts, or every problem as a row of a table (行 / 列 /
// 问题) — an import with any problem writes nothing.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { href } from '../../lib/admin/nav.js';
import { upload, reference } from '../../lib/admin/client.js';
import { ACCEPT, IMPORT_ENDPOINTS, TEMPLATES, importOutcome, isSpreadsheet, outcomeHeadline, samplesFor, templateCsv } from '../../lib/admin/imports.js';
import { progressView } from '../../lib/admin/upload.js';
import { problemFromError } from '../../lib/errors.js';

// __IMPORT_SAMPLES__ is defined by vite.config.js from docs/samples
const SAMPLE_FILES = typeof __IMPORT_SAMPLES__ === 'undefined' ? [] : __IMPORT_SAMPLES__;
const SHOWN_ROWS = 500; // a table longer than this is paged on the screen (all of them are in the answer)

function TemplateLink({ kind }) {
  const [url, setUrl] = useState(null);
  useEffect(() => {
    const blob = new Blob([templateCsv(kind)], { type: 'text/csv;charset=utf-8' });
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [kind]);
  return url && html`<a class="btn small ghost" href=${url} download=${TEMPLATES[kind].file} data-testid="import-template">${t('adm_import_template')}</a>`;
}

function Progress({ progress }) {
  const view = progressView(progress);
  if (!view) return null;
  const label = view.phase === 'uploading' ? t('adm_import_uploading', { percent: view.percent ?? 0 }) : t('adm_import_processing');
  return html`<div class="progress" data-testid="import-progress" data-phase=${view.phase}>
    <label for="import-bar">${label}</label>
    ${view.percent === null
      ? html`<progress id="import-bar" aria-label=${label}></progress>`
      : html`<progress id="import-bar" max="100" value=${view.percent} aria-label=${label}></progress>`}
  </div>`;
}

function ErrorTable({ outcome }) {
  const [shown, setShown] = useState(SHOWN_ROWS);
  return html`<div class="import-errors">
    <table class="grid-table errors" data-testid="import-errors">
      <caption>${t('adm_import_errors_caption', { n: outcome.errorCount })}</caption>
      <thead><tr><th scope="col">${t('adm_import_row')}</th><th scope="col">${t('adm_import_column')}</th><th scope="col">${t('adm_import_problem')}</th></tr></thead>
      <tbody>
        ${outcome.errors.slice(0, shown).map((e, i) => html`<tr key=${i} data-testid="import-error" data-row=${e.row} data-column=${e.column}>
          <td data-label=${t('adm_import_row')} class="num">${e.row ?? '—'}</td>
          <td data-label=${t('adm_import_column')}>${e.column || '—'}</td>
          <td data-label=${t('adm_import_problem')} title=${e.original}>${e.text}</td>
        </tr>`)}
      </tbody>
    </table>
    ${outcome.errors.length > shown && html`<button type="button" class="btn block" onClick=${() => setShown(shown + SHOWN_ROWS)}>
      ${t('show_more', { n: outcome.errors.length - shown })}</button>`}
    ${outcome.truncated && html`<p class="hint">${t('adm_import_truncated', { shown: outcome.errors.length, n: outcome.errorCount })}</p>`}
  </div>`;
}

function Counts({ outcome }) {
  const { counts } = outcome;
  return html`<dl class="counts" data-testid="import-counts">
    ${['rows', 'created', 'updated', 'unchanged'].map((k) => html`<div key=${k} data-testid=${`import-${k}`} data-count=${counts[k]}>
      <dt>${t(`adm_import_${k}`)}</dt><dd>${counts[k]}</dd></div>`)}
  </dl>`;
}

export function ImportScreen({ kind }) {
  const [file, setFile] = useState(null);
  const [progress, setProgress] = useState(null);
  const [outcome, setOutcome] = useState(null);
  const [busy, setBusy] = useState(false);
  const input = useRef();
  const template = TEMPLATES[kind];

  async function run(dryRun) {
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      const { status, body } = await upload(IMPORT_ENDPOINTS[kind], file, { dryRun, onProgress: setProgress });
      const result = importOutcome({ status, body, dryRun });
      setOutcome(result);
      if (result.state === 'done' && kind === 'areas') reference('areas', { reload: true });
    } catch (error) {
      setOutcome(importOutcome({ error: problemFromError(error), dryRun }));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  function pick(event) {
    const picked = event.currentTarget.files?.[0] || null;
    setFile(picked);
    setOutcome(null);
  }

  const wrongType = file && !isSpreadsheet(file.name);
  return html`<section aria-labelledby="adm-title">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t(`adm_${kind}_import`)}</h1>
      <a class="btn small ghost" href=${href(kind)}>${t('back')}</a>
    </div>
    <div class="card import" data-testid="import-panel">
      <p>${t('adm_import_intro')}</p>
      <p class="hint">${t('adm_import_columns')}：${template.columns.map((c, i) => html`${i ? t('list_sep') : ''}<span class=${template.required.includes(c) ? 'col req-col' : 'col'}>${c}</span>`)}</p>
      <p class="hint">${t('adm_import_required', { cols: template.required.join(t('list_sep')) })}</p>
      <div class="row">
        ${samplesFor(kind, SAMPLE_FILES).map((s) => html`<a class="btn small ghost" href=${s.href} download=${s.name} data-testid="import-sample">${t('adm_import_sample', { type: s.type })}</a>`)}
        <${TemplateLink} kind=${kind} />
      </div>
      <div class="field">
        <span class="label" id="import-file-label">${t('adm_import_file')}</span>
        <div class="file-pick">
          <input id="import-file" ref=${input} class="file" type="file" accept=${ACCEPT} data-testid="import-file" onChange=${pick} disabled=${busy}
            aria-labelledby="import-file-label import-file-button" />
          <label for="import-file" id="import-file-button" class="btn file-label">${t(file ? 'adm_import_pick_other' : 'adm_import_pick')}</label>
          <span class="file-name" data-testid="import-file-name">${file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KB` : t('adm_import_no_file')}</span>
        </div>
        ${wrongType && html`<p class="field-error" role="alert">${t('adm_import_wrong_type')}</p>`}
      </div>
      <div class="form-actions">
        <button type="button" class="btn" data-testid="import-dry-run" disabled=${!file || busy} onClick=${() => run(true)}>${t('adm_import_dry_run')}</button>
        <button type="button" class="btn primary" data-testid="import-run" disabled=${!file || busy} onClick=${() => run(false)}>${t('adm_import_run')}</button>
      </div>
      <${Progress} progress=${busy ? progress || { phase: 'uploading', loaded: 0, total: 0 } : null} />
    </div>
    ${outcome && html`<div class=${`card result ${outcome.state}`} data-testid="import-result" data-state=${outcome.state} aria-live="polite">
      <h2 data-testid="import-headline">${outcomeHeadline(outcome)}</h2>
      ${outcome.state === 'rejected' && html`<p>${t('adm_import_nothing_written')}</p>`}
      ${outcome.state === 'checked' && html`<p>${t('adm_import_dry_note')}</p>`}
      ${(outcome.state === 'done' || outcome.state === 'checked') && html`<${Counts} outcome=${outcome} />`}
      ${outcome.state === 'failed' && html`${(outcome.problem?.fileTexts || []).map((text) => html`<p class="field-error">${text}</p>`)}
        ${outcome.problem?.detail && html`<p class="detail meta" lang="en">${outcome.problem.detail}</p>`}`}
      ${outcome.state === 'rejected' && html`<${ErrorTable} outcome=${outcome} />`}
    </div>`}
  </section>`;
}
