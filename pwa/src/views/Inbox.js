import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { noticeKind } from '../i18n/notices.js';
import { useAppState } from '../lib/store.js';
import { inbox } from '../lib/services.js';
import { formatTime } from '../lib/dates.js';

/** The inbox (issue 12): newest first, the unread marked; a tap marks one read and opens its finding (from the
 * read cache when offline). What is shown is what the device has (lib/inbox.js); online it is refreshed on open. */
export function Inbox() {
  const { notices, online, unread, lang } = useAppState();
  const [state, setState] = useState(null);
  const [paging, setPaging] = useState({ busy: false, failed: '' });

  useEffect(() => {
    let live = true;
    inbox.read().then((s) => live && setState(s));
    return () => { live = false; };
  }, [notices]);
  useEffect(() => { inbox.refresh().catch(() => {}); }, []);

  async function more() {
    setPaging({ busy: true, failed: '' });
    try {
      await inbox.more();
      setPaging({ busy: false, failed: '' });
    } catch {
      setPaging({ busy: false, failed: navigator.onLine === false ? t('inbox_more_offline') : t('inbox_more_failed') });
    }
  }

  const items = state?.items || [];
  return html`<section aria-labelledby="inbox-title" class="inbox" data-testid="inbox" lang=${lang}>
    <div class="row spread">
      <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
      <a class="btn small ghost" href="#/settings" data-testid="inbox-settings">${t('nav_settings')}</a>
    </div>
    <h1 id="inbox-title" class="h1">${t('inbox_title')}</h1>
    ${!online && html`<p class="banner info">${t('inbox_offline')}</p>`}
    ${items.length > 0 && html`<button type="button" class="btn small" data-testid="inbox-all-read" disabled=${unread === 0}
      onClick=${() => inbox.markAllRead().catch(() => {})}>${t('inbox_all_read')}</button>`}
    ${state === null && html`<p role="status">${t('loading')}</p>`}
    ${state && !items.length && html`<p class="empty" data-testid="inbox-empty">${t('inbox_empty')}</p>`}
    <ul class="list notices" data-testid="inbox-list">
      ${items.map((n) => html`<li key=${n.id} class=${n.read_at ? 'read' : 'unread'} data-testid="notice" data-notice-id=${n.id}
        data-finding-id=${n.finding_id} data-read=${n.read_at ? 'true' : 'false'}>
        <a href=${`#/f/${n.finding_id}`} onClick=${() => { if (!n.read_at) inbox.markRead([n.id]); }}>
          <span class="notice-head">
            ${!n.read_at && html`<span class="dot" aria-hidden="true"></span><span class="sr-only">${t('inbox_unread')}</span>`}
            <span class=${`badge k-${n.kind}`}>${noticeKind(n.kind)}</span>
            <span class="meta">${formatTime(n.created_at)}</span>
          </span>
          <strong class="title">${n.title}</strong>
          ${n.body && html`<span class="meta body">${n.body}</span>`}
        </a>
      </li>`)}
    </ul>
    ${state?.cursor && html`<button type="button" class="btn block" data-testid="inbox-more" disabled=${paging.busy} onClick=${more}>
      ${paging.busy ? t('loading') : t('inbox_more')}</button>`}
    ${paging.failed && html`<p class="error" role="alert">${paging.failed}</p>`}
  </section>`;
}
