import { describe, it, expect, afterEach } from 'vitest';
import { setLang } from '../src/i18n/index.js';
import adminZh from '../src/i18n/admin.zh-CN.js';
import adminEn from '../src/i18n/admin.en.js';
import { clientErrors } from '../src/lib/admin/fielderrors.js';
import {
  HOLIDAY_MESSAGES, addDays, blankHoliday, daysFrom, formatDay, formatRange, groupNotice, isWeekend, localizeHoliday,
  missingYears, noticeBody, noticeProblems, noticeServerErrors, noticeValues, parseDay, rangeText, readDay, readDays,
  readRange, runsOf, suggestedYear,
} from '../src/lib/admin/holidays.js';

afterEach(() => setLang('zh-CN'));

const entries = (days, name) => days.map((day) => ({ day, name }));
// The 2026 notice as migration 0006 seeds it (app/domain/workdays.py HOLIDAYS_2026), as the API lists it.
const NOTICE_2026 = {
  year: 2026,
  source: '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）',
  updated_at: '2025-11-04T00:00:00Z',
  rest_days: [
    ...entries(daysFrom('2026-01-01', '2026-01-03'), '元旦'),
    ...entries(daysFrom('2026-02-15', '2026-02-23'), '春节'),
    ...entries(daysFrom('2026-04-04', '2026-04-06'), '清明节'),
    ...entries(daysFrom('2026-05-01', '2026-05-05'), '劳动节'),
    ...entries(daysFrom('2026-06-19', '2026-06-21'), '端午节'),
    ...entries(daysFrom('2026-09-25', '2026-09-27'), '中秋节'),
    ...entries(daysFrom('2026-10-01', '2026-10-07'), '国庆节'),
  ],
  workdays: [
    { day: '2026-01-04', name: '元旦' }, { day: '2026-02-14', name: '春节' }, { day: '2026-02-28', name: '春节' },
    { day: '2026-05-09', name: '劳动节' }, { day: '2026-09-20', name: '国庆节' }, { day: '2026-10-10', name: '国庆节' },
  ],
};

const row = (name, range, workdays = '') => blankHoliday(name, range, workdays);
const NOTICE_2027 = {
  source: '测试用通知',
  holidays: [row('元旦', '1月1日至3日'), row('春节', '2月6日（周六）至14日（周日）', '2月20日（周六）')],
};

