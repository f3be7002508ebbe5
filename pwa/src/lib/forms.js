// Who decides what (issue 10, rule 5): the fields each role's new-finding form asks for, the fields of each
// action's form, and the lists each role works from. One table, read by the forms, the composer and the tests,
// so no form decides on its own what a role may set; the server enforces the same rules.

export const NATURES = ['unsafe_condition', 'unsafe_act', 'management_defect'];

const isMajor = (values) => values.level === 'major';

/** The new-finding form in the order it is shown: what was seen first, the optional details last.
 * A grid worker reports what they saw; the terms (deadline, mode, basis) are the enforcer's to set. */
const REPORT = {
  inspector: [
    { name: 'photos' },
    { name: 'title', required: true },
    { name: 'description' },
    { name: 'nature', required: true },
    { name: 'enterprise', required: true },
    { name: 'category', required: true },
    { name: 'level', required: true },
    { name: 'major_basis', required: true, when: isMajor },
    // a major finding needs a plan, so it is never fixed on the spot
    { name: 'fix_on_spot', when: (v) => !isMajor(v) },
    { name: 'rectification', required: true, when: (v) => !isMajor(v) && v.fixOnSpot },
    { name: 'deadline', required: true, when: (v) => isMajor(v) || !v.fixOnSpot },
    { name: 'location' },
    { name: 'address' },
  ],
  grid_worker: [
    { name: 'photos' },
    { name: 'title', required: true },
    { name: 'description' },
    { name: 'enterprise' },
    { name: 'category', required: true },
    { name: 'level', label: 'level_suggested' },
    { name: 'location' },
    { name: 'address' },
  ],
};

const resolve = (fields, values, finding) =>
  fields
    .filter((field) => !field.when || field.when(values, finding))
    .map(({ name, label, required }) => ({
      name,
      label: label || name,
      required: typeof required === 'function' ? required(values, finding) : Boolean(required),
    }));

export const canReport = (role) => Object.hasOwn(REPORT, role);

/** The new-finding fields for a role, given what the form holds now (level, fixOnSpot). */
export function reportFields(role, values = {}) {
  return canReport(role) ? resolve(REPORT[role], values) : [];
}

export const hasField = (fields, name) => fields.some((field) => field.name === name);

/** Listed for supervision (挂牌督办) now. */
export const isListed = (finding) => Boolean(finding?.supervision_level);

export const SUPERVISION_LEVELS = ['province', 'city', 'county'];

const pendingRequest = (finding) => (finding.extension_requests || []).find((r) => r.status === 'pending');

/** Each action's form. `when` and `required` may depend on the values entered and on the finding. */
const ACTION = {
  confirm: [
    { name: 'deadline', required: true },
    { name: 'level', required: true },
    { name: 'category', required: true },
    { name: 'nature' },
    { name: 'enterprise', required: true },
    { name: 'major_basis', required: (v, f) => !f.major_basis, when: isMajor },
  ],
  acknowledge: [],
  submit_plan: ['objective', 'measures', 'funds', 'responsible', 'time_limit', 'contingency'].map((name) => ({
    name: `plan_${name}`,
    required: true,
  })),
  request_extension: [
    { name: 'new_deadline', required: true },
    { name: 'reason', required: true },
  ],
  decide_extension: [
    { name: 'extension_request', when: (v, f) => Boolean(pendingRequest(f)) },
    { name: 'approved', required: true },
    { name: 'granted_deadline', required: true, when: (v) => v.approved !== 'no' },
    { name: 'comment' },
  ],
  submit_rectification: [
    { name: 'measures', label: 'rect_measures', required: true },
    { name: 'completed_on', required: true },
    { name: 'after_photos', required: true },
  ],
  // a listed hazard (挂牌督办) is approved on site at the enterprise, where the phone is, or with the reason why not
  approve: [
    { name: 'on_site', required: (v, f) => f.level === 'major' && !(isListed(f) && v.offSite) },
    { name: 'site_location', when: (v, f) => isListed(f) },
    { name: 'off_site_reason', required: (v) => Boolean(v.offSite), when: (v, f) => isListed(f) },
    { name: 'comment' },
  ],
  // the deadline stays unless the supervisor sets a new one (issue 10, rule 2); a listed hazard's term (督办期限)
  // moves only by an approved extension
  reject: [
    { name: 'comment', required: true },
    { name: 'new_deadline', label: 'new_deadline_optional', when: (v, f) => !isListed(f) },
  ],
  void: [{ name: 'reason', required: true }],
  reopen: [
    { name: 'reason', required: true },
    { name: 'new_deadline', required: true },
  ],
  comment: [{ name: 'text', required: true }],
  // 挂牌督办: offered by the server to a supervisor for a major hazard being rectified and not listed yet
  list_supervision: [
    { name: 'supervision_level', required: true },
    { name: 'authority', required: true },
    { name: 'document_no', required: true },
    { name: 'leader', required: true },
    { name: 'lead_department' },
    { name: 'public' },
  ],
};

export const ACTIONS = Object.keys(ACTION);

export function actionFields(action, finding = {}, values = {}) {
  return resolve(ACTION[action] || [], values, finding);
}

export { pendingRequest };

/** The lists (tabs) each role works from, first one shown first. Triage is for those who confirm. */
export const TABS = {
  inspector: ['mine', 'triage', 'all'],
  grid_worker: ['mine', 'all'],
  enterprise_officer: ['urgent'],
  supervisor: ['todo', 'triage', 'review', 'extension', 'overdue', 'all'],
  admin: ['all'],
};

export const tabsFor = (role) => TABS[role] || ['all'];
