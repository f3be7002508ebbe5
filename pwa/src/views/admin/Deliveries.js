// 消息发送: the email and group-robot deliveries, failed ones first — each with its time, recipient, channel,
// status, attempts, next attempt and the server's reason — and 重新发送 for a failed one. A chunk of its own,
// fetched when an admin opens it; its rules are in lib/admin/deliveries.js.
import { useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import '../../i18n/admin.js';
import { post, problemOf } from '../../lib/admin/client.js';
import {
  DEFAULT_STATUS, deliveriesQuery, describeDelivery, emptyText, retryPath, retryProblem, statusOptions, statusTone, withUpdates,
} from '../../lib/admin/deliveries.js';
import { Loading, Problem, SelectField, useFilteredPages } from './ui.js';

export function DeliveryList() {
  const { filters, set, first, pages, more } = useFilteredPages({ status: DEFAULT_STATUS }, deliveriesQuery);
  const [updates, setUpdates] = useState({});
  const [busy, setBusy] = useState(null);
  const [problem, setProblem] = useState(null);
  const items = withUpdates(pages.items, updates);

  function choose(status) {
    setUpdates({}); // the list is read again: what it says is newer than what a retry answered
    setProblem(null);
    set('status')(status);
  }

  async function retry(id) {
    setBusy(id);
    setProblem(null);
    try {
      const row = await post(retryPath(id));
      setUpdates((u) => ({ ...u, [row.id]: row }));
    } catch (error) {
      const refused = retryProblem(problemOf(error));
      setProblem(refused.problem);
      if (refused.reload) {
        setUpdates({});
        first.reload(); // the row changed meanwhile: show it as it is now
      }
    } finally {
      setBusy(null);
    }
  }

  const col = (key) => t(`dlv_col_${key}`);
  return html`<section aria-labelledby="adm-title" class="deliveries">
    <div class="admin-head"><h1 id="adm-title" class="h1">${t('adm_deliveries_list')}</h1></div>
    <p class="hint lead">${t('dlv_intro')}</p>
    <div class="filters" role="search">
      <${SelectField} id="df-status" name="status" label=${t('dlv_filter_status')} value=${filters.status} onChange=${choose}
        options=${statusOptions()} testid="deliveries-filter-status" />
    </div>
    <${Problem} problem=${first.problem || problem} testid="deliveries-problem" />
    ${first.loading && !pages.items.length ? html`<${Loading} />` : !items.length ? html`<p class="empty" data-testid="deliveries-empty">${emptyText(filters.status)}</p>` : html`
    <div class="table-scroll"><table class="grid-table deliveries-table" data-testid="deliveries-table">
      <thead><tr>${['when', 'title', 'recipient', 'channel', 'status', 'attempts', 'next', 'reason'].map((k) => html`<th scope="col" key=${k}>${col(k)}</th>`)}
        <th scope="col"><span class="sr-only">${col('actions')}</span></th></tr></thead>
      <tbody>${items.map((raw) => {
        const d = describeDelivery(raw);
        return html`<tr key=${d.id} data-testid="delivery-row" data-delivery-id=${d.id} data-status=${raw.status} data-channel=${raw.channel}>
          <td data-label=${col('when')} class="nowrap">${d.when}</td>
          <td data-label=${col('title')} class="title">${d.findingHref ? html`<a href=${d.findingHref} data-testid="delivery-finding">${d.title}</a>` : d.title}</td>
          <td data-label=${col('recipient')} class="short" data-testid="delivery-recipient">${d.recipient}</td>
          <td data-label=${col('channel')} class="short" data-testid="delivery-channel">${d.channel}</td>
          <td data-label=${col('status')}><span class=${statusTone(raw.status)} data-testid="delivery-status">${d.status}</span>
            ${d.sentAt && html`<span class="meta block">${d.sentAt}</span>`}</td>
          <td data-label=${col('attempts')} class="num" data-testid="delivery-attempts">${d.attempts}</td>
          <td data-label=${col('next')} class="nowrap" data-testid="delivery-next">${d.next}</td>
          <td data-label=${col('reason')} class="reason" data-testid="delivery-reason">${d.reason ? html`<span class="code" lang="en">${d.reason}</span>` : '—'}</td>
          <td class="actions-cell">${d.canRetry && html`<button type="button" class="btn small" data-testid="delivery-retry" disabled=${busy === d.id}
            onClick=${() => retry(d.id)}>${busy === d.id ? t('dlv_retrying') : t('dlv_retry')}</button>`}</td>
        </tr>`;
      })}</tbody>
    </table></div>
    ${pages.cursor && html`<button type="button" class="btn block" data-testid="deliveries-more" onClick=${more}>${t('adm_more')}</button>`}`}
  </section>`;
}
