import { describe, it, expect } from 'vitest';
import { actionItems, findingItems } from '../src/lib/compose.js';
import { byUrgency } from '../src/lib/findings.js';
import { addDays, todayLocal } from '../src/lib/dates.js';

const photo = (id) => ({ id, blob: new Uint8Array([1]), width: 1200, height: 1600 });
const base = { category: 'fire', level: 'general', title: ' 通道堵塞 ', enterpriseId: '4', deadline: '2030-01-08', photos: [photo('p1'), photo('p2')], afterPhotos: [] };

describe('composing outbox items', () => {
  it('queues the create before its evidence photos and declares them', () => {
    const items = findingItems(base);
    expect(items.map((i) => `${i.type}:${i.kind || ''}`)).toEqual(['create:', 'photo:evidence', 'photo:evidence']);
    expect(items[0].body).toMatchObject({ enterprise_id: 4, title: '通道堵塞', rectify_mode: 'deadline', photo_ids: ['p1', 'p2'], major_basis: null });
    expect(items.every((i) => i.findingId === items[0].id)).toBe(true);
  });

  it('a fix on the spot declares its after-photos and queues them after the create', () => {
    const now = new Date('2030-01-01T02:00:00Z');
    const items = findingItems({ ...base, fixOnSpot: true, measures: '已清理', afterPhotos: [photo('a1')] }, now);
    expect(items.map((i) => `${i.type}:${i.kind || ''}`)).toEqual(['create:', 'photo:evidence', 'photo:evidence', 'photo:rectification']);
    expect(items[0].body.rectify_mode).toBe('immediate');
    expect(items[0].body.rectification).toEqual({ measures: '已清理', completed_on: '2030-01-01', photo_ids: ['a1'] });
  });

  it('a major finding carries its basis', () => {
    const [create] = findingItems({ ...base, level: 'major', criterion: 'gongmao_2023', clause: '第四条(一) ' });
    expect(create.body.major_basis).toEqual({ criterion: 'gongmao_2023', clause: '第四条(一)' });
  });

  it('submit_rectification: photos first, then the event naming them, based on the version seen', () => {
    const items = actionItems({ id: 'f', version: 3 }, 'submit_rectification', { measures: 'm', completed_on: '2030-01-01' }, [photo('a1')]);
    expect(items.map((i) => i.type)).toEqual(['photo', 'event']);
    expect(items[0]).toMatchObject({ kind: 'rectification', findingId: 'f', id: 'a1' });
    expect(items[1]).toMatchObject({ action: 'submit_rectification', version: 3, payload: { photo_ids: ['a1'] } });
    expect(items[1].id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('urgency and dates', () => {
  it('puts the most overdue first, then the fewest days left', () => {
    const today = todayLocal();
    const list = [
      { id: 'later', status: 'rectifying', deadline: addDays(today, 9) },
      { id: 'closed', status: 'closed' },
      { id: 'od1', status: 'rectifying', overdue: true, days_overdue: 1 },
      { id: 'soon', status: 'rectifying', deadline: addDays(today, 1) },
      { id: 'od5', status: 'rectifying', overdue: true, days_overdue: 5 },
    ];
    expect(list.sort(byUrgency).map((f) => f.id)).toEqual(['od5', 'od1', 'soon', 'later', 'closed']);
  });

  it('takes today in Asia/Shanghai, not the device zone', () => {
    expect(todayLocal(new Date('2030-01-01T16:30:00Z'))).toBe('2030-01-02');
    expect(addDays('2030-12-28', 7)).toBe('2031-01-04');
  });
});
