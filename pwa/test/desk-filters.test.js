import { describe, it, expect } from 'vitest';
import { deskHash, filterQuery, hasFilters, readFilters } from '../src/lib/desk-filters.js';

describe('the desk filters in the hash', () => {
  it('reads every list filter the API takes, by its API name', () => {
    const hash = '#/table?status=reported,rectifying&level=major&category=fire.exit&enterprise_id=42&area=350206'
      + '&overdue=true&reported_by=me&q=%E6%B6%88%E9%98%B2&from=2026-01-01&to=2026-03-31&sort=deadline';
    expect(readFilters(hash)).toEqual({
      status: ['reported', 'rectifying'], level: 'major', category: 'fire.exit', enterprise_id: '42', area: '350206',
      overdue: true, reported_by: 'me', q: '消防', from: '2026-01-01', to: '2026-03-31', sort: 'deadline',
    });
  });

  it('round-trips: the hash written from a state reads back as that state', () => {
    const state = { status: ['rectifying', 'pending_review'], overdue: false, q: '配电箱, 二楼', from: '2026-02-01', sort: '-deadline' };
    expect(readFilters(deskHash('table', state))).toEqual(state);
    const hash = deskHash('map', state);
    expect(deskHash('map', readFilters(hash))).toBe(hash);
  });

  it('drops values the API would refuse instead of sending them', () => {
    const hash = '#/table?status=open,closed,bogus&level=huge&enterprise_id=12ab&area=35%2002&overdue=yes'
      + '&reported_by=you&from=2026-02-30&to=2026-13-01&sort=name&q=%20%20&category=';
    expect(readFilters(hash)).toEqual({ status: ['closed'] });
    expect(readFilters('#/table?status=bogus&enterprise_id=0')).toEqual({});
    expect(readFilters('#/table?enterprise_id=99999999999')).toEqual({});
    expect(readFilters(`#/table?q=${'x'.repeat(201)}`)).toEqual({});
  });

  it('keeps the start of a backwards date range and drops its end', () => {
    expect(readFilters('#/table?from=2026-03-01&to=2026-02-01')).toEqual({ from: '2026-03-01' });
  });

  it('reads nothing from a hash without a query, or none at all', () => {
    expect(readFilters('#/table')).toEqual({});
    expect(readFilters('')).toEqual({});
  });

  it('writes a stable order whatever order the state was built in, empty values dropped', () => {
    const a = filterQuery({ to: '2026-03-31', q: '', status: ['closed'], level: undefined, overdue: true, area: '3502' });
    const b = filterQuery({ area: '3502', overdue: true, status: ['closed'], to: '2026-03-31', status_extra: 'x' });
    expect(a).toBe('status=closed&area=3502&overdue=true&to=2026-03-31');
    expect(b).toBe(a);
    expect(filterQuery({ status: [] })).toBe('');
    expect(filterQuery(undefined)).toBe('');
  });

  it('leaves out the sort and the cursor unless asked, and the default sort even then', () => {
    expect(filterQuery({ level: 'major', sort: 'deadline' })).toBe('level=major');
    expect(filterQuery({ level: 'major', sort: 'deadline' }, { sort: true })).toBe('level=major&sort=deadline');
    expect(filterQuery({ sort: '-received_at' }, { sort: true })).toBe('');
    expect(filterQuery({ level: 'major' }, { cursor: 'abc=' })).toBe('level=major&cursor=abc%3D');
  });

  it('builds each view\'s hash, bare when nothing is set', () => {
    expect(deskHash('table')).toBe('#/table');
    expect(deskHash('map', { overdue: true, sort: 'deadline' })).toBe('#/map?overdue=true&sort=deadline');
    expect(hasFilters({ sort: 'deadline' })).toBe(false);
    expect(hasFilters({ overdue: false })).toBe(true);
  });
});
