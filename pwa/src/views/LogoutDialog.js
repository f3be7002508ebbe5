import { useState, useRef, useEffect } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { logout, outbox } from '../lib/services.js';

/** Sign out; with unsent items, only after an explicit confirmation that they are discarded. */
export function LogoutButton() {
  const [unsent, setUnsent] = useState(0);
  const keepRef = useRef();
  useEffect(() => {
    if (unsent) keepRef.current?.focus();
  }, [unsent]);

  async function start() {
    const n = await outbox.count();
    if (n === 0) await logout();
    else setUnsent(n);
  }

  return html`<button type="button" class="btn small ghost" data-testid="logout" onClick=${start}>${t('logout')}</button>
    ${unsent > 0 && html`<div class="modal-backdrop">
      <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="logout-title" aria-describedby="logout-body"
        onKeyDown=${(e) => e.key === 'Escape' && setUnsent(0)}>
        <h2 id="logout-title">${t('logout_confirm_title')}</h2>
        <p id="logout-body">${t('logout_confirm_body', { n: unsent })}</p>
        <button type="button" ref=${keepRef} class="btn primary block" data-testid="logout-cancel" onClick=${() => setUnsent(0)}>${t('logout_keep')}</button>
        <button type="button" class="btn danger block" data-testid="logout-discard"
          onClick=${async () => { await logout({ discard: true }); setUnsent(0); }}>${t('logout_discard')}</button>
      </div>
    </div>`}`;
}
