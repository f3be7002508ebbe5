// 工作日历: each year's 放假调休 notice as the deadline job counts working days by it. The admin enters a notice
// the way the State Council writes one — per holiday its name, the days off as a range typed as the notice has it
// (春节 2月15日至23日) and the weekend days worked instead (调休上班 2月14日、2月28日) — and the year is sent whole: every day off and every worked day,
// each with its holiday's name. Dates are 'YYYY-MM-DD' strings throughout, computed in UTC (no zone can shift a
// calendar day). A year with no notice counts Monday to Friday.
import { t } from '../../i18n/index.js';
import '../../i18n/admin.js';
import { localize, messagesOf } from './messages.js';
import { flatten } from './fielderrors.js';

export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
export const MAX_DAYS = 120; // the server's bound on each list
export const MAX_RANGE = 31; // a longer holiday is a typo (the longest so far is 春节, 9 days)
export const MAX_NAME = 40;
export const MAX_SOURCE = 200;

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day as 'YYYY-MM-DD' → its UTC Date, else null ('2027-02-30' is null). */
export function parseDay(text) {
  const m = ISO.exec(String(text ?? '').trim());
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === m[0] ? date : null;
}

const iso = (date) => date.toISOString().slice(0, 10);
export const addDays = (day, n) => iso(new Date(parseDay(day).getTime() + n * DAY_MS));
export const yearOf = (day) => Number(String(day).slice(0, 4));
/** 0 Sunday … 6 Saturday. */
export const weekday = (day) => parseDay(day).getUTCDay();
export const isWeekend = (day) => weekday(day) === 0 || weekday(day) === 6;

/** Every day from `from` to `to`, both included (how a notice writes a holiday: 1月1日至3日). */
export function daysFrom(from, to = from) {
  const out = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

/** Sorted days → their runs of consecutive days: [{from, to, count}]. */
export function runsOf(days) {
  const runs = [];
  for (const day of [...new Set(days)].sort()) {
    const last = runs[runs.length - 1];
    if (last && addDays(last.to, 1) === day) {
      last.to = day;
      last.count += 1;
    } else runs.push({ from: day, to: day, count: 1 });
  }
  return runs;
}

// --- showing days ---------------------------------------------------------------------------------------------

function parts(day) {
  const date = parseDay(day);
  const m = date.getUTCMonth() + 1;
  return { m, d: date.getUTCDate(), wd: t(`hol_wd_${date.getUTCDay()}`), mon: t('hol_months').split(',')[m - 1] };
}

/** 2月15日（周日） · Sun 15 Feb. */
export const formatDay = (day) => t('hol_day', parts(day));

/** 2月15日（周日）至23日（周一） · Sun 15 Feb – Mon 23 Feb; one day is just that day. */
export function formatRange(from, to = from) {
  if (!to || to === from) return formatDay(from);
  const sameMonth = from.slice(0, 7) === to.slice(0, 7);
  return t('hol_range', { from: formatDay(from), to: sameMonth ? t('hol_day_in_month', parts(to)) : formatDay(to) });
}

export const formatDays = (days) => days.map(formatDay).join(t('hol_list_sep'));

/** A stored notice grouped for reading: per holiday (in the order of its first day off) its days off as ranges and the
 * days worked for it → [{name, ranges: [{from, to, count}], rest, workdays: [day]}]. */
export function groupNotice(notice) {
  const groups = new Map();
  const group = (name) => {
    const key = String(name ?? '').trim();
    if (!groups.has(key)) groups.set(key, { name: key, rest: [], workdays: [] });
    return groups.get(key);
  };
  for (const entry of notice?.rest_days || []) group(entry.name).rest.push(entry.day);
  for (const entry of notice?.workdays || []) group(entry.name).workdays.push(entry.day);
  const first = (g) => (g.rest.length ? g.rest : g.workdays).slice().sort()[0]; // 国庆's worked 9月20日 is before 中秋
  return [...groups.values()]
    .sort((a, b) => (first(a) < first(b) ? -1 : 1))
    .map((g) => ({ name: g.name, ranges: runsOf(g.rest), rest: new Set(g.rest).size, workdays: [...new Set(g.workdays)].sort() }));
}

/** The years a list of notices lacks among this year and the next (Asia/Shanghai): they count Monday to Friday. */
export function missingYears(items = [], today) {
  const year = yearOf(today);
  const loaded = new Set(items.map((n) => n.year));
  return [year, year + 1].filter((y) => !loaded.has(y));
}

/** The year a new notice is most likely for: the first of this and the next year with none, else the one after
 * the last loaded. */
export function suggestedYear(items = [], today) {
  const missing = missingYears(items, today);
  if (missing.length) return missing[0];
  return Math.max(yearOf(today), ...items.map((n) => n.year)) + 1;
}

// --- typing a notice --------------------------------------------------------------------------------------------

const PARENS = /[（(][^）)]*[）)]/g; // （周六）, (星期日): the notice's weekdays, read past
const pad = (n) => String(n).padStart(2, '0');
const dayOf = (y, m, d) => {
  const day = `${y}-${pad(m)}-${pad(d)}`;
  return parseDay(day) ? day : null;
};

