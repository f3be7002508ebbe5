import { describe, it, expect } from 'vitest';
import { breakdownLevel, homeIsDashboard, isDeskRole, queueCounts, tabOf } from '../src/lib/desk-nav.js';
import { biggest, breakdownOption, cards, dashboardPaths, firstOfMonth, percent, trendOption, weekLabel } from '../src/lib/desk-stats.js';
import { exportFindings, exportPath, filenameFrom, readWithProgress } from '../src/lib/desk-export.js';
import { createApi } from '../src/lib/api.js';
import zh from '../src/i18n/zh-CN.js';
import en from '../src/i18n/en.js';
import deskZh from '../src/i18n/desk.zh-CN.js';
import deskEn from '../src/i18n/desk.en.js';
import navZh from '../src/i18n/desk-nav.zh-CN.js';
import navEn from '../src/i18n/desk-nav.en.js';
import adminZh from '../src/i18n/admin.zh-CN.js';
import noticesZh from '../src/i18n/notices.zh-CN.js';

const row = (key, name, n) => ({ key, name, found: n.found, open: n.open, overdue: n.overdue ?? 0, closed: n.closed ?? 0, voided: n.voided ?? 0, rectified_rate: n.rate ?? null });

describe('who gets the desk, and what #/ opens', () => {
  it('supervisors, inspectors and admins work at a desk; only the supervisor\'s home there is the dashboard', () => {
    expect(['supervisor', 'inspector', 'admin'].every(isDeskRole)).toBe(true);
    expect(isDeskRole('enterprise_officer') || isDeskRole('grid_worker')).toBe(false);
    expect(homeIsDashboard('supervisor', true)).toBe(true);
    expect(homeIsDashboard('supervisor', false)).toBe(false);
    expect(homeIsDashboard('inspector', true)).toBe(false);
  });

  it('a #/queue/<tab> route opens that tab if the role has it, else the role\'s first', () => {
    const tabs = ['todo', 'triage', 'review'];
    expect(tabOf(['queue', 'review'], tabs)).toBe('review');
    expect(tabOf(['queue', 'mine'], tabs)).toBe('todo');
    expect(tabOf([], tabs)).toBe('todo');
  });

  it('counts each queue as its tab selects it', () => {
    const me = { id: 7 };
    const findings = [
      { status: 'reported', reported_by: { id: 7 } },
      { status: 'pending_review', reported_by: { id: 8 } },
      { status: 'rectifying', overdue: true, extension_pending: true, reported_by: { id: 8 } },
      { status: 'closed', reported_by: { id: 7 } },
    ];
    expect(queueCounts(['todo', 'triage', 'review', 'extension', 'overdue', 'all', 'mine'], findings, me))
      .toEqual({ todo: 3, triage: 1, review: 1, extension: 1, overdue: 1, all: 4, mine: 2 });
  });

  it('breaks a city down by district and a district or smaller by street', () => {
    expect(breakdownLevel({ level: 'city' })).toBe('district');
    expect(breakdownLevel(null)).toBe('district');
    expect(breakdownLevel({ level: 'district' })).toBe('street');
    expect(breakdownLevel({ level: 'street' })).toBe('street');
    expect(dashboardPaths({ area: { level: 'district' } }).byArea).toBe('stats?group_by=street');
    expect(dashboardPaths({ area: { level: 'city' } }, new Date('2026-03-31T16:30:00Z')).month).toBe('stats?group_by=level&from=2026-04-01');
  });
});

