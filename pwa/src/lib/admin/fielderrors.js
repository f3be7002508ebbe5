// A 422's `fields` ({credit_code: "Not a valid …", lat: ["…"], "location.lat": …}) → what each form field shows
// next to it, in the user's language; fields the form does not show are listed above the form with their names,
// so nothing the server said is dropped.
import { t } from '../../i18n/index.js';
import { localize, messagesOf } from './messages.js';

/** Flattens nested field errors: {a: {b: ['x']}} → {'a.b': ['x']} (marshmallow's nested and list errors). */
export function flatten(fields, prefix = '') {
  const out = {};
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return out;
  for (const [key, value] of Object.entries(fields)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flatten(value, name));
    else out[name] = messagesOf(value);
  }
  return out;
}

/**
 * → { byField: {formField: [texts]}, other: [{name, label, texts}] }.
 * `form` lists the form's fields: [{name, serverNames?: [...], label?}] (serverNames: the body keys shown by this
 * field, e.g. the enterprise picker shows enterprise_id). A body key matches a field by its first part
 * ("location.lat" → location) when nothing matches it whole.
 */
export function fieldErrors(fields, form = []) {
  const owner = {};
  for (const field of form) for (const key of [field.name, ...(field.serverNames || [])]) owner[key] = field.name;
  const byField = {};
  const other = [];
  for (const [key, raw] of Object.entries(flatten(fields))) {
    const texts = raw.map((message) => localize(message).text).filter(Boolean);
    const target = owner[key] ?? owner[key.split('.')[0]];
    if (target) byField[target] = [...(byField[target] || []), ...texts];
    else other.push({ name: key, label: labelOf(key, form), texts });
  }
  return { byField, other };
}

function labelOf(key, form) {
  const field = form.find((f) => f.name === key);
  return field?.label ? t(field.label) : key;
}

/** Client-side problems ({field: [i18n key, vars]}) → the same shape as fieldErrors' byField. */
export function clientErrors(problems) {
  const byField = {};
  for (const [name, [key, vars]] of Object.entries(problems)) byField[name] = [t(key, vars)];
  return { byField, other: [] };
}

export const hasErrors = (errors) => Boolean(errors) && (Object.keys(errors.byField || {}).length > 0 || (errors.other || []).length > 0);