/** One day as a notice or an admin writes it — 2月6日 · 2月6号 · 2-6 · 2/6 · 2027-02-06 · 2027年2月6日 · 14日
 * (with `month`, the month of the range it ends) — in `year` unless it names its own → 'YYYY-MM-DD' or null. */
export function readDay(raw, year, month = null) {
  const s = String(raw ?? '').replace(PARENS, '').replace(/\s+/g, '').trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(s);
  if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(s);
  if (m) return dayOf(year, Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})[日号]$/.exec(s);
  if (m && month) return dayOf(year, month, Number(m[1]));
  return null;
}

const RANGE_SEPARATORS = /\s*(?:至|到|~|～|—|–|－|\s-\s|\sto\s)\s*/i;

/** A holiday's days off as written — 2月6日至14日 · 2月6日（周六）至2月14日（周日） · 2027-02-06 至 2027-02-14 ·
 * 4月5日 (one day) → {from, to} · {bad: true} · null when empty. */
export function readRange(raw, year) {
  const s = String(raw ?? '').replace(PARENS, ' ').trim();
  if (!s) return null;
  let parts = s.split(RANGE_SEPARATORS).filter(Boolean);
  if (parts.length === 1 && /[月日号]/.test(s)) parts = s.split(/\s*[-－]\s*/).filter(Boolean); // 2月6日-14日
  if (parts.length > 2) return { bad: true };
  const from = readDay(parts[0], year);
  if (!from) return { bad: true };
  const to = parts[1] === undefined ? from : readDay(parts[1], yearOf(from), Number(from.slice(5, 7)));
  return to ? { from, to } : { bad: true };
}

/** Worked days as written — 2月14日（周六）、2月28日（周六） · 2027-02-20, 2027-02-21 → {days, bad: [what was not read]}. */
export function readDays(raw, year) {
  const pieces = String(raw ?? '').replace(PARENS, ' ').split(/[、,，;；\s]+/).filter(Boolean);
  const days = [];
  const bad = [];
  for (const piece of pieces) {
    const day = readDay(piece, year);
    if (day) days.push(day);
    else bad.push(piece);
  }
  return { days, bad };
}

/** How the editor writes stored days back into its boxes: 2月15日至23日 · 9月25日至10月1日 · 2月14日、2月28日. */
const inputDay = (day) => t('hol_input_day', { m: Number(day.slice(5, 7)), d: Number(day.slice(8, 10)), iso: day });
export function rangeText(from, to = from) {
  if (to === from) return inputDay(from);
  const end = from.slice(0, 7) === to.slice(0, 7) ? t('hol_input_day_in_month', { d: Number(to.slice(8, 10)), iso: to }) : inputDay(to);
  return t('hol_input_range', { from: inputDay(from), to: end });
}
export const daysText = (days) => days.map(inputDay).join(t('hol_list_sep'));

// --- the editor's values ----------------------------------------------------------------------------------------

let serial = 0;
const rowKey = () => `h${(serial += 1)}`;

/** One holiday as the editor holds it: its name, its days off (one box: 2月6日至14日) and its worked days (one
 * box: 2月20日、2月21日), as typed. */
export const blankHoliday = (name = '', range = '', workdays = '') => ({ key: rowKey(), name, range, workdays });

/** What the editor starts from: a stored notice as one row per run of days off (a holiday whose days off are not
 * consecutive has a row per run; its worked days go with its first), or one blank row. */
export function noticeValues(notice = null) {
  if (!notice) return { source: '', holidays: [blankHoliday()] };
  const holidays = [];
  for (const g of groupNotice(notice)) {
    const runs = g.ranges.length ? g.ranges : [null];
    runs.forEach((run, i) => {
      holidays.push(blankHoliday(g.name, run ? rangeText(run.from, run.to) : '', i === 0 ? daysText(g.workdays) : ''));
    });
  }
  return { source: notice.source || '', holidays };
}

const text = (v) => String(v ?? '').trim();

/** Where each box's problems are shown: source · year · holidays (the whole list) · h0.name · h0.range · h0.work. */
export const fieldKey = (row, part) => `h${row}.${part}`;

