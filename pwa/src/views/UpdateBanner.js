import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { applyUpdate } from '../lib/sw-register.js';

export function UpdateBanner() {
  const { updateReady } = useAppState();
  if (!updateReady) return null;
  return html`<div class="banner update" role="alert">
    <span>${t('update_available')}</span>
    <button type="button" class="btn small primary" data-testid="update-now" onClick=${applyUpdate}>${t('update_now')}</button>
  </div>`;
}
