// The request each outbox item sends (issue 14), made when the item is queued by one small builder per kind, so
// the sync loop sends any item without knowing what it is. A descriptor is plain data, stored with the item:
//   method, path        the request, under /api/v1
//   body                { kind: 'json', value } | { kind: 'blob', from, type }: a blob is the item's own field
//                       `from` (a photo's Blob, stored once, which the views also show), sent as `type`
//   echo                { field, equals }: the answer counts as sent only when its JSON has answer[field] ===
//                       equals (a captive portal's 200 page is not a success)
//   version             'finding': the JSON gets `version` from the finding the item acts on (item.findingId) at
//                       send time, unless it has one (sync.js); null: no version
//   answer              what the answer is, for the device's own records: 'finding' (the finding as it stands
//                       now: the read cache takes it), 'inspection' (the inspection recorded); null
//   refresh             a finding's id whose copy is re-read once no pending item names it any more (photos: the
//                       finding's photo list and URLs changed); null

const json = (value) => ({ kind: 'json', value });
const echoId = (equals) => ({ field: 'id', equals });
const enc = encodeURIComponent;

/** POST /findings: a report; the answer is the finding. */
export const findingCreate = (body) => ({
  method: 'POST', path: '/findings', body: json(body), echo: echoId(body.id), version: null, answer: 'finding', refresh: null,
});

/** PUT /findings/{id}/photos/{photo_id}: the item's blob; the answer is the photo. */
export const photoUpload = (findingId, photoId, kind = 'evidence') => ({
  method: 'PUT',
  path: `/findings/${enc(findingId)}/photos/${enc(photoId)}?kind=${enc(kind)}`,
  body: { kind: 'blob', from: 'blob', type: 'image/jpeg' },
  echo: echoId(photoId),
  version: null,
  answer: null,
  refresh: findingId,
});

/** POST /findings/{id}/events: an action; it answers with the finding it changed, so the echo is the finding's
 * id. A comment on a finding whose version the device never saw goes without one (the server takes it as is). */
export const findingEvent = ({ findingId, id, action, clientAt, payload = {}, seen }) => ({
  method: 'POST',
  path: `/findings/${enc(findingId)}/events`,
  body: json({ id, action, client_at: clientAt, ...payload }),
  echo: echoId(findingId),
  version: action === 'comment' && seen == null ? null : 'finding',
  answer: 'finding',
  refresh: null,
});

/** POST /inspections: the inspection with its results (its failed items' findings made on the server). */
export const inspectionCreate = (body) => ({
  method: 'POST', path: '/inspections', body: json(body), echo: echoId(body.id), version: null, answer: 'inspection', refresh: null,
});

/** An item as stored before descriptors (type create/photo/event and its fields), with its descriptor: items
 * queued by an older version of the app are sent as they always were, never dropped. An item that has one is
 * returned as it is; an unknown one too (the sync loop sets it aside, it does not guess). */
export function withRequest(item) {
  if (!item || item.request) return item;
  if (item.type === 'create') return { ...item, request: findingCreate(item.body) };
  if (item.type === 'photo') return { ...item, request: photoUpload(item.findingId, item.id, item.kind || 'evidence') };
  if (item.type === 'event') {
    const { findingId, id, action, clientAt, payload, version: seen } = item;
    return { ...item, request: findingEvent({ findingId, id, action, clientAt, payload, seen }) };
  }
  return item;
}
