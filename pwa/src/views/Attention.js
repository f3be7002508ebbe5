import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState, bump } from '../lib/store.js';
import { outbox, drain, refreshCounts } from '../lib/services.js';

function advice(problem = {}) {
  if (problem.code === 'stale') return t('problem_stale');
  if (problem.code === 'conflict') return t('problem_conflict');
  if (problem.code === 'invalid_transition') return t('problem_invalid_transition');
  if (problem.status === 403) return t('problem_forbidden');
  if (problem.status === 404) return t('problem_not_found');
  if (problem.fields && Object.keys(problem.fields).length) {
    return t('problem_validation', { fields: JSON.stringify(problem.fields).replace(/[{}"]/g, ' ').trim() });
  }
  return t('problem_other', { msg: problem.message || problem.status });
}

function describe(item) {
  if (item.type === 'create') return t('item_create', { title: item.body?.title });
  if (item.type === 'photo') return t('item_photo', { kind: t(`kind_${item.kind}`) });
  return t('item_event', { action: t(`action_${item.action}`) });
}

/** Items the server refused: shown with what to do, never retried on their own, never blocking the queue. */
export function Attention() {
  const { revision } = useAppState();
  const [items, setItems] = useState(null);
  useEffect(() => { outbox.attention().then(setItems); }, [revision]);

  async function act(item, what) {
    if (what === 'discard' && !confirm(t('discard_confirm'))) return;
    if (what === 'discard') await outbox.remove(item.seq);
    // after a 'stale', sending again means: on the finding as it is now (the 409 brought its current version)
    else await outbox.requeue(item.seq, item.problem?.code === 'stale' ? { chained: true } : {});
    await refreshCounts();
    bump();
    if (what === 'retry') drain();
  }

  return html`<section aria-labelledby="att-title">
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="att-title" class="h1">${t('attention_title')}</h1>
    <p>${t('attention_intro')}</p>
    ${items && !items.length && html`<p class="empty">${t('attention_none')}</p>`}
    <ul class="list attention" data-testid="attention-list">
      ${(items || []).map((item) => html`<li key=${item.seq} data-testid="attention-item">
        <div class="card">
          <strong>${describe(item)}</strong>
          <p class="error">${item.problem?.status} ${item.problem?.code || ''}: ${item.problem?.message || ''}</p>
          <p>${advice(item.problem)}</p>
          <div class="row">
            <a class="btn small" href=${`#/f/${item.findingId}`}>${t('open_finding')}</a>
            <button type="button" class="btn small" onClick=${() => act(item, 'retry')}>${t('retry')}</button>
            <button type="button" class="btn small danger" onClick=${() => act(item, 'discard')}>${t('discard')}</button>
          </div>
        </div>
      </li>`)}
    </ul>
  </section>`;
}
