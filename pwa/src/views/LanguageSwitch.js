import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { setLanguage } from '../lib/services.js';

export function LanguageSwitch() {
  const { lang } = useAppState();
  const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return html`<button type="button" class="btn small ghost" data-testid="language-switch" lang=${next === 'en' ? 'en' : 'zh-CN'}
    title=${t('language_label')} onClick=${() => setLanguage(next)}>${t('language')}</button>`;
}

