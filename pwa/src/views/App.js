import { useEffect } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t, setLang } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { useRoute } from '../lib/router.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { Login } from './Login.js';
import { SyncBar } from './SyncBar.js';
import { Home } from './Home.js';
import { lazyScreen } from './lazy.js';
import { canReport } from '../lib/forms.js';
import { LogoutButton } from './LogoutDialog.js';
import { UpdateBanner } from './UpdateBanner.js';

const Detail = lazyScreen(() => import('./Detail.js'), 'Detail');
const NewFinding = lazyScreen(() => import('./NewFinding.js'), 'NewFinding');
const Attention = lazyScreen(() => import('./Attention.js'), 'Attention');

function Page({ route, user }) {
  const [first, second] = route;
  if (first === 'new' && canReport(user.role)) return html`<${NewFinding} user=${user} />`;
  if (first === 'f' && second) return html`<${Detail} id=${second} user=${user} />`;
  if (first === 'attention') return html`<${Attention} />`;
  return html`<${Home} user=${user} />`;
}

export function App() {
  const state = useAppState();
  const route = useRoute();
  setLang(state.lang);
  useEffect(() => {
    document.title = t('app_name');
  }, [state.lang]);

  if (!state.ready) return html`<div class="boot" role="status">${t('loading')}</div>`;
  if (!state.session || state.authLost) {
    return html`<div class="app" data-testid="app-ready"><${Login} expired=${state.authLost} /></div>`;
  }
  const user = state.session.user;
  return html`<div class="app" data-testid="app-ready">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>${t('skip')}</a>
    <header class="top">
      <a class="brand" href="#/">${t('app_name')}</a>
      <span class="who">${t('hello', { name: user.display_name || user.username, role: t(`role_${user.role}`) })}</span>
      <div class="top-actions"><${LanguageSwitch} /><${LogoutButton} /></div>
    </header>
    <${UpdateBanner} />
    <${SyncBar} />
    ${!state.online && html`<p class="banner offline">${t('offline_banner')}</p>`}
    <main id="main" tabindex="-1"><${Page} route=${route} user=${user} /></main>
  </div>`;
}
