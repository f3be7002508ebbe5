import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { syncNow } from '../lib/services.js';

export function SyncBar() {
  const { unsent, attention, syncing, online, syncState } = useAppState();
  // a refused item is not "waiting to send": it waits for the user, behind the attention link
  const text = unsent ? t('sync_unsent', { n: unsent }) : attention ? t('sync_none_waiting') : t('sync_all_sent');
  const note = syncing ? t('sync_sending') : !online ? t('sync_offline') : syncState === 'waiting' && unsent ? t('sync_waiting') : '';
  return html`<div class="syncbar">
    <p data-testid="sync-status" role="status" aria-live="polite" class=${unsent ? 'unsent' : 'sent'}>
      ${text}${note ? ` · ${note}` : ''}
    </p>
    ${attention > 0 && html`<a class="btn small warn" href="#/attention">${t('nav_attention', { n: attention })}</a>`}
    <button type="button" class="btn small" data-testid="sync-now" onClick=${() => syncNow()} aria-busy=${syncing ? 'true' : 'false'}>${t('sync_now')}</button>
  </div>`;
}
