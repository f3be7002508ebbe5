// The table's filters: the list's own (status, level, category, enterprise, area, overdue, text, observed from/to).
// Each change writes the hash (lib/desk-filters.js), so the table follows the URL: a reload or the back button
// brings the same filters back. The text is taken when it is committed (Enter or leaving the box), not per key.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t, getLang } from '../../i18n/index.js';
import { kv } from '../../lib/services.js';
import { FILTER_KEYS, LEVELS, STATUSES, deskHash, hasFilters } from '../../lib/desk-filters.js';
import { useWide } from '../../lib/desk-nav.js';
import { useFetched } from './fetched.js';

const categoryName = (c) => (getLang() === 'en' ? c.name_en : c.name_zh) || c.code;

/** The reference lists the selects offer: categories and enterprises from the device, areas from the server. */
function useChoices(user) {
  const [ref, setRef] = useState({ categories: [], enterprises: [] });
  useEffect(() => {
    Promise.all([kv.get('ref:categories'), kv.get('ref:enterprises')]).then(([categories, enterprises]) =>
      setRef({ categories: categories || [], enterprises: [...(enterprises || [])].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) }));
  }, []);
  const areas = useFetched(user.area ? `areas?under=${encodeURIComponent(user.area.code)}` : 'areas');
  const depth = (a) => (a.level === 'city' ? 0 : a.level === 'district' ? 1 : a.level === 'street' ? 2 : 3);
  const top = areas.data?.items?.[0] ? depth(areas.data.items[0]) : 0;
  const areaOptions = (areas.data?.items || []).filter((a) => a.level !== 'grid')
    .map((a) => ({ code: a.code, label: `${'\u3000'.repeat(Math.max(0, depth(a) - top))}${a.name}` }));
  return { ...ref, areas: areaOptions };
}

function Select({ id, label, value, onChange, any, options }) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} data-testid=${id} value=${value ?? ''} onChange=${(e) => onChange(e.currentTarget.value || undefined)}>
      <option value="">${any}</option>
      ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
    </select>
  </div>`;
}

/** Options for a select, with the current value kept even when the lists do not know it (so it shows, not blank). */
const withCurrent = (options, value, label) => (value && !options.some((o) => o.value === String(value)) ? [...options, { value: String(value), label }] : options);

export function Filters({ filters, user }) {
  const wide = useWide();
  const choices = useChoices(user);
  const [q, setQ] = useState(filters.q || '');
  useEffect(() => setQ(filters.q || ''), [filters.q]);
  const apply = (patch) => {
    const next = { ...filters, ...patch };
    for (const key of Object.keys(patch)) if (next[key] === undefined || next[key] === '') delete next[key];
    location.hash = deskHash('table', next);
  };
  const set = (name) => (value) => apply({ [name]: value });
  const status = filters.status || [];
  const toggle = (s) => apply({ status: status.includes(s) ? status.filter((x) => x !== s) : STATUSES.filter((x) => x === s || status.includes(x)) });
  const overdue = filters.overdue === true ? 'true' : filters.overdue === false ? 'false' : '';

  const form = html`<form class="desk-filters" aria-label=${t('flt_label')} data-testid="table-filters"
      onSubmit=${(e) => { e.preventDefault(); apply({ q: q.trim() || undefined }); }}>
    <fieldset class="field statuses">
      <legend>${t('flt_status')}</legend>
      ${STATUSES.map((s) => html`<label class="check" key=${s}>
        <input type="checkbox" data-testid=${`filter-status-${s}`} checked=${status.includes(s)} onChange=${() => toggle(s)} />${t(`status_${s}`)}
      </label>`)}
    </fieldset>
    <${Select} id="filter-level" label=${t('flt_level')} value=${filters.level} onChange=${set('level')} any=${t('flt_level_any')}
      options=${LEVELS.map((l) => ({ value: l, label: t(`level_${l}`) }))} />
    <${Select} id="filter-category" label=${t('flt_category')} value=${filters.category} onChange=${set('category')} any=${t('flt_category_any')}
      options=${withCurrent(choices.categories.map((c) => ({ value: c.code, label: categoryName(c) })), filters.category, filters.category)} />
    <${Select} id="filter-enterprise" label=${t('flt_enterprise')} value=${filters.enterprise_id} onChange=${set('enterprise_id')} any=${t('flt_enterprise_any')}
      options=${withCurrent(choices.enterprises.map((e) => ({ value: String(e.id), label: e.name })), filters.enterprise_id, t('flt_enterprise_id', { id: filters.enterprise_id }))} />
    <${Select} id="filter-area" label=${t('flt_area')} value=${filters.area} onChange=${set('area')} any=${t('flt_area_any')}
      options=${withCurrent(choices.areas.map((a) => ({ value: a.code, label: a.label })), filters.area, filters.area)} />
    <${Select} id="filter-overdue" label=${t('flt_overdue')} value=${overdue} any=${t('flt_overdue_any')}
      onChange=${(v) => apply({ overdue: v === 'true' ? true : v === 'false' ? false : undefined })}
      options=${[{ value: 'true', label: t('flt_overdue_yes') }, { value: 'false', label: t('flt_overdue_no') }]} />
    <div class="field">
      <label for="filter-from">${t('flt_from')}</label>
      <input id="filter-from" type="date" data-testid="filter-from" value=${filters.from || ''} max=${filters.to || undefined}
        onChange=${(e) => apply({ from: e.currentTarget.value || undefined })} />
    </div>
    <div class="field">
      <label for="filter-to">${t('flt_to')}</label>
      <input id="filter-to" type="date" data-testid="filter-to" value=${filters.to || ''} min=${filters.from || undefined}
        onChange=${(e) => apply({ to: e.currentTarget.value || undefined })} />
    </div>
    <div class="field text">
      <label for="filter-q">${t('flt_q')}</label>
      <input id="filter-q" type="search" data-testid="filter-q" maxlength="200" placeholder=${t('flt_q_hint')} value=${q}
        onInput=${(e) => setQ(e.currentTarget.value)} onChange=${(e) => apply({ q: e.currentTarget.value.trim() || undefined })} />
    </div>
    <div class="filter-actions">
      <button type="submit" class="btn small primary" data-testid="filter-apply">${t('flt_apply')}</button>
      ${hasFilters(filters) && html`<a class="btn small ghost" href=${deskHash('table', { sort: filters.sort })} data-testid="filter-clear">${t('flt_clear')}</a>`}
    </div>
  </form>`;
  if (wide) return form;
  // on a phone the filters fold away above the rows, saying how many are set
  const chosen = FILTER_KEYS.filter((key) => filters[key] !== undefined).length;
  return html`<details class="filters-fold" data-testid="filters-fold">
    <summary>${chosen ? t('flt_count', { n: chosen }) : t('flt_label')}</summary>
    ${form}
  </details>`;
}
