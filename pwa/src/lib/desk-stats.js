// The dashboard's numbers as the API gives them (GET /stats, /stats/trend) turned into what the screen shows:
// the cards, the charts' ECharts options and the tables that say the same for screen readers. Pure: no ECharts,
// no DOM, so the tests read the very options the charts draw.
import { filterQuery } from './desk-filters.js';
import { todayLocal } from './dates.js';
import { breakdownLevel } from './desk-nav.js';

// The colours of the charts, the badges' own (styles.css): overdue, still open, closed; found and closed.
export const COLOURS = { overdue: '#8a1010', open: '#0a4a8a', closed: '#0d5c1d', found: '#0b3d91' };
const FONT = 'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** The first day of this month in Shanghai (YYYY-MM-01): the start of "this month's 整改率". */
export const firstOfMonth = (now = new Date()) => `${todayLocal(now).slice(0, 7)}-01`;

/** 整改率 as the screen writes it: 0.8571 → "85.7%" (a half rounded up); null (nothing to rectify) → "—". */
export const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`);

/** The requests behind the dashboard, each an API path. */
export function dashboardPaths(user, now = new Date()) {
  return {
    byLevel: 'stats?group_by=level',
    month: `stats?group_by=level&${filterQuery({ from: firstOfMonth(now) })}`, // group_by is required; the total counts
    byArea: `stats?group_by=${breakdownLevel(user?.area)}`,
    byCategory: 'stats?group_by=category',
    trend: 'stats/trend?weeks=12',
    mostOverdue: 'findings?overdue=true&sort=deadline&limit=10',
  };
}

/**
 * The cards from /stats?group_by=level (its total, and its major row) and this month's /stats: each {id, value,
 * text, link}. A link is where the card's findings are listed (the table with the same filters, or a queue), where
 * the role has that list: only a supervisor has the extension queue and the register.
 */
export function cards(byLevel, month, { from = firstOfMonth(), role = 'supervisor' } = {}) {
  const supervisor = role === 'supervisor';
  const total = byLevel?.total || {};
  const major = (byLevel?.rows || []).find((row) => row.key === 'major') || {};
  const open = ['reported', 'rectifying', 'pending_review'];
  const card = (id, value, link) => ({ id, value: value ?? 0, text: String(value ?? 0), link });
  return [
    card('open', total.open, `#/table?${filterQuery({ status: open })}`),
    card('overdue', total.overdue, `#/table?${filterQuery({ overdue: true })}`),
    card('pending_review', total.pending_review, `#/table?${filterQuery({ status: ['pending_review'] })}`),
    card('extension_pending', total.extension_pending, supervisor ? '#/queue/extension' : null),
    card('major_open', major.open, `#/table?${filterQuery({ level: 'major', status: open })}`),
    card('listed', total.listed, supervisor ? '#/register' : null),
    { id: 'month_rate', value: month?.total?.rectified_rate ?? null, text: percent(month?.total?.rectified_rate),
      link: `#/table?${filterQuery({ from })}`,
      closed: month?.total?.closed ?? 0, due: (month?.total?.found ?? 0) - (month?.total?.voided ?? 0) },
  ];
}

/** "2026-11-23" → "11/23", the week's Monday on the axis. */
export const weekLabel = (week) => `${Number(week.slice(5, 7))}/${Number(week.slice(8, 10))}`;

const base = (labels) => ({
  animation: false, // drawn once, as it is: no motion for the eye or the screenshot to wait for
  textStyle: { fontFamily: FONT, fontSize: 13 },
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  legend: { top: 0, data: labels },
});

/** The weekly trend: found (by observed_at week) and closed (by closed_at week), oldest week first. */
export function trendOption(rows, names) {
  return {
    ...base([names.found, names.closed]),
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: rows.map((r) => weekLabel(r.week)), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: names.found, type: 'bar', data: rows.map((r) => r.found), itemStyle: { color: COLOURS.found }, barMaxWidth: 18 },
      { name: names.closed, type: 'line', data: rows.map((r) => r.closed), itemStyle: { color: COLOURS.closed }, lineStyle: { width: 3 }, symbolSize: 6 },
    ],
  };
}

/** The rows of a breakdown most found first, at most `limit` of them (the chart's bars; the table lists all). */
export const biggest = (rows, limit = 12) => [...rows].sort((a, b) => b.found - a.found || a.name.localeCompare(b.name)).slice(0, limit);

/**
 * A breakdown (by area or category) as stacked horizontal bars: overdue, open but not overdue, closed — together
 * every finding not voided; the biggest at the top.
 */
export function breakdownOption(rows, names) {
  const shown = biggest(rows).reverse(); // ECharts draws a category axis bottom-up
  const bar = (name, colour, pick) => ({ name, type: 'bar', stack: 'all', data: shown.map(pick), itemStyle: { color: colour }, barMaxWidth: 22 });
  return {
    ...base([names.overdue, names.open, names.closed]),
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => r.name), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      bar(names.overdue, COLOURS.overdue, (r) => r.overdue),
      bar(names.open, COLOURS.open, (r) => Math.max(0, r.open - r.overdue)),
      bar(names.closed, COLOURS.closed, (r) => r.closed),
    ],
  };
}

/** The height a breakdown chart needs for its bars (at least a trend's). */
export const breakdownHeight = (rows) => Math.max(240, 48 + Math.min(rows.length, 12) * 30);
