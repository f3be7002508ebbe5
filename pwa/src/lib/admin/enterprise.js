// The enterprise form: its fields in the order shown, the checks the browser can make before sending (the server
// makes them again, and more), and the body it sends — a whole record to create, only what changed to edit.

export const SCALES = ['large', 'medium', 'small', 'micro'];

/** name → the form field; `label` is an i18n key. The server's body keys are the same names. */
export const ENTERPRISE_FIELDS = [
  { name: 'name', label: 'adm_ent_name', required: true, max: 200 },
  { name: 'credit_code', label: 'adm_ent_credit_code', required: true, max: 30 },
  { name: 'area', label: 'adm_ent_area', required: true },
  { name: 'sector', label: 'adm_ent_sector', required: true },
  { name: 'scale', label: 'adm_ent_scale' },
  { name: 'address', label: 'adm_ent_address', max: 300 },
  { name: 'lng', label: 'adm_ent_lng' },
  { name: 'lat', label: 'adm_ent_lat' },
  { name: 'contact_name', label: 'adm_ent_contact_name', max: 50 },
  { name: 'contact_phone', label: 'adm_ent_contact_phone', max: 30 },
];

// GB 32100-2015: 18 characters of a 31-symbol alphabet (no I, O, S, V, Z); the 18th checks the first 17.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCheckCharacter(first17) {
  const total = [...first17].reduce((sum, ch, i) => sum + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  return ALPHABET[(31 - (total % 31)) % 31];
}

export const normaliseCreditCode = (value) => String(value ?? '').replace(/\s+/g, '').toUpperCase();

/** Why a credit code is not one, as an i18n key (null when it is). */
export function creditCodeProblem(value) {
  const code = normaliseCreditCode(value);
  if (code.length !== 18) return 'adm_credit_length';
  if ([...code].some((ch) => !ALPHABET.includes(ch))) return 'adm_credit_alphabet';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'adm_credit_division';
  if (code[17] !== creditCheckCharacter(code.slice(0, 17))) return 'adm_credit_check';
  return null;
}

// China's extent with a margin (WGS-84), as the server judges it (app/domain/enterprises.py).
export const LAT_RANGE = [3.8, 53.6];
export const LNG_RANGE = [73.5, 135.1];
const ENTERPRISE_LEVELS = new Set(['street', 'community', 'grid']);

const text = (value) => String(value ?? '').trim();

function number(value) {
  const raw = text(value);
  if (!raw) return { empty: true };
  const n = Number(raw);
  return Number.isFinite(n) ? { value: n } : { bad: true };
}

/**
 * What the browser can tell is wrong before sending: {field: [i18n key, vars]}. `areas` (code → area) lets it
 * check that the area exists and is a street or below; without it, the server says so.
 */
export function enterpriseProblems(values, { areas } = {}) {
  const problems = {};
  for (const field of ENTERPRISE_FIELDS) {
    if (field.required && !text(values[field.name])) problems[field.name] = ['adm_required'];
    else if (field.max && text(values[field.name]).length > field.max) problems[field.name] = ['adm_max', { n: field.max }];
  }
  if (!problems.credit_code) {
    const why = creditCodeProblem(values.credit_code);
    if (why) problems.credit_code = [why];
  }
  if (!problems.area && areas) {
    const area = areas.get(text(values.area));
    if (!area) problems.area = ['adm_area_unknown'];
    else if (!ENTERPRISE_LEVELS.has(area.level)) problems.area = ['adm_area_too_coarse'];
    else if (area.active === false) problems.area = ['adm_area_inactive'];
  }
  const lat = number(values.lat);
  const lng = number(values.lng);
  if (lat.bad) problems.lat = ['adm_not_number'];
  if (lng.bad) problems.lng = ['adm_not_number'];
  if (!lat.bad && !lng.bad) {
    if (lat.empty !== lng.empty) problems[lat.empty ? 'lat' : 'lng'] = ['adm_both_coordinates'];
    if (!lat.empty && (lat.value < LAT_RANGE[0] || lat.value > LAT_RANGE[1])) problems.lat = ['adm_lat_china', { min: LAT_RANGE[0], max: LAT_RANGE[1] }];
    if (!lng.empty && (lng.value < LNG_RANGE[0] || lng.value > LNG_RANGE[1])) problems.lng = ['adm_lng_china', { min: LNG_RANGE[0], max: LNG_RANGE[1] }];
  }
  return problems;
}

/** A record (as GET /enterprises answers) → the form's values, all strings. */
export function enterpriseValues(enterprise = {}) {
  return {
    name: enterprise.name || '',
    credit_code: enterprise.credit_code || '',
    area: enterprise.area?.code || '',
    sector: enterprise.sector || '',
    scale: enterprise.scale || '',
    address: enterprise.address || '',
    lng: enterprise.lng == null ? '' : String(enterprise.lng),
    lat: enterprise.lat == null ? '' : String(enterprise.lat),
    contact_name: enterprise.contact_name || '',
    contact_phone: enterprise.contact_phone || '',
  };
}

function bodyOf(values) {
  const lat = number(values.lat);
  const lng = number(values.lng);
  return {
    name: text(values.name),
    credit_code: normaliseCreditCode(values.credit_code),
    area: text(values.area),
    sector: text(values.sector),
    scale: text(values.scale) || null,
    address: text(values.address),
    lat: lat.empty ? null : lat.value,
    lng: lng.empty ? null : lng.value,
    contact_name: text(values.contact_name),
    contact_phone: text(values.contact_phone),
  };
}

/** The body to send: everything to create; to edit (`original` given), only the fields that changed. */
export function enterprisePayload(values, original = null) {
  const body = bodyOf(values);
  if (!original) {
    if (body.scale === null) delete body.scale;
    if (body.lat === null && body.lng === null) {
      delete body.lat;
      delete body.lng;
    }
    return body;
  }
  const before = bodyOf(enterpriseValues(original));
  const changed = Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== before[key]));
  if ('lat' in changed || 'lng' in changed) Object.assign(changed, { lat: body.lat, lng: body.lng }); // judged as a pair
  return changed;
}
