import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';

/** The header's bell: the unread count (offline: as last fetched), opening the inbox. */
export function Bell() {
  const { unread } = useAppState();
  const label = unread ? t('bell_label', { n: unread }) : t('bell_label_none');
  return html`<a class="btn small ghost bell" href="#/inbox" data-testid="bell" data-unread=${unread} aria-label=${label} title=${label}>
    <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/></svg>
    ${unread > 0 && html`<span class="count" data-testid="bell-count" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>`}
  </a>`;
}