/** What one row says once read: {range: {from, to} | {bad} | null, work: {days, bad}, span: days off}. */
export function readHoliday(holiday, year) {
  const range = readRange(holiday.range, Number(year));
  const work = readDays(holiday.workdays, Number(year));
  const span = range && !range.bad && range.to >= range.from ? daysFrom(range.from, range.to).length : 0;
  return { range, work, span };
}

/** What is wrong with the notice as typed, before anything is sent → {field: [i18n key, vars]} (empty: fine).
 * `existing`: the loaded years, when a new one is entered. */
export function noticeProblems(year, values, { creating = false, existing = [] } = {}) {
  const problems = {};
  const put = (field, key, vars) => { if (!problems[field]) problems[field] = [key, vars]; };
  const y = Number(year);
  const yearValid = /^\d{4}$/.test(text(year)) && y >= FIRST_YEAR && y <= LAST_YEAR;
  if (!yearValid) put('year', 'hol_year_range', { min: FIRST_YEAR, max: LAST_YEAR });
  else if (creating && existing.includes(y)) put('year', 'hol_year_exists', { year: y });
  if (!text(values.source)) put('source', 'adm_required');
  else if (text(values.source).length > MAX_SOURCE) put('source', 'adm_max', { n: MAX_SOURCE });
  const outside = (day) => yearValid && yearOf(day) !== y;
  const holidays = values.holidays || [];
  if (!holidays.length) put('holidays', 'hol_none');

  const read = holidays.map((h) => readHoliday(h, yearValid ? y : new Date().getUTCFullYear()));
  const taken = []; // the days off of the rows checked so far: [{from, to, row}]
  holidays.forEach((h, row) => {
    const name = text(h.name);
    if (!name) put(fieldKey(row, 'name'), 'adm_required');
    else if (name.length > MAX_NAME) put(fieldKey(row, 'name'), 'adm_max', { n: MAX_NAME });
    const field = fieldKey(row, 'range');
    const { range } = read[row];
    if (!range) put(field, 'adm_required');
    else if (range.bad) put(field, 'hol_bad_range');
    else if (outside(range.from) || outside(range.to)) put(field, 'hol_outside_year', { year: y });
    else if (range.to < range.from) put(field, 'hol_to_before_from');
    else if (daysFrom(range.from, range.to).length > MAX_RANGE) put(field, 'hol_range_long', { n: MAX_RANGE });
    else {
      const clash = taken.find((r) => range.from <= r.to && r.from <= range.to);
      if (clash) put(field, 'hol_overlap', { name: text(holidays[clash.row].name) || t('hol_unnamed'), range: formatRange(clash.from, clash.to) });
      else taken.push({ ...range, row });
    }
  });

  const seen = new Set();
  holidays.forEach((h, row) => {
    const field = fieldKey(row, 'work');
    const { days, bad } = read[row].work;
    const said = (list) => ({ days: formatDays(list) });
    const twice = days.filter((d) => seen.has(d) || days.indexOf(d) !== days.lastIndexOf(d));
    if (bad.length) put(field, 'hol_bad_day', { text: bad[0] });
    else if (days.some(outside)) put(field, 'hol_outside_year', { year: y });
    else if (days.some((d) => !isWeekend(d))) put(field, 'hol_work_weekday', said(days.filter((d) => !isWeekend(d))));
    else if (days.some((d) => taken.some((r) => r.from <= d && d <= r.to))) {
      put(field, 'hol_work_is_rest', said(days.filter((d) => taken.some((r) => r.from <= d && d <= r.to))));
    } else if (twice.length) put(field, 'hol_work_twice', said([...new Set(twice)]));
    for (const d of days) seen.add(d);
  });

  if (!Object.keys(problems).length) {
    const { body } = noticeBody(year, values);
    if (body.rest_days.length > MAX_DAYS || body.workdays.length > MAX_DAYS) put('holidays', 'hol_too_many', { n: MAX_DAYS });
  }
  return problems;
}

/** The PUT body of a year: {source, rest_days: [{day, name}], workdays: [{day, name}]}, each list by day, and
 * `origin`, the box each entry came from, so the server's objections find their input. */
