// One administrative change → what the audit list shows: who, when, what (entity and key), the action, and each
// field as before → after.
import { t, hasMessage } from '../../i18n/index.js';

export const ENTITIES = ['user', 'area', 'enterprise', 'category', 'criterion', 'token', 'holidays'];

const label = (prefix, value) => (hasMessage(`${prefix}${value}`) ? t(`${prefix}${value}`) : value);

/** A value as one line: none is —, yes/no in words, lists and objects as compact JSON. */
export function showValue(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (value === true) return t('adm_yes');
  if (value === false) return t('adm_no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// Values that are codes with a name of their own.
const NAMED = { role: 'role_', level: 'adm_level_', scale: 'adm_scale_' };

/** A field's value as one line, codes by their names (role inspector → 检查员). */
export function showField(field, value) {
  if (NAMED[field] && typeof value === 'string' && hasMessage(`${NAMED[field]}${value}`)) return t(`${NAMED[field]}${value}`);
  return showValue(value);
}

/** → [{field, label, before, after}] for every field either side names, in the order first seen; before (after)
 * is null when the thing was created (removed). */
export function changeLines(change) {
  const before = change.before || {};
  const after = change.after || {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.map((field) => ({
    field,
    label: label('adm_field_', field),
    before: change.before ? showField(field, before[field]) : null,
    after: change.after ? showField(field, after[field]) : null,
  }));
}

export function describeChange(change) {
  const who = change.actor ? change.actor.display_name || change.actor.username : t('adm_audit_operator');
  return {
    who,
    entity: label('adm_entity_', change.entity),
    action: label('adm_action_', change.action),
    key: change.key || '',
    lines: changeLines(change),
  };
}

export function auditQuery({ entity = '', actor = '', key = '' } = {}, cursor = null, limit = 50) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (entity) params.set('entity', entity);
  if (actor.trim()) params.set('actor', actor.trim());
  if (key.trim()) params.set('key', key.trim());
  if (cursor) params.set('cursor', cursor);
  return `admin/audit?${params}`;
}