describe('the dashboard\'s numbers', () => {
  const byLevel = {
    rows: [row('general', '一般隐患', { found: 10, open: 4 }), { ...row('major', '重大隐患', { found: 3, open: 2 }) }],
    total: { found: 13, open: 6, overdue: 2, pending_review: 1, extension_pending: 1, listed: 1, closed: 6, voided: 1 },
  };
  const month = { rows: [], total: { found: 8, voided: 1, closed: 6, rectified_rate: 0.8571 } };

  it('cards are the API\'s totals, major open from the major row, 整改率 of this month', () => {
    const shown = Object.fromEntries(cards(byLevel, month, { from: '2026-03-01' }).map((c) => [c.id, c]));
    expect(shown.overdue.text).toBe('2');
    expect(shown.open.text).toBe('6');
    expect(shown.pending_review.text).toBe('1');
    expect(shown.extension_pending.text).toBe('1');
    expect(shown.major_open.text).toBe('2');
    expect(shown.listed.text).toBe('1');
    expect(shown.month_rate).toMatchObject({ text: '85.7%', closed: 6, due: 7, link: '#/table?from=2026-03-01' });
    expect(shown.overdue.link).toBe('#/table?overdue=true');
    expect(shown.major_open.link).toBe('#/table?status=reported,rectifying,pending_review&level=major');
  });

  it('links only to the lists the role has', () => {
    const shown = Object.fromEntries(cards(byLevel, month, { role: 'inspector' }).map((c) => [c.id, c.link]));
    expect(shown.listed).toBeNull();
    expect(shown.extension_pending).toBeNull();
  });

  it('a rate with nothing to rectify is a dash, not 0%', () => {
    expect(percent(null)).toBe('—');
    expect(percent(0)).toBe('0.0%');
    expect(percent(1)).toBe('100.0%');
    expect(cards(byLevel, { total: { found: 0, voided: 0, closed: 0, rectified_rate: null } }).at(-1).text).toBe('—');
  });

  it('the month starts on the first in Shanghai, whatever the device\'s zone', () => {
    expect(firstOfMonth(new Date('2026-04-30T16:00:00Z'))).toBe('2026-05-01');
    expect(firstOfMonth(new Date('2026-04-30T15:59:00Z'))).toBe('2026-04-01');
  });

  it('the trend draws found as bars and closed as a line, week by week as the API gave them', () => {
    const rows = [{ week: '2026-11-23', found: 4, closed: 1 }, { week: '2026-11-30', found: 0, closed: 3 }];
    const option = trendOption(rows, { found: '发现', closed: '销号' });
    expect(option.xAxis.data).toEqual(['11/23', '11/30']);
    expect(option.series.map((s) => [s.name, s.type, s.data])).toEqual([['发现', 'bar', [4, 0]], ['销号', 'line', [1, 3]]]);
    expect(weekLabel('2027-01-04')).toBe('1/4');
  });

  it('a breakdown stacks overdue, open not overdue and closed: together every finding not voided', () => {
    const rows = [row('a', '湖里区', { found: 10, open: 5, overdue: 2, closed: 4, voided: 1 }), row('b', '思明区', { found: 20, open: 1, closed: 19 })];
    const option = breakdownOption(rows, { overdue: '已逾期', open: '未逾期未销号', closed: '已销号' });
    expect(option.yAxis.data).toEqual(['湖里区', '思明区']); // the biggest at the top: ECharts draws bottom-up
    expect(option.series.map((s) => s.data)).toEqual([[2, 0], [3, 1], [4, 19]]);
    option.yAxis.data.forEach((name, i) => {
      const r = rows.find((x) => x.name === name);
      expect(option.series.reduce((sum, s) => sum + s.data[i], 0)).toBe(r.found - r.voided);
    });
  });

  it('draws at most 12 bars, the most found', () => {
    const rows = Array.from({ length: 15 }, (_, i) => row(`k${i}`, `区${i}`, { found: i, open: 0 }));
    expect(biggest(rows).map((r) => r.found)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(breakdownOption(rows, {}).yAxis.data).toHaveLength(12);
  });
});

/** A Response whose body arrives in these chunks. */
function streamed(chunks, headers) {
  const body = new ReadableStream({ start(c) { chunks.forEach((x) => c.enqueue(new TextEncoder().encode(x))); c.close(); } });
  return new Response(body, { status: 200, headers });
}

describe('the export', () => {
  it('takes the server\'s RFC 5987 file name, then the plain one, then its own', () => {
    const star = "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6_%E6%B9%96%E9%87%8C%E5%8C%BA_20261201.xlsx";
    expect(filenameFrom(star, 'x.xlsx')).toBe('隐患台账_湖里区_20261201.xlsx');
    expect(filenameFrom('attachment; filename="ledger.xlsx"', 'x.xlsx')).toBe('ledger.xlsx');
    expect(filenameFrom("attachment; filename*=UTF-8''%E9%9A%ZZ", 'x.xlsx')).toBe('x.xlsx');
    expect(filenameFrom("attachment; filename*=UTF-8''..%2F..%2Fevil.xlsx", 'x.xlsx')).toBe('.._.._evil.xlsx');
    expect(filenameFrom(null, 'x.xlsx')).toBe('x.xlsx');
  });

  it('reads the body chunk by chunk, telling how far it is against Content-Length', async () => {
    const seen = [];
    const blob = await readWithProgress(streamed(['abc', 'defg'], { 'Content-Length': '7', 'Content-Type': 'application/x-test' }), (p) => seen.push(p));
    expect(await blob.text()).toBe('abcdefg');
    expect(blob.type).toBe('application/x-test');
    expect(seen).toEqual([{ received: 0, total: 7 }, { received: 3, total: 7 }, { received: 7, total: 7 }]);
  });

  it('without Content-Length it counts bytes, with no total', async () => {
    const seen = [];
    await readWithProgress(streamed(['ab', 'c'], {}), (p) => seen.push(p));
    expect(seen.at(-1)).toEqual({ received: 3, total: null });
  });

  it('a body cut short of its Content-Length is a failure, not a broken file saved', async () => {
    await expect(readWithProgress(streamed(['abc'], { 'Content-Length': '10' }))).rejects.toMatchObject({ status: 502 });
  });

  it('asks for the filters\' ledger, signed in, and saves it under the server\'s name', async () => {
    const asked = [];
    const transport = async (url, init) => {
      asked.push({ url, auth: init.headers.Authorization });
      return streamed(['PK..'], { 'Content-Length': '4', 'Content-Disposition': "attachment; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx" });
    };
    const api = createApi({ transport, getToken: async () => 'tok' });
    const saved = [];
    const done = await exportFindings(api, { overdue: true, status: ['rectifying'], sort: 'deadline' }, { save: (blob, name) => saved.push([blob.size, name]) });
    expect(asked).toEqual([{ url: '/api/v1/findings/export?format=xlsx&status=rectifying&overdue=true', auth: 'Bearer tok' }]);
    expect(saved).toEqual([[4, '台账.xlsx']]);
    expect(done).toEqual({ name: '台账.xlsx', size: 4 });
    expect(exportPath({})).toBe('findings/export?format=xlsx');
  });

  it('a refusal throws the API\'s error, its code kept for the words on screen', async () => {
    const transport = async () => new Response(JSON.stringify({ error: { code: 'validation_error', message: 'bad', fields: { to: ['x'] } } }),
      { status: 422, headers: { 'Content-Type': 'application/json' } });
    const api = createApi({ transport, getToken: async () => null });
    await expect(exportFindings(api, {}, { save: () => {} })).rejects.toMatchObject({ status: 422, code: 'validation_error' });
  });

  it('a 200 HTML page (a captive portal) is not a ledger', async () => {
    const transport = async () => new Response('<html>login</html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    const api = createApi({ transport, getToken: async () => null });
    await expect(exportFindings(api, {}, { save: () => {} })).rejects.toMatchObject({ status: 502 });
  });
});

describe('the desk\'s catalogues', () => {
  it('have the same keys in both languages, and none clashes with another catalogue', () => {
    expect(Object.keys(deskEn).sort()).toEqual(Object.keys(deskZh).sort());
    expect(Object.keys(navEn).sort()).toEqual(Object.keys(navZh).sort());
    const others = [zh, en, adminZh, noticesZh];
    expect(Object.keys(deskZh).filter((k) => k in navZh || others.some((c) => k in c))).toEqual([]);
    expect(Object.keys(navZh).filter((k) => others.some((c) => k in c))).toEqual([]);
  });
});