export function noticeBody(year, values) {
  const rest = [];
  const work = [];
  (values.holidays || []).forEach((h, row) => {
    const name = text(h.name);
    const { range, work: worked } = readHoliday(h, year);
    if (range && !range.bad && range.to >= range.from) {
      for (const day of daysFrom(range.from, range.to)) rest.push({ day, name, at: fieldKey(row, 'range') });
    }
    for (const day of worked.days) work.push({ day, name, at: fieldKey(row, 'work') });
  });
  const byDay = (a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0);
  rest.sort(byDay);
  work.sort(byDay);
  return {
    body: {
      source: text(values.source),
      rest_days: rest.map(({ day, name }) => ({ day, name })),
      workdays: work.map(({ day, name }) => ({ day, name })),
    },
    origin: { rest_days: rest.map((e) => e.at), workdays: work.map((e) => e.at) },
  };
}

// --- the server's objections ------------------------------------------------------------------------------------

const ISO_IN_TEXT = /\d{4}-\d{2}-\d{2}/g;
const daysIn = (list) => (list.match(ISO_IN_TEXT) || []).filter((d) => parseDay(d));
const listed = (list) => formatDays(daysIn(list));

// What the calendar's API says (app/domain/workdays.py notice_problems, app/api/admin_holidays.py), per field:
// [pattern, the fields it is said of (null: any), i18n key, (match) => vars]. Anything else goes to messages.js.
export const HOLIDAY_MESSAGES = [
  [/^Days outside (\d{4}): (.*)\.$/, null, 'hol_srv_outside', (m) => ({ year: m[1], days: listed(m[2]) })],
  [/^A day is listed twice\.$/, ['rest_days'], 'hol_srv_rest_twice'],
  [/^A day is listed twice\.$/, ['workdays'], 'hol_srv_work_twice'],
  [/^调休上班 days are Saturdays or Sundays; these are weekdays already: (.*)\.$/, null, 'hol_work_weekday', (m) => ({ days: listed(m[1]) })],
  [/^Days both off and worked: (.*)\.$/, null, 'hol_work_is_rest', (m) => ({ days: listed(m[1]) })],
  [/^A notice lists at least one day off\.$/, null, 'hol_none'],
  [/^A year from (\d+) to (\d+)\.$/, null, 'hol_year_range', (m) => ({ min: m[1], max: m[2] })],
  [/^Longer than maximum length (\d+)\.$/, ['rest_days', 'workdays'], 'hol_too_many', (m) => ({ n: m[1] })],
  [/^Not a valid list\.$/, ['rest_days', 'workdays'], 'hol_srv_not_list'],
];

/** One server message about `field` ('workdays', 'rest_days.3.day', 'source') in the user's language. */
export function localizeHoliday(message, field = '') {
  const msg = String(message ?? '').trim();
  for (const [pattern, fields, key, vars] of HOLIDAY_MESSAGES) {
    if (fields && !fields.includes(field)) continue;
    const m = msg.match(pattern);
    if (m) return { text: t(key, vars ? vars(m) : undefined), translated: true };
  }
  return localize(msg);
}

/** A 422's `fields` → {byField, other} as the editor shows them: a message naming days goes beside the inputs
 * those days came from (a weekday entered as 调休上班 → that worked-day box), one about an entry of a list beside
 * the entry's input, one about a whole list under the list of holidays. */
export function noticeServerErrors(fields, year, values, { creating = false } = {}) {
  const { body, origin } = noticeBody(year, values);
  const where = {
    rest_days: new Map(body.rest_days.map((e, i) => [e.day, origin.rest_days[i]])),
    workdays: new Map(body.workdays.map((e, i) => [e.day, origin.workdays[i]])),
  };
  const byField = {};
  const other = [];
  const add = (target, texts) => { byField[target] = [...new Set([...(byField[target] || []), ...texts])]; };
  for (const [key, raw] of Object.entries(flatten(fields))) {
    const [top, index] = key.split('.');
    for (const message of messagesOf(raw)) {
      const { text: said } = localizeHoliday(message, key);
      if (top === 'source') add('source', [said]);
      else if (top === 'year') add(creating ? 'year' : 'holidays', [said]);
      else if (top === 'rest_days' || top === 'workdays') {
        const entry = index !== undefined && /^\d+$/.test(index) ? origin[top][Number(index)] : null;
        const lists = top === 'workdays' ? ['workdays', 'rest_days'] : ['rest_days', 'workdays'];
        const named = daysIn(message).map((d) => lists.map((l) => where[l].get(d)).find(Boolean)).filter(Boolean);
        if (entry) add(entry, [said]);
        else if (named.length) for (const target of new Set(named)) add(target, [said]);
        else add('holidays', [said]);
      } else other.push({ name: key, label: key, texts: [said] });
    }
  }
  return { byField, other };
}

/** The notice's days in a few words: 放假 33 天 · 调休上班 6 天. */
export const noticeCounts = (notice) => ({ rest: (notice?.rest_days || []).length, work: (notice?.workdays || []).length });
