import { describe, it, expect } from 'vitest';
import { looseAfterPhotos, planRows, roundsOf } from '../src/lib/present.js';
import { rankEnterprises, searchEnterprises } from '../src/lib/enterprises.js';

describe('what the detail view shows of the decisions', () => {
  it('the plan has six elements; one left empty by the old form is shown missing', () => {
    const rows = planRows({ objective: '', measures: '更换', funds: '2万元', responsible: '设备科', time_limit: '2030-01-08', contingency: '停机' });
    expect(rows.map((r) => r.name)).toEqual(['objective', 'measures', 'funds', 'responsible', 'time_limit', 'contingency']);
    expect(rows.filter((r) => r.missing).map((r) => r.name)).toEqual(['objective']);
    expect(planRows(null)).toEqual([]);
  });

  it('rounds keep their own photos and reviews', () => {
    const finding = {
      photos: [
        { id: 'e1', kind: 'evidence' },
        { id: 'r1', kind: 'rectification', round: 1 },
        { id: 'r2', kind: 'rectification', round: 2 },
        { id: 'r3', kind: 'rectification', round: null },
      ],
      rounds: [
        { round: 1, measures: '清理', photo_ids: ['r1'], review: { result: 'rejected', comment: '不彻底', on_site: false } },
        { round: 2, measures: '再清理', photo_ids: ['r2'], review: null },
      ],
    };
    const rounds = roundsOf(finding);
    expect(rounds.map((r) => [r.round, r.photos.map((p) => p.id), r.review?.result ?? null])).toEqual([[1, ['r1'], 'rejected'], [2, ['r2'], null]]);
    expect(looseAfterPhotos(finding, rounds).map((p) => p.id)).toEqual(['r3']);
  });

  it('a server without rounds: its one rectification is round 1', () => {
    const closed = { status: 'closed', rectification: { measures: 'm' }, review: { comment: 'ok', on_site: true }, photos: [{ id: 'r', kind: 'rectification' }] };
    expect(roundsOf(closed)).toEqual([expect.objectContaining({ round: 1, measures: 'm', review: expect.objectContaining({ result: 'approved', on_site: true }) })]);
    expect(roundsOf({ status: 'pending_review', rectification: { measures: 'm' }, review: null })[0].review).toBeNull();
    expect(roundsOf({ status: 'rectifying' })).toEqual([]);
  });
});

describe('the enterprise picker', () => {
  const list = [
    { id: 1, name: '远方化工有限公司', credit_code: '91350200MA1', lat: 24.6, lng: 118.2 },
    { id: 2, name: '近邻机械厂', credit_code: '91350200MA2', lat: 24.5001, lng: 118.1 },
    { id: 3, name: '无位置公司', credit_code: '91350200XB3', lat: null, lng: null },
  ];
  const here = { lat: 24.5, lng: 118.1 };

  it('offline: nearest first, by name or credit code', () => {
    expect(rankEnterprises(list, { near: here }).map((e) => e.id)).toEqual([2, 1, 3]);
    expect(rankEnterprises(list, { near: here })[0].distance_m).toBeLessThan(20);
    expect(rankEnterprises(list, { q: '化工' }).map((e) => e.id)).toEqual([1]);
    expect(rankEnterprises(list, { q: 'xb3' }).map((e) => e.id)).toEqual([3]);
  });

  it('asks the server with near and q, and falls back to the cached list when it does not answer', async () => {
    const asked = [];
    const api = { get: async (path) => { asked.push(path); return { items: [{ id: 9 }] }; } };
    expect(await searchEnterprises({ api, cached: list, q: '机械', near: here })).toEqual({ items: [{ id: 9 }], source: 'server' });
    expect(asked[0]).toBe(`enterprises?limit=8&near=24.50000,118.10000&q=${encodeURIComponent('机械')}`);
    const down = { get: async () => { throw new TypeError('Failed to fetch'); } };
    expect((await searchEnterprises({ api: down, cached: list, q: '机械', near: here })).items.map((e) => e.id)).toEqual([2]);
    expect((await searchEnterprises({ api, cached: list, online: false })).source).toBe('cache');
  });
});
