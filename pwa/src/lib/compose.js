// Turns what the user entered into outbox items, in the order the server needs them.
import { todayLocal } from './dates.js';
import { hasField, reportFields } from './forms.js';
import { findingCreate, findingEvent, photoUpload } from './requests.js';

const uuid = () => crypto.randomUUID();
export const newId = uuid;

export const photoItems = (findingId, photos, kind) =>
  photos.map((p) => ({ type: 'photo', id: p.id, findingId, kind, blob: p.blob, width: p.width, height: p.height,
    request: photoUpload(findingId, p.id, kind) }));

/** A new finding: the create (declaring its photos) first, then its evidence, then fix-on-the-spot photos.
 * Only what the role's form asks for goes into the body (lib/forms.js): a grid worker sends no terms. */
export function findingItems(form, now = new Date(), role = 'inspector') {
  const id = form.id || uuid();
  const asks = reportFields(role, form);
  const fix = hasField(asks, 'rectification');
  const body = {
    id,
    enterprise_id: form.enterpriseId ? Number(form.enterpriseId) : null,
    category: form.category,
    level: form.level,
    title: form.title.trim(),
    description: (form.description || '').trim(),
    location: form.location || null,
    address: (form.address || '').trim(),
    observed_at: now.toISOString(),
    photo_ids: form.photos.map((p) => p.id),
  };
  if (hasField(asks, 'nature') && form.nature) body.nature = form.nature;
  if (hasField(asks, 'deadline') || fix) {
    body.rectify_mode = fix ? 'immediate' : 'deadline';
    body.deadline = fix ? todayLocal(now) : form.deadline || null;
    body.major_basis = hasField(asks, 'major_basis') ? { criterion: form.criterion, clause: form.clause.trim() } : null;
  }
  if (fix) {
    body.rectification = {
      measures: form.measures.trim(),
      completed_on: form.completedOn || todayLocal(now),
      photo_ids: form.afterPhotos.map((p) => p.id),
    };
  }
  return [
    { type: 'create', id, findingId: id, body, request: findingCreate(body) },
    ...photoItems(id, form.photos, 'evidence'),
    ...photoItems(id, fix ? form.afterPhotos : [], 'rectification'),
  ];
}

/** A local stand-in shown in lists until the server's copy replaces it. */
export function localFinding(body, refs, user) {
  const category = refs.categories?.find((c) => c.code === body.category);
  const enterprise = refs.enterprises?.find((e) => e.id === body.enterprise_id);
  return {
    ...body,
    _local: true,
    status: 'queued',
    version: 0,
    category: category || { code: body.category, name_zh: body.category, name_en: body.category },
    enterprise: enterprise ? { id: enterprise.id, name: enterprise.name } : null,
    reported_by: { id: user.id, display_name: user.display_name, role: user.role },
    updated_at: body.observed_at,
    overdue: false,
    days_overdue: 0,
    allowed_actions: [],
    photos: [],
  };
}

/** An action: for submit_rectification the after-photos go first, then the event that names them. */
export function actionItems(finding, action, payload, photos = [], { chained = false, now = new Date() } = {}) {
  const event = {
    type: 'event',
    id: uuid(),
    findingId: finding.id,
    action,
    version: finding.version,
    chained,
    clientAt: now.toISOString(),
    payload: photos.length ? { ...payload, photo_ids: photos.map((p) => p.id) } : payload,
  };
  event.request = findingEvent({ ...event, seen: event.version });
  return [...photoItems(finding.id, photos, 'rectification'), event];
}

const trim = (value) => String(value ?? '').trim();
const optional = (key, value) => (trim(value) ? { [key]: trim(value) } : {});

/** The payload of each action from its form's values (strings, as FormData gives them). */
const PAYLOAD = {
  // the confirmer's level is always an explicit decision; the rest only when it corrects the report
  confirm: (v, f) => ({
    deadline: v.deadline,
    level: v.level,
    ...(v.category && v.category !== f.category?.code && { category: v.category }),
    ...(v.nature && v.nature !== f.nature && { nature: v.nature }),
    ...(v.enterprise_id && Number(v.enterprise_id) !== f.enterprise?.id && { enterprise_id: Number(v.enterprise_id) }),
    ...(v.level === 'major' && v.criterion && { major_basis: { criterion: v.criterion, clause: trim(v.clause) } }),
  }),
  acknowledge: () => ({}),
  submit_plan: (v) => ({
    plan: Object.fromEntries(PLAN_ELEMENTS.map((name) => [name, trim(v[`plan_${name}`])])),
  }),
  request_extension: (v) => ({ new_deadline: v.new_deadline, reason: trim(v.reason) }),
  decide_extension: (v) => {
    const approved = v.approved !== 'no';
    return { approved, ...(approved && optional('granted_deadline', v.granted_deadline)), ...optional('comment', v.comment) };
  },
  submit_rectification: (v) => ({ measures: trim(v.measures), completed_on: v.completed_on }),
  // a listed hazard's approval also carries where the phone was (the event's location) or the reason why not
  approve: (v) => ({
    on_site: v.on_site === 'on',
    ...optional('off_site_reason', v.off_site_reason),
    ...(v.location && { location: v.location }),
    ...optional('comment', v.comment),
  }),
  reject: (v) => ({ comment: trim(v.comment), ...optional('new_deadline', v.new_deadline) }),
  void: (v) => ({ reason: trim(v.reason) }),
  reopen: (v) => ({ reason: trim(v.reason), new_deadline: v.new_deadline }),
  comment: (v) => ({ text: trim(v.text) }),
  list_supervision: (v) => ({
    level: v.supervision_level,
    authority: trim(v.authority),
    document_no: trim(v.document_no),
    leader: trim(v.leader),
    public: v.public === 'on',
    ...optional('lead_department', v.lead_department),
  }),
};

export const PLAN_ELEMENTS = ['objective', 'measures', 'funds', 'responsible', 'time_limit', 'contingency'];

export function actionPayload(action, values, finding = {}) {
  return PAYLOAD[action](values, finding);
}
