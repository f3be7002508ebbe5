// The user form and list: which fields each role's account has (an officer belongs to an enterprise, an admin to
// no area), the filters of the list as a query, and the body sent — whole to create, only what changed to edit.
import { passwordProblem } from '../password.js';

export const ROLES = ['inspector', 'grid_worker', 'enterprise_officer', 'supervisor', 'admin'];

const ALL = [
  { name: 'username', label: 'adm_user_username', create: true, required: true },
  { name: 'display_name', label: 'adm_user_display_name' },
  { name: 'role', label: 'adm_user_role', required: true },
  // an officer's home area defaults to the enterprise's
  { name: 'area', label: 'adm_user_area', required: (role) => role !== 'admin' && role !== 'enterprise_officer', when: (role) => role !== 'admin' },
  { name: 'enterprise', label: 'adm_user_enterprise', serverNames: ['enterprise_id'], required: true, when: (role) => role === 'enterprise_officer' },
  { name: 'password', label: 'adm_user_password', create: true, required: true },
  { name: 'must_change_password', label: 'adm_user_must_change', create: true },
];

/** The form's fields for an account of `role`, creating one or editing one. */
export function userFields(role, { creating = false } = {}) {
  return ALL.filter((f) => (creating || !f.create) && (!f.when || f.when(role))).map((f) => ({
    name: f.name,
    label: f.label,
    serverNames: f.serverNames,
    required: typeof f.required === 'function' ? f.required(role) : Boolean(f.required),
  }));
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,49}$/;
const text = (v) => String(v ?? '').trim();

/** What the browser can tell is wrong: {field: [i18n key, vars]}. */
export function userProblems(values, { creating = false } = {}) {
  const problems = {};
  for (const field of userFields(values.role, { creating })) {
    const empty = field.name === 'enterprise' ? !values.enterprise_id : !text(values[field.name]);
    if (field.required && empty && field.name !== 'must_change_password') problems[field.name] = ['adm_required'];
  }
  if (creating && !problems.username && !USERNAME.test(text(values.username))) problems.username = ['adm_username_shape'];
  if (creating && !problems.password) {
    const why = passwordProblem(values.password, values.username);
    if (why) problems.password = why;
  }
  return problems;
}

export function userValues(user = {}) {
  return {
    username: user.username || '',
    display_name: user.display_name || '',
    role: user.role || 'inspector',
    area: user.area?.code || '',
    enterprise_id: user.enterprise?.id ?? null,
    enterprise_name: user.enterprise?.name || '',
    enterprise_credit_code: user.enterprise?.credit_code || '',
    password: '',
    must_change_password: true,
  };
}

/** The body: everything to create; to edit, only the fields that changed (role, area, enterprise, name). */
export function userPayload(values, original = null) {
  const role = values.role;
  const body = {
    display_name: text(values.display_name),
    role,
    area: role === 'admin' ? null : text(values.area) || null,
    enterprise_id: role === 'enterprise_officer' ? values.enterprise_id ?? null : null,
  };
  if (!original) {
    const created = { username: text(values.username), password: String(values.password ?? ''), role, must_change_password: values.must_change_password !== false };
    if (body.display_name) created.display_name = body.display_name;
    if (body.area) created.area = body.area;
    if (body.enterprise_id != null) created.enterprise_id = body.enterprise_id;
    return created;
  }
  const before = {
    display_name: original.display_name || '',
    role: original.role,
    area: original.area?.code ?? null,
    enterprise_id: original.enterprise?.id ?? null,
  };
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== before[key]));
}

/** The list's filters → the query of GET /users (empty ones left out). */
export function userQuery({ role = '', area = '', active = '', q = '' } = {}, cursor = null, limit = 50) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (role) params.set('role', role);
  if (text(area)) params.set('area', text(area));
  if (active === 'true' || active === 'false') params.set('active', active);
  if (text(q)) params.set('q', text(q));
  if (cursor) params.set('cursor', cursor);
  return `users?${params}`;
}
