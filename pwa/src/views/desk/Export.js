// The table's export button: the current filters' ledger as XLSX, with how far the download is, then saved under
// the server's file name; a failure is said in words (zh-CN first), never a silent nothing.
import { useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { api } from '../../lib/services.js';
import { describeProblem, problemFromError } from '../../lib/errors.js';
import { exportFindings } from '../../lib/desk-export.js';

const size = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

function progressText({ received, total }) {
  if (total) return t('exp_progress', { pct: Math.floor((received / total) * 100), size: size(total) });
  return received ? t('exp_bytes', { size: size(received) }) : t('exp_running');
}

export function ExportButton({ filters, online }) {
  const [state, setState] = useState({ running: false, progress: null, done: null, error: null });
  async function run() {
    setState({ running: true, progress: { received: 0, total: null }, done: null, error: null });
    try {
      const done = await exportFindings(api, filters, { onProgress: (progress) => setState((s) => ({ ...s, progress })) });
      setState({ running: false, progress: null, done, error: null });
    } catch (error) {
      setState({ running: false, progress: null, done: null, error });
    }
  }
  const p = state.progress;
  return html`<div class="export">
    <button type="button" class="btn small" data-testid="export-xlsx" disabled=${state.running || !online} onClick=${run}>
      ${state.running ? t('exp_running') : t('exp_xlsx')}</button>
    ${state.running && p && html`<span class="export-progress" role="status" data-testid="export-progress">
      <progress max=${p.total || undefined} value=${p.total ? p.received : undefined} aria-label=${t('exp_running')}></progress>
      <span>${progressText(p)}</span>
    </span>`}
    ${state.done && html`<span class="ok-text" role="status" data-testid="export-done">${t('exp_done', { name: state.done.name })}</span>`}
    ${state.error && html`<span class="error" role="alert" data-testid="export-error">${t('exp_failed', { why: describeProblem(problemFromError(state.error)).headline })}</span>`}
    ${!online && html`<span class="meta">${t('exp_offline')}</span>`}
  </div>`;
}
