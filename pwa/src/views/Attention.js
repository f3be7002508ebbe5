import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState, bump } from '../lib/store.js';
import { outbox, drain, refreshCounts } from '../lib/services.js';
import { describeProblem } from '../lib/errors.js';

function describe(item) {
  if (item.type === 'create') return t('item_create', { title: item.body?.title });
  if (item.type === 'photo') return t('item_photo', { kind: t(`kind_${item.kind}`) });
  if (item.type === 'inspection') return t('item_inspection', { name: item.label });
  return t('item_event', { action: t(`action_${item.action}`) });
}

/** The refusal in the user's language first; the server's own words (English, for support) under it. */
function Problem({ problem }) {
  const said = describeProblem(problem);
  return html`<div class="problem" data-code=${said.code}>
    <p class="error" data-testid="problem-headline">${said.headline}</p>
    ${said.fields.length > 0 && html`<p>${t('problem_fields', { fields: said.fields.join(t('list_sep')) })}</p>`}
    <p class="meta detail" data-testid="problem-detail">${said.detail}</p>
  </div>`;
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
          <${Problem} problem=${item.problem} />
          <div class="row">
            ${item.type === 'inspection'
              ? html`<a class="btn small" href="#/inspection">${t('open_inspection')}</a>`
              : html`<a class="btn small" href=${`#/f/${item.findingId}`}>${t('open_finding')}</a>`}
            <button type="button" class="btn small" onClick=${() => act(item, 'retry')}>${t('retry')}</button>
            <button type="button" class="btn small danger" onClick=${() => act(item, 'discard')}>${t('discard')}</button>
          </div>
        </div>
      </li>`)}
    </ul>
  </section>`;
}
