// The map's one-line account of the desk's filters (the table's, lib/desk-filters.js), with the names of the
// category, area and enterprise a filter picks when they are known, the codes otherwise.
import { t } from '../i18n/index.js';

/** The filters as short phrases: ['状态：整改中、待验收', '仅逾期', …]; [] when nothing is filtered. */
export function filterPhrases(filters = {}, names = {}) {
  const sep = t('map_list_sep');
  const phrases = [];
  if (filters.status?.length) phrases.push(t('map_f_status', { v: filters.status.map((s) => t(`status_${s}`)).join(sep) }));
  if (filters.level) phrases.push(t('map_f_level', { v: t(`level_${filters.level}`) }));
  if (filters.category) phrases.push(t('map_f_category', { v: names.category || filters.category }));
  if (filters.area) phrases.push(t('map_f_area', { v: names.area || filters.area }));
  if (filters.enterprise_id) phrases.push(t('map_f_enterprise', { v: names.enterprise || `#${filters.enterprise_id}` }));
  if (filters.overdue === true) phrases.push(t('map_f_overdue_true'));
  if (filters.overdue === false) phrases.push(t('map_f_overdue_false'));
  if (filters.reported_by === 'me') phrases.push(t('map_f_mine'));
  if (filters.q) phrases.push(t('map_f_q', { v: filters.q }));
  if (filters.from && filters.to) phrases.push(t('map_f_from_to', { from: filters.from, to: filters.to }));
  else if (filters.from) phrases.push(t('map_f_from', { from: filters.from }));
  else if (filters.to) phrases.push(t('map_f_to', { to: filters.to }));
  return phrases;
}

/** The API reads that name what the filters pick by code: { category?, area?, enterprise? } → a path each. */
export function namePaths(filters = {}) {
  const paths = {};
  if (filters.category) paths.category = 'categories?include_inactive=true';
  if (filters.area) paths.area = `areas?under=${encodeURIComponent(filters.area)}`;
  if (filters.enterprise_id) {
    const id = Number(filters.enterprise_id);
    paths.enterprise = `enterprises?limit=1&include_inactive=true${id > 1 ? `&after_id=${id - 1}` : ''}`;
  }
  return paths;
}

/** The name in one of those answers, or '' when it is not there. */
export function nameIn(kind, body, filters, lang = 'zh-CN') {
  const items = Array.isArray(body?.items) ? body.items : [];
  if (kind === 'category') {
    const found = items.find((c) => c.code === filters.category);
    return (found && (lang === 'en' ? found.name_en || found.name_zh : found.name_zh)) || '';
  }
  if (kind === 'area') return items.find((a) => a.code === filters.area)?.name || '';
  if (kind === 'enterprise') return items.find((e) => String(e.id) === String(filters.enterprise_id))?.name || '';
  return '';
}
