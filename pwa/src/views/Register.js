// 挂牌督办台账: the register of hazards listed for supervision in the supervisor's area, read from the server
// (GET /supervisions), newest listing first, with its filters; each row opens its finding. A lazy chunk: only
// supervisors open it. It is read online only: the offline read cache holds findings, not the register.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { api } from '../lib/services.js';
import { describeProblem } from '../lib/errors.js';
import { formatDate, formatTime } from '../lib/dates.js';
import { SUPERVISION_LEVELS } from '../lib/forms.js';

const PAGE = 50;
const YEARS = 5;

/** The query string of the register for these filters (only the ones set). */
export function registerQuery(filters, cursor) {
  const q = new URLSearchParams({ limit: String(PAGE) });
  for (const name of ['level', 'status', 'year', 'area']) if (filters[name]) q.set(name, String(filters[name]).trim());
  if (filters.overdue) q.set('overdue', 'true');
  if (cursor) q.set('cursor', cursor);
  return `supervisions?${q}`;
}

/** Days left, overdue, or closed: what the row's term says. */
function Term({ row }) {
  if (row.overdue) return html`<span class="badge overdue">${t('overdue_days', { n: row.days_overdue })}</span>`;
  if (row.days_left != null) return html`<span class="badge due">${row.days_left === 0 ? t('due_today') : t('days_left', { n: row.days_left })}</span>`;
  if (row.finding.status === 'closed') return html`<span class="badge ok">${t('register_closed')}</span>`;
  return html`<span class=${`badge s-${row.finding.status}`}>${t(`status_${row.finding.status}`)}</span>`;
}

function Row({ row }) {
  const s = row.supervision;
  const f = row.finding;
  const basis = f.major_basis && `${f.major_basis.title || f.major_basis.criterion} ${f.major_basis.clause || ''}`;
  return html`<li data-testid="register-row" data-finding-id=${f.id} data-status=${s.status}>
    <a href=${`#/f/${f.id}`}>
      <strong class="title">${f.title}</strong>
      <span class="meta">${[f.number, f.enterprise?.name].filter(Boolean).join(' · ')}</span>
      ${basis && html`<span class="meta">${basis}</span>`}
      <span class="meta">${t('supervision_term')}：${formatDate(row.deadline) || '—'} · ${s.document_no}</span>
      <span class="meta">${t(`supervision_level_${s.level}`)} · ${s.authority} · ${t('leader')}：${s.leader}</span>
      <span class="badges">
        <span class=${`badge ${s.status === 'listed' ? 'listed' : 'ok'}`}>${t(`supervision_status_${s.status}`)}</span>
        <${Term} row=${row} />
        <span class="meta">${t('supervision_listed_at')} ${formatTime(s.listed_at)}</span>
      </span>
    </a>
  </li>`;
}

export function Register() {
  const { online } = useAppState();
  const [filters, setFilters] = useState({ level: '', status: 'listed', year: '', overdue: false, area: '' });
  const [page, setPage] = useState({ rows: null, cursor: null, error: null, busy: false });
  const thisYear = new Date().getFullYear();

  function load(cursor = null) {
    setPage((p) => ({ ...p, busy: true, error: null, ...(cursor ? {} : { rows: null }) }));
    api.get(registerQuery(filters, cursor)).then(
      (body) => setPage((p) => ({ rows: [...(cursor ? p.rows || [] : []), ...body.items], cursor: body.next_cursor, error: null, busy: false })),
      (error) => setPage((p) => ({ ...p, rows: p.rows || [], error, busy: false })),
    );
  }
  useEffect(() => { if (online) load(); }, [filters.level, filters.status, filters.year, filters.overdue, online]);
  const set = (name) => (e) => setFilters((f) => ({ ...f, [name]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value }));
  const problem = page.error && describeProblem({ status: page.error.status, code: page.error.code, fields: page.error.body?.error?.fields });

  return html`<section aria-labelledby="register-title" data-testid="register">
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="register-title" class="h1">${t('register_title')}</h1>
    <form class="filters" aria-label=${t('register_filters')} onSubmit=${(e) => { e.preventDefault(); load(); }}>
      <select aria-label=${t('supervision_level')} data-testid="register-level" value=${filters.level} onChange=${set('level')}>
        <option value="">${t('register_level_any')}</option>
        ${SUPERVISION_LEVELS.map((v) => html`<option value=${v}>${t(`supervision_level_${v}`)}</option>`)}
      </select>
      <select aria-label=${t('register_status')} data-testid="register-status" value=${filters.status} onChange=${set('status')}>
        <option value="">${t('register_status_any')}</option>
        <option value="listed">${t('supervision_status_listed')}</option>
        <option value="delisted">${t('supervision_status_delisted')}</option>
      </select>
      <select aria-label=${t('register_year_any')} data-testid="register-year" value=${filters.year} onChange=${set('year')}>
        <option value="">${t('register_year_any')}</option>
        ${Array.from({ length: YEARS }, (_, i) => thisYear - i).map((y) => html`<option value=${y}>${t('register_year', { year: y })}</option>`)}
      </select>
      <input aria-label=${t('register_area')} placeholder=${t('register_area')} inputmode="numeric" maxlength="20" data-testid="register-area"
        value=${filters.area} onInput=${set('area')} onBlur=${() => load()} />
      <label class="check"><input type="checkbox" data-testid="register-overdue" checked=${filters.overdue} onChange=${set('overdue')} /> ${t('register_overdue_only')}</label>
    </form>
    ${!online && html`<p class="banner offline" role="status">${t('register_offline')}</p>`}
    ${problem && html`<p class="banner refused" role="alert">${problem.headline}${problem.fields.length ? ` · ${problem.fields.join(t('list_sep'))}` : ''}</p>`}
    ${online && page.rows === null && html`<p role="status">${t('loading')}</p>`}
    ${page.rows && page.rows.length === 0 && !page.error && html`<p class="empty" data-testid="register-empty">${t('register_empty')}</p>`}
    ${page.rows && page.rows.length > 0 && html`<ul class="list register" data-testid="register-list">${page.rows.map((row) => html`<${Row} key=${row.supervision.id} row=${row} />`)}</ul>`}
    ${page.cursor && html`<button type="button" class="btn block" data-testid="register-more" disabled=${page.busy} onClick=${() => load(page.cursor)}>${t('register_more')}</button>`}
  </section>`;
}
