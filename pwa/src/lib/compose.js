// Turns what the user entered into outbox items, in the order the server needs them.
import { todayLocal } from './dates.js';

const uuid = () => crypto.randomUUID();
export const newId = uuid;

const photoItems = (findingId, photos, kind) =>
  photos.map((p) => ({ type: 'photo', id: p.id, findingId, kind, blob: p.blob, width: p.width, height: p.height }));

/** A new finding: the create (declaring its photos) first, then its evidence, then fix-on-the-spot photos. */
export function findingItems(form, now = new Date()) {
  const id = form.id || uuid();
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
    rectify_mode: form.fixOnSpot ? 'immediate' : 'deadline',
    deadline: form.fixOnSpot ? todayLocal(now) : form.deadline || null,
    major_basis: form.level === 'major' ? { criterion: form.criterion, clause: form.clause.trim() } : null,
    photo_ids: form.photos.map((p) => p.id),
  };
  if (form.fixOnSpot) {
    body.rectification = {
      measures: form.measures.trim(),
      completed_on: form.completedOn || todayLocal(now),
      photo_ids: form.afterPhotos.map((p) => p.id),
    };
  }
  return [
    { type: 'create', id, findingId: id, body },
    ...photoItems(id, form.photos, 'evidence'),
    ...photoItems(id, form.fixOnSpot ? form.afterPhotos : [], 'rectification'),
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
  return [...photoItems(finding.id, photos, 'rectification'), event];
}
