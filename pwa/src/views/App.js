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
import { canInspect } from '../lib/inspection-refs.js';
import { LogoutButton } from './LogoutDialog.js';
import { UpdateBanner } from './UpdateBanner.js';
import { ChangePassword } from './ChangePassword.js';
import { Bell } from './Bell.js';
import { SideNav } from './desk/SideNav.js';
import { lazyDesk } from './desk/load.js';
import { homeIsDashboard, isDeskRole, useWide } from '../lib/desk-nav.js';
import { readFilters } from '../lib/desk-filters.js';

const Detail = lazyScreen(() => import('./Detail.js'), 'Detail');
const NewFinding = lazyScreen(() => import('./NewFinding.js'), 'NewFinding');
const Attention = lazyScreen(() => import('./Attention.js'), 'Attention');
const Register = lazyScreen(() => import('./Register.js'), 'Register'); // 挂牌督办台账, supervisors
const Inspection = lazyScreen(() => import('./inspection/Inspection.js'), 'Inspection'); // 现场检查 (issue 14)
// The inbox and the notification settings: chunks of their own (with their strings), fetched on first use.
const Inbox = lazyScreen(() => import('./Inbox.js'), 'Inbox');
const NoticeSettings = lazyScreen(() => import('./NoticeSettings.js'), 'NoticeSettings');
// The admin area is its own chunk: no other role ever downloads it.
const Admin = lazyScreen(() => import('./admin/Admin.js'), 'Admin');
// The desk's screens (issue 13): chunks of their own, outside the precached shell; the dashboard's charts are a
// further chunk the dashboard loads after its numbers.
const Dashboard = lazyDesk(() => import('./desk/Dashboard.js'), 'Dashboard');
const FindingsTable = lazyDesk(() => import('./desk/Table.js'), 'FindingsTable');
const DeskMap = lazyDesk(() => import('./desk/Map.js'), 'DeskMap');

const isAdminPage = (route, user) => user.role === 'admin' && (route.length === 0 || route[0] === 'admin');

/** The desk's own screens, for the roles that work at one; null when the route is not one of them. */
function DeskPage({ route, user, wide }) {
  const [first] = route;
  if (first === 'dashboard' || (!first && homeIsDashboard(user.role, wide))) return html`<${Dashboard} user=${user} />`;
  if (first === 'table') return html`<${FindingsTable} user=${user} filters=${readFilters()} />`;
  if (first === 'map') return html`<${DeskMap} user=${user} />`;
  return null;
}

function Page({ route, user, wide }) {
  const [first, second] = route;
  if (isAdminPage(route, user)) return html`<${Admin} route=${route} />`;
  const desk = isDeskRole(user.role) && DeskPage({ route, user, wide });
  if (desk) return desk;
  if (first === 'new' && canReport(user.role)) return html`<${NewFinding} user=${user} />`;
  if (first === 'f' && second) return html`<${Detail} id=${second} user=${user} />`;
  if (first === 'attention') return html`<${Attention} />`;
  if (first === 'register' && user.role === 'supervisor') return html`<${Register} />`;
  if (first === 'inspection' && canInspect(user.role)) return html`<${Inspection} route=${route} user=${user} />`;
  if (first === 'inbox') return html`<${Inbox} />`;
  if (first === 'settings') return html`<${NoticeSettings} />`;
  return html`<${Home} user=${user} route=${route} />`;
}

export function App() {
  const state = useAppState();
  const route = useRoute();
  const wide = useWide();
  setLang(state.lang);
  useEffect(() => {
    document.title = t('app_name');
  }, [state.lang]);

  if (!state.ready) return html`<div class="boot" role="status">${t('loading')}</div>`;
  if (!state.session || state.authLost) {
    return html`<div class="app" data-testid="app-ready"><${Login} expired=${state.authLost} /></div>`;
  }
  const user = state.session.user;
  const mustChange = Boolean(user.must_change_password);
  // At a desk (1024 px and up, styles.css) the admin's pages and the desk roles' screens use the width; the desk
  // roles get the side navigation beside the content. Below that the phone's layout is as it always was.
  const adminPage = !mustChange && isAdminPage(route, user);
  const deskFrame = !mustChange && !adminPage && isDeskRole(user.role);
  const home = homeIsDashboard(user.role, wide) ? 'dashboard' : 'queues';
  const page = mustChange ? html`<${ChangePassword} user=${user} />` : html`<${Page} route=${route} user=${user} wide=${wide} />`;
  return html`<div class=${adminPage || deskFrame ? 'app desk' : 'app'} data-testid="app-ready">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>${t('skip')}</a>
    <header class="top">
      <a class="brand" href="#/">${t('app_name')}</a>
      <div class="top-actions">${!mustChange && html`<${Bell} />`}<${LanguageSwitch} /><${LogoutButton} /></div>
      <div class="who-line">
        <span class="who">${t('hello', { name: user.display_name || user.username, role: t(`role_${user.role}`) })}</span>
        ${!mustChange && html`<a class="top-link" href="#/settings" data-testid="nav-settings">${t('nav_settings')}</a>`}
      </div>
    </header>
    <${UpdateBanner} />
    ${!mustChange && html`<${SyncBar} />`}
    ${!state.online && html`<p class="banner offline">${t('offline_banner')}</p>`}
    ${deskFrame ? html`<div class="desk-frame">
      <${SideNav} route=${route} user=${user} home=${home} />
      <main id="main" tabindex="-1">${page}</main>
    </div>` : html`<main id="main" tabindex="-1">${page}</main>`}
  </div>`;
}
