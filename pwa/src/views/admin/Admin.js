// The admin area, for a desk (1366×768 and up) and still usable on a phone: the sections on the side at 1024 px
// and wider, wrapped above the content below that (never scrolled out of sight); each section's screens thin,
// their rules in lib/admin.
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import '../../i18n/admin.js';
import { useAppState } from '../../lib/store.js';
import { SECTIONS, adminRoute, href, sectionLabel } from '../../lib/admin/nav.js';
import { EnterpriseList, EnterpriseForm } from './Enterprises.js';
import { ImportScreen } from './Import.js';
import { UserList, UserForm } from './Users.js';
import { Areas } from './Areas.js';
import { ReferenceList, ReferenceForm } from './Reference.js';
import { Audit } from './Audit.js';
import { lazyScreen } from '../lazy.js';

// The working-day calendar, a chunk of its own: used a few times a year.
const HolidayList = lazyScreen(() => import('./Holidays.js'), 'HolidayList');
const HolidayForm = lazyScreen(() => import('./Holidays.js'), 'HolidayForm');
// 消息发送, a chunk of its own too: opened when a message did not go out.
const DeliveryList = lazyScreen(() => import('./Deliveries.js'), 'DeliveryList');

function Screen({ section, view, id }) {
  if (view === 'import') return html`<${ImportScreen} kind=${section} key=${section} />`;
  if (section === 'enterprises') return view === 'list' ? html`<${EnterpriseList} />` : html`<${EnterpriseForm} id=${id} key=${id || 'new'} />`;
  if (section === 'users') return view === 'list' ? html`<${UserList} />` : html`<${UserForm} id=${id} key=${id || 'new'} />`;
  if (section === 'areas') return html`<${Areas} />`;
  if (section === 'categories' || section === 'criteria') {
    return view === 'list' ? html`<${ReferenceList} kind=${section} key=${section} />` : html`<${ReferenceForm} kind=${section} code=${id} key=${`${section}:${id || 'new'}`} />`;
  }
  if (section === 'holidays') return view === 'list' ? html`<${HolidayList} />` : html`<${HolidayForm} id=${id} key=${id || 'new'} />`;
  if (section === 'deliveries') return html`<${DeliveryList} />`;
  return html`<${Audit} />`;
}

export function Admin({ route }) {
  const { online } = useAppState();
  const at = adminRoute(route);
  return html`<div class="admin" data-testid="admin">
    <nav class="admin-nav" aria-label=${t('adm_nav')}>
      <ul>
        ${SECTIONS.map((s) => html`<li key=${s.id}>
          <a href=${href(s.id)} data-testid=${`admin-nav-${s.id}`} aria-current=${s.id === at.section ? 'page' : undefined}>${t(sectionLabel(s.id))}</a>
        </li>`)}
        <li><a href="#/findings" data-testid="admin-nav-findings">${t('adm_nav_findings')}</a></li>
      </ul>
    </nav>
    <div class="admin-main">
      ${!online && html`<p class="banner info" role="status">${t('adm_offline')}</p>`}
      <${Screen} ...${at} />
    </div>
  </div>`;
}
