import { describe, it, expect } from 'vitest';
import { findingCreate, findingEvent, inspectionCreate, photoUpload, withRequest } from '../src/lib/requests.js';
import { actionItems, findingItems } from '../src/lib/compose.js';
import { requestFor, echoes } from '../src/lib/sync.js';

const blob = new Uint8Array([1, 2, 3]);

describe('request descriptors, one builder per kind', () => {
  it('a finding create: POST /findings with its body as JSON, echoing its id, the answer a finding', () => {
    expect(findingCreate({ id: 'f1', title: 't' })).toEqual({
      method: 'POST', path: '/findings', body: { kind: 'json', value: { id: 'f1', title: 't' } },
      echo: { field: 'id', equals: 'f1' }, version: null, answer: 'finding', refresh: null,
    });
  });

  it('a photo: PUT of the item\'s blob under its finding, echoing the photo, then the finding re-read', () => {
    expect(photoUpload('f1', 'p1', 'rectification')).toEqual({
      method: 'PUT', path: '/findings/f1/photos/p1?kind=rectification', body: { kind: 'blob', from: 'blob', type: 'image/jpeg' },
      echo: { field: 'id', equals: 'p1' }, version: null, answer: null, refresh: 'f1',
    });
  });

  it('an event: POST of the action, echoing the finding, its version filled at send time', () => {
    const r = findingEvent({ findingId: 'f1', id: 'e1', action: 'reject', clientAt: '2030-01-01T00:00:00Z', payload: { comment: 'c' }, seen: 3 });
    expect(r).toEqual({
      method: 'POST', path: '/findings/f1/events',
      body: { kind: 'json', value: { id: 'e1', action: 'reject', client_at: '2030-01-01T00:00:00Z', comment: 'c' } },
      echo: { field: 'id', equals: 'f1' }, version: 'finding', answer: 'finding', refresh: null,
    });
    // a comment on a finding the device never saw a version of goes without one, as before descriptors
    expect(findingEvent({ findingId: 'f1', id: 'e2', action: 'comment', payload: { text: 'x' }, seen: undefined }).version).toBeNull();
    expect(findingEvent({ findingId: 'f1', id: 'e3', action: 'comment', payload: { text: 'x' }, seen: 2 }).version).toBe('finding');
  });

  it('an inspection: POST /inspections, echoing its id, no version', () => {
    const body = { id: 'i1', results: [] };
    expect(inspectionCreate(body)).toMatchObject({ method: 'POST', path: '/inspections', body: { kind: 'json', value: body }, echo: { field: 'id', equals: 'i1' }, version: null, answer: 'inspection' });
  });

  it('the composer attaches the descriptors when it queues', () => {
    const items = findingItems({ category: 'fire', level: 'general', title: 'x', deadline: '2030-01-08', photos: [{ id: 'p1', blob }], afterPhotos: [] });
    expect(items.map((i) => `${i.request.method} ${i.request.path}`)).toEqual(['POST /findings', `PUT /findings/${items[0].id}/photos/p1?kind=evidence`]);
    const [event] = actionItems({ id: 'f', version: 4 }, 'acknowledge', {});
    expect(event.request).toMatchObject({ path: '/findings/f/events', version: 'finding', echo: { equals: 'f' } });
  });
});

describe('items queued before descriptors (the old shape)', () => {
  it('each old kind gets the request it always had', () => {
    const create = withRequest({ type: 'create', id: 'f', findingId: 'f', body: { id: 'f', title: 't' } });
    expect(create.request).toEqual(findingCreate({ id: 'f', title: 't' }));
    const photo = withRequest({ type: 'photo', id: 'p', findingId: 'f', blob });
    expect(photo.request).toEqual(photoUpload('f', 'p', 'evidence')); // before kinds, every photo was evidence
    expect(photo.blob).toBe(blob);
    const event = withRequest({ type: 'event', id: 'e', findingId: 'f', action: 'approve', version: 2, clientAt: 'now', payload: { on_site: true } });
    expect(event.request).toEqual(findingEvent({ findingId: 'f', id: 'e', action: 'approve', clientAt: 'now', payload: { on_site: true }, seen: 2 }));
    const comment = withRequest({ type: 'event', id: 'c', findingId: 'f', action: 'comment', payload: { text: 'x' } });
    expect(comment.request.version).toBeNull();
  });

  it('keeps every other field, leaves an item with a descriptor as it is and an unknown one without', () => {
    const old = { seq: 7, type: 'event', id: 'e', findingId: 'f', action: 'acknowledge', version: 1, chained: true, attempts: 3, state: 'pending', payload: {} };
    expect(withRequest(old)).toMatchObject({ seq: 7, chained: true, attempts: 3, state: 'pending' });
    const made = { type: 'photo', request: photoUpload('f', 'p') };
    expect(withRequest(made)).toBe(made);
    expect(withRequest({ type: 'mystery', id: 'm' }).request).toBeUndefined();
  });
});

describe('requestFor and echoes', () => {
  it('puts the version into the JSON unless the JSON has one', () => {
    const item = { request: findingEvent({ findingId: 'f', id: 'e', action: 'approve', payload: {} }) };
    expect(requestFor(item, 5)).toMatchObject({ method: 'POST', url: '/api/v1/findings/f/events', json: { id: 'e', version: 5 } });
    const fixed = { request: findingEvent({ findingId: 'f', id: 'e', action: 'approve', payload: { version: 9 } }) };
    expect(requestFor(fixed, 5).json.version).toBe(9);
    expect(requestFor(item, undefined).json).not.toHaveProperty('version');
  });

  it('sends a blob descriptor\'s bytes from the item\'s own field', () => {
    expect(requestFor({ blob, request: photoUpload('f', 'p') })).toMatchObject({ method: 'PUT', blob, type: 'image/jpeg' });
  });

  it('an echo is the named field equal to the value; nothing else', () => {
    expect(echoes({ id: 'a' }, { field: 'id', equals: 'a' })).toBe(true);
    expect(echoes({ id: 'b' }, { field: 'id', equals: 'a' })).toBe(false);
    expect(echoes({ number: 12 }, { field: 'number', equals: '12' })).toBe(true);
    expect(echoes({}, { field: 'id', equals: 'a' })).toBe(false);
    expect(echoes(undefined, { field: 'id', equals: 'a' })).toBe(false);
    expect(echoes({ id: 'a' }, 'a')).toBe(true);
  });
});
