// The findings table (issue 13): the list's filters in the URL (#/table?…), sorted by the API (received, observed,
// deadline), keyset "load more", a row opens its finding; its count is /stats's for the same filters, and the
// export button downloads the same filters' ledger as XLSX. Online only: the server's list, not the device's cache.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t, getLang } from '../../i18n/index.js';
import '../../i18n/desk.js';
import { useAppState } from '../../lib/store.js';
import { api } from '../../lib/services.js';
import { describeProblem, problemFromError } from '../../lib/errors.js';
import { formatDate, todayLocal } from '../../lib/dates.js';
import { DEFAULT_SORT, deskHash, filterQuery } from '../../lib/desk-filters.js';
import { Badges } from '../FindingList.js';
import { Filters } from './Filters.js';
import { ExportButton } from './Export.js';
import { useFetched } from './fetched.js';

const PAGE = 50;
// The sortable columns: the API's sort key, and which way a first click sorts (newest first; the soonest deadline).
const SORTABLE = { received: ['received_at', 'desc'], observed: ['observed_at', 'desc'], deadline: ['deadline', 'asc'] };

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A moment as its Shanghai date, the time of day under it (the table's columns stay narrow). */
const When = ({ at }) => (at ? html`<span class="nowrap">${formatDate(todayLocal(new Date(at)))}</span>
  <span class="meta block">${clock.format(new Date(at))}</span>` : '—');

const headline = (error) => describeProblem(problemFromError(error)).headline;
const categoryName = (c) => (c ? (getLang() === 'en' ? c.name_en : c.name_zh) || c.code : '');

function direction(sort, column) {
  const [key] = SORTABLE[column];
  if (sort === key) return 'asc';
  if (sort === `-${key}`) return 'desc';
  return null;
}

function SortHeader({ column, label, filters }) {
  const sort = filters.sort || DEFAULT_SORT;
  const now = direction(sort, column);
  const [key, first] = SORTABLE[column];
  const next = now ? (now === 'asc' ? `-${key}` : key) : first === 'asc' ? key : `-${key}`;
  return html`<th scope="col" aria-sort=${now ? (now === 'asc' ? 'ascending' : 'descending') : 'none'}>
    <a class="sort" href=${deskHash('table', { ...filters, sort: next })} data-testid=${`sort-${column}`} data-dir=${now || ''}
      aria-label=${t('sort_by', { col: label })}>${label}<span aria-hidden="true" class="arrow">${now === 'asc' ? ' ▲' : now === 'desc' ? ' ▼' : ' ↕'}</span></a>
  </th>`;
}

function Row({ f }) {
  const open = () => { location.hash = `#/f/${f.id}`; };
  return html`<tr data-testid="findings-row" data-finding-id=${f.id} class="clickable" onClick=${(e) => { if (!e.target.closest('a')) open(); }}>
    <td data-label=${t('col_number')} class="code number-cell">${f.number}</td>
    <td data-label=${t('col_title')} class="title-cell"><a href=${`#/f/${f.id}`}>${f.title}</a>
      <span class="meta block">${categoryName(f.category)}</span></td>
    <td data-label=${t('col_where')} class="where-cell">${f.enterprise?.name || '—'}<span class="meta block">${f.area?.name || ''}</span></td>
    <td data-label=${t('col_status')} class="status-cell"><${Badges} finding=${f} /></td>
    <td data-label=${t('col_observed')}><${When} at=${f.observed_at} /></td>
    <td data-label=${t('col_received')}><${When} at=${f.received_at} /></td>
    <td data-label=${t('col_deadline')} class="nowrap">${f.deadline ? formatDate(f.deadline) : '—'}</td>
  </tr>`;
}

/** The rows for these filters, page by page (keyset): {items, cursor, error, busy}; the first page again on a change. */
function useRows(filters) {
  const { online } = useAppState();
  const query = filterQuery(filters, { sort: true });
  const [page, setPage] = useState({ items: null, cursor: null, error: null, busy: false, query: null });
  const latest = useRef(0); // an answer to a request since replaced (the filters changed again) is dropped
  function load(cursor = null) {
    const asked = ++latest.current;
    setPage((p) => ({ ...p, busy: true, error: null, ...(cursor ? {} : { items: null, cursor: null }) }));
    const params = filterQuery(filters, { sort: true, cursor });
    return api.get(`findings?${params ? `${params}&` : ''}limit=${PAGE}`).then(
      (body) => asked === latest.current && setPage((p) => ({ items: [...(cursor ? p.items || [] : []), ...body.items], cursor: body.next_cursor || null, error: null, busy: false, query })),
      (error) => asked === latest.current && setPage((p) => ({ ...p, items: p.items || [], error, busy: false })),
    );
  }
  useEffect(() => { if (online) load(); }, [query, online]);
  return { page, more: () => load(page.cursor), online };
}

export function FindingsTable({ user, filters }) {
  const { page, more, online } = useRows(filters);
  const query = filterQuery(filters);
  const count = useFetched(online ? `stats?group_by=level${query ? `&${query}` : ''}` : null); // its total: the count
  const total = count.data?.total?.found;
  const shown = page.items?.length ?? 0;

  // data-rows-for: the filters (as in the URL) of the rows on screen, once they are all there
  const settled = !page.busy && page.items !== null && !count.loading;
  return html`<section class="findings-desk" aria-labelledby="table-title" data-testid="findings-table"
    data-rows-for=${settled ? page.query : undefined}>
    <div class="desk-head">
      <h1 id="table-title" class="h1">${t('tbl_title')}</h1>
      <span class="meta" role="status" data-testid="table-count" data-count=${total ?? ''}>
        ${total === undefined ? (count.error && !count.error.offline ? headline(count.error) : t('tbl_counting')) : t('tbl_count', { n: total })}</span>
      <${ExportButton} filters=${filters} online=${online} />
    </div>
    <${Filters} filters=${filters} user=${user} />
    ${!online && html`<p class="banner offline" role="status">${t('tbl_offline')}</p>`}
    ${page.error && html`<p class="banner refused" role="alert" data-testid="table-error">${t('tbl_failed', { why: headline(page.error) })}</p>`}
    ${online && page.items === null && html`<p role="status">${t('loading')}</p>`}
    ${page.items && page.items.length === 0 && !page.error && html`<p class="empty" data-testid="table-empty">${t('tbl_empty')}</p>`}
    ${page.items && page.items.length > 0 && html`<div class="table-scroll">
      <table class="grid-table findings-grid" data-testid="findings-grid" aria-describedby="table-title">
        <thead><tr>
          <th scope="col">${t('col_number')}</th>
          <th scope="col">${t('col_title')}<span class="meta block">${t('col_category')}</span></th>
          <th scope="col">${t('col_where')}</th>
          <th scope="col">${t('col_status')}</th>
          <${SortHeader} column="observed" label=${t('col_observed')} filters=${filters} />
          <${SortHeader} column="received" label=${t('col_received')} filters=${filters} />
          <${SortHeader} column="deadline" label=${t('col_deadline')} filters=${filters} />
        </tr></thead>
        <tbody>${page.items.map((f) => html`<${Row} key=${f.id} f=${f} />`)}</tbody>
      </table>
    </div>`}
    <div class="table-foot">
      ${page.items && total !== undefined && html`<span class="meta" data-testid="table-shown">${t('tbl_shown', { shown, n: total })}</span>`}
      ${page.cursor && html`<button type="button" class="btn" data-testid="table-more" disabled=${page.busy} onClick=${more}>${t('tbl_more')}</button>`}
    </div>
  </section>`;
}