describe('calendar days', () => {
  it('reads only real days, counts ranges with both ends, and knows a weekend', () => {
    expect(parseDay('2027-02-28')).not.toBeNull();
    for (const bad of ['2027-02-29', '2027-13-01', '2月6日', '', null, '2027-2-6']) expect(parseDay(bad), String(bad)).toBeNull();
    expect(parseDay('2028-02-29')).not.toBeNull();
    expect(daysFrom('2027-02-06', '2027-02-14')).toHaveLength(9);
    expect(daysFrom('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
    expect(daysFrom('2027-04-05')).toEqual(['2027-04-05']);
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect([isWeekend('2027-02-06'), isWeekend('2027-02-07'), isWeekend('2027-02-05')]).toEqual([true, true, false]);
    expect(runsOf(['2026-01-03', '2026-01-01', '2026-01-02', '2026-01-05'])).toEqual([
      { from: '2026-01-01', to: '2026-01-03', count: 3 }, { from: '2026-01-05', to: '2026-01-05', count: 1 },
    ]);
  });

  it('writes days and ranges the way a notice does, and in English', () => {
    expect(formatDay('2026-02-15')).toBe('2月15日（周日）');
    expect(formatRange('2026-02-15', '2026-02-23')).toBe('2月15日（周日）至23日（周一）');
    expect(formatRange('2026-09-25', '2026-10-01')).toBe('9月25日（周五）至10月1日（周四）');
    expect(formatRange('2026-04-05', '2026-04-05')).toBe('4月5日（周日）');
    setLang('en');
    expect(formatRange('2026-02-15', '2026-02-23')).toBe('Sun 15 Feb – Mon 23 Feb');
  });
});

describe('typing a notice', () => {
  it('reads a day as a notice or an admin writes it, in the notice\'s year unless it names one', () => {
    for (const typed of ['2月6日', '2月6号', '2-6', '2/6', '02-06', '2027-02-06', '2027年2月6日', '2027/2/6', ' 2月6日（周六） ', '2月 6日']) {
      expect(readDay(typed, 2027), typed).toBe('2027-02-06');
    }
    expect(readDay('14日', 2027, 2)).toBe('2027-02-14');
    expect(readDay('14日', 2027)).toBeNull(); // no month to put it in
    expect(readDay('2026年12月31日', 2027)).toBe('2026-12-31');
    for (const bad of ['2月30日', '13月1日', '春节', '', '2027-02', '6']) expect(readDay(bad, 2027), bad).toBeNull();
  });

  it('reads a range of days off: one day, within a month, across months, with the weekdays a notice adds', () => {
    expect(readRange('2月6日至14日', 2027)).toEqual({ from: '2027-02-06', to: '2027-02-14' });
    expect(readRange('2月6日（星期六）至2月14日（星期日）', 2027)).toEqual({ from: '2027-02-06', to: '2027-02-14' });
    expect(readRange('9月25日至10月1日', 2026)).toEqual({ from: '2026-09-25', to: '2026-10-01' });
    expect(readRange('2027-02-06 至 2027-02-14', 2027)).toEqual({ from: '2027-02-06', to: '2027-02-14' });
    expect(readRange('2027-02-06 to 2027-02-14', 2027)).toEqual({ from: '2027-02-06', to: '2027-02-14' });
    for (const typed of ['2月6日-14日', '2月6日—2月14日', '2月6日~14日', '2月6日到14日']) expect(readRange(typed, 2027), typed).toEqual({ from: '2027-02-06', to: '2027-02-14' });
    expect(readRange('4月5日', 2027)).toEqual({ from: '2027-04-05', to: '2027-04-05' });
    expect(readRange('  ', 2027)).toBeNull();
    for (const bad of ['2月6日至', '春节七天', '2月6日至14日至20日', '2月30日至3月2日', '2月6日至春节']) expect(readRange(bad, 2027), bad).toEqual({ bad: true });
  });

  it('reads worked days separated as people separate them, and keeps what it could not read', () => {
    expect(readDays('2月14日（周六）、2月28日（周六）', 2026)).toEqual({ days: ['2026-02-14', '2026-02-28'], bad: [] });
    expect(readDays('2026-02-14, 2026-02-28；3月1日', 2026)).toEqual({ days: ['2026-02-14', '2026-02-28', '2026-03-01'], bad: [] });
    expect(readDays('2月14日、下周六', 2026)).toEqual({ days: ['2026-02-14'], bad: ['下周六'] });
    expect(readDays('', 2026)).toEqual({ days: [], bad: [] });
  });

  it('writes stored days back the way it reads them', () => {
    expect(rangeText('2026-02-15', '2026-02-23')).toBe('2月15日至23日');
    expect(rangeText('2026-09-25', '2026-10-01')).toBe('9月25日至10月1日');
    expect(rangeText('2026-04-05', '2026-04-05')).toBe('4月5日');
    expect(readRange(rangeText('2026-09-25', '2026-10-01'), 2026)).toEqual({ from: '2026-09-25', to: '2026-10-01' });
    setLang('en');
    expect(rangeText('2026-02-15', '2026-02-23')).toBe('2026-02-15 to 2026-02-23');
    expect(readRange(rangeText('2026-02-15', '2026-02-23'), 2026)).toEqual({ from: '2026-02-15', to: '2026-02-23' });
  });
});

describe('a stored year, for reading', () => {
  it('groups the days by holiday in the order of the year, each with its ranges and worked days', () => {
    const groups = groupNotice(NOTICE_2026);
    expect(groups.map((g) => g.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);
    const spring = groups[1];
    expect(spring).toEqual({ name: '春节', ranges: [{ from: '2026-02-15', to: '2026-02-23', count: 9 }], rest: 9, workdays: ['2026-02-14', '2026-02-28'] });
    expect(groups.reduce((n, g) => n + g.rest, 0)).toBe(33);
    expect(groups.flatMap((g) => g.workdays)).toHaveLength(6);
  });

  it('keeps a holiday whose days off are not consecutive as one group with two ranges; a day without a name too', () => {
    const notice = { rest_days: [...entries(['2027-05-01', '2027-05-02', '2027-05-04'], '劳动节'), { day: '2027-06-01', name: '' }], workdays: [] };
    const [labour, unnamed] = groupNotice(notice);
    expect(labour.ranges.map((r) => [r.from, r.to])).toEqual([['2027-05-01', '2027-05-02'], ['2027-05-04', '2027-05-04']]);
    expect(unnamed.name).toBe('');
    const values = noticeValues(notice);
    expect(values.holidays.map((h) => [h.name, h.range])).toEqual([['劳动节', '5月1日至2日'], ['劳动节', '5月4日'], ['', '6月1日']]);
  });

  it('says which of this year and the next have no notice, and which year a new notice is likely for', () => {
    expect(missingYears([NOTICE_2026], '2026-12-01')).toEqual([2027]);
    expect(missingYears([], '2026-03-01')).toEqual([2026, 2027]);
    expect(missingYears([NOTICE_2026, { year: 2027 }], '2026-12-01')).toEqual([]);
    expect(suggestedYear([NOTICE_2026], '2026-12-01')).toBe(2027);
    expect(suggestedYear([NOTICE_2026, { year: 2027 }], '2026-12-01')).toBe(2028);
  });
});

describe('the editor', () => {
  it('opens a stored year as one row per holiday, and sends it back the same', () => {
    const values = noticeValues(NOTICE_2026);
    expect(values.holidays).toHaveLength(7);
    expect(values.holidays[1]).toMatchObject({ name: '春节', range: '2月15日至23日', workdays: '2月14日、2月28日' });
    expect(values.holidays[6]).toMatchObject({ name: '国庆节', range: '10月1日至7日', workdays: '9月20日、10月10日' });
    expect(values.holidays[2].workdays).toBe('');
    expect(noticeProblems(2026, values)).toEqual({});
    const { body } = noticeBody(2026, values);
    expect(body.source).toBe(NOTICE_2026.source);
    expect(body.rest_days).toEqual(NOTICE_2026.rest_days);
    expect(body.workdays).toEqual(NOTICE_2026.workdays);
  });

  it('builds the PUT body from ranges: every day off with its name, the worked days, both by day', () => {
    const { body, origin } = noticeBody(2027, { ...NOTICE_2027, holidays: [NOTICE_2027.holidays[1], NOTICE_2027.holidays[0]] });
    expect(body.source).toBe('测试用通知');
    expect(body.rest_days).toHaveLength(12);
    expect(body.rest_days[0]).toEqual({ day: '2027-01-01', name: '元旦' });
    expect(body.rest_days.slice(3).every((e) => e.name === '春节')).toBe(true);
    expect(body.rest_days.map((e) => e.day)).toEqual([...daysFrom('2027-01-01', '2027-01-03'), ...daysFrom('2027-02-06', '2027-02-14')]);
    expect(body.workdays).toEqual([{ day: '2027-02-20', name: '春节' }]);
    expect(origin.rest_days[0]).toBe('h1.range');
    expect(origin.workdays).toEqual(['h0.work']);
    expect(noticeProblems(2027, NOTICE_2027, { creating: true, existing: [2026] })).toEqual({});
  });

  const problemsOf = (holidays, extra = {}) => noticeProblems(2027, { source: '测试用通知', holidays }, extra);

  it('refuses what the server would, at the box it is about, in Chinese', () => {
    const weekday = problemsOf([row('春节', '2月6日至14日', '2月20日、2月19日')]);
    expect(weekday).toEqual({ 'h0.work': ['hol_work_weekday', { days: '2月19日（周五）' }] });
    expect(clientErrors(weekday).byField['h0.work']).toEqual(['调休上班日应为周六或周日：2月19日（周五）本来就是工作日']);
    expect(problemsOf([row('春节', '2月6日至14日', '2月13日')])).toEqual({ 'h0.work': ['hol_work_is_rest', { days: '2月13日（周六）' }] });
    expect(problemsOf([row('元旦', '1月1日至3日', '2月20日'), row('春节', '2月6日至14日', '2月20日')]))
      .toEqual({ 'h1.work': ['hol_work_twice', { days: '2月20日（周六）' }] });
    expect(problemsOf([row('春节', '2月6日至14日', '2月20日、2月20日')])).toEqual({ 'h0.work': ['hol_work_twice', { days: '2月20日（周六）' }] });
    expect(problemsOf([row('春节', '2月6日至14日', '2月20日、下周六')])).toEqual({ 'h0.work': ['hol_bad_day', { text: '下周六' }] });
    expect(problemsOf([row('元旦', '2026年12月31日至2027年1月2日')])).toEqual({ 'h0.range': ['hol_outside_year', { year: 2027 }] });
    expect(problemsOf([row('元旦', '1月3日至1月1日')])).toEqual({ 'h0.range': ['hol_to_before_from', undefined] });
    expect(problemsOf([row('春节', '2月6日至3月14日')])).toEqual({ 'h0.range': ['hol_range_long', { n: 31 }] });
    expect(problemsOf([row('', '')])).toEqual({ 'h0.name': ['adm_required', undefined], 'h0.range': ['adm_required', undefined] });
    expect(problemsOf([row('元旦', '2月30日')])).toEqual({ 'h0.range': ['hol_bad_range', undefined] });
    expect(problemsOf([])).toEqual({ holidays: ['hol_none', undefined] });
    expect(noticeProblems(2027, { source: '  ', holidays: [row('元旦', '1月1日')] })).toEqual({ source: ['adm_required', undefined] });
  });

  it('finds two holidays whose days off overlap, and names the other one', () => {
    const problems = problemsOf([row('春节', '2月6日至14日'), row('元宵', '2月14日至15日')]);
    expect(problems).toEqual({ 'h1.range': ['hol_overlap', { name: '春节', range: '2月6日（周六）至14日（周日）' }] });
  });

  it('checks the year of a new notice, and that it is not entered already', () => {
    const ok = [row('元旦', '2027-01-01')];
    expect(noticeProblems('2027', { source: 'x', holidays: ok }, { creating: true, existing: [2026] })).toEqual({});
    expect(noticeProblems('1999', { source: 'x', holidays: ok }, { creating: true })).toMatchObject({ year: ['hol_year_range', { min: 2000, max: 2100 }] });
    expect(noticeProblems('20x7', { source: 'x', holidays: ok }, { creating: true })).toHaveProperty('year');
    expect(noticeProblems('2026', { source: 'x', holidays: [row('元旦', '1月1日')] }, { creating: true, existing: [2026] }))
      .toEqual({ year: ['hol_year_exists', { year: 2026 }] });
    expect(noticeProblems('2026', { source: 'x', holidays: [row('元旦', '1月1日')] }, { existing: [2026] })).toEqual({});
  });
});

describe('the server’s objections', () => {
  it('every pattern names a text in both catalogues', () => {
    for (const [, , key] of HOLIDAY_MESSAGES) {
      expect(adminZh[key], key).toMatch(/[\u4e00-\u9fff]/);
      expect(adminEn[key], key).toBeTruthy();
    }
  });

  it('says the calendar’s messages in Chinese, with the days as a notice writes them, per field', () => {
    const said = (message, field) => localizeHoliday(message, field).text;
    expect(said('调休上班 days are Saturdays or Sundays; these are weekdays already: 2027-02-19.', 'workdays'))
      .toBe('调休上班日应为周六或周日：2月19日（周五）本来就是工作日');
    expect(said('Days outside 2027: 2026-12-31, 2028-01-01.', 'rest_days')).toBe('不在2027年内：12月31日（周四）、1月1日（周六）');
    expect(said('Days both off and worked: 2027-02-13.', 'workdays')).toBe('2月13日（周六）在放假日期内，不能同时调休上班');
    expect(said('A day is listed twice.', 'rest_days')).toBe('有放假日期重复');
    expect(said('A day is listed twice.', 'workdays')).toBe('有调休上班日重复');
    expect(said('A notice lists at least one day off.', 'rest_days')).toBe('至少要有一天放假');
    expect(said('Longer than maximum length 120.', 'rest_days')).toBe('放假日期和调休上班日各最多 120 天');
    expect(said('Longer than maximum length 40.', 'rest_days.0.name')).toBe('最多 40 个字符'); // a name, not the list
    expect(said('Longer than maximum length 200.', 'source')).toBe('最多 200 个字符'); // the general one (messages.js)
    expect(said('Not a valid date.', 'rest_days.0.day')).toBe('日期格式不对（应为 年-月-日）');
    expect(said('Missing data for required field.', 'source')).toBe('必填');
    expect(said('Something new.', 'workdays')).toBe('Something new.');
    setLang('en');
    expect(said('Days both off and worked: 2027-02-13.', 'workdays')).toBe('Sat 13 Feb is a day off: it cannot be worked as well');
  });

  it('puts each objection beside the input its days came from', () => {
    const values = { source: '测试用通知', holidays: [row('元旦', '1月1日至3日'), row('春节', '2月6日至14日', '2月20日、2月19日')] };
    const errors = noticeServerErrors({
      workdays: ['调休上班 days are Saturdays or Sundays; these are weekdays already: 2027-02-19.'],
      rest_days: { 4: { day: ['Not a valid date.'] } },
      source: ['Missing data for required field.'],
    }, 2027, values);
    expect(errors.byField).toEqual({
      'h1.work': ['调休上班日应为周六或周日：2月19日（周五）本来就是工作日'],
      'h1.range': ['日期格式不对（应为 年-月-日）'], // rest_days[4] is 2月7日, of the second row
      source: ['必填'],
    });
    const whole = noticeServerErrors({ rest_days: ['A notice lists at least one day off.'], year: ['A year from 2000 to 2100.'] }, 2027, values);
    expect(whole.byField).toEqual({ holidays: ['至少要有一天放假', '年份应在 2000–2100 之间'] });
    expect(noticeServerErrors({ year: ['A year from 2000 to 2100.'] }, 2027, values, { creating: true }).byField).toEqual({ year: ['年份应在 2000–2100 之间'] });
    expect(noticeServerErrors({ _schema: ['Invalid input type.'] }, 2027, values).other).toEqual([{ name: '_schema', label: '_schema', texts: ['Invalid input type.'] }]);
  });
});
