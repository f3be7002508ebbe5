// 工作日历（节假日安排）: the years whose 放假调休 notice is loaded, each as its holidays with their days off and the
// weekend days worked instead; the years that have none (they count Monday to Friday); an editor that takes a
// notice as it is written — per holiday a name, a range of days off and the worked days — and saves the year
// whole. A chunk of its own, fetched when an admin opens it; its rules are in lib/admin/holidays.js.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import '../../i18n/admin.js';
import { go } from '../../lib/router.js';
import { href } from '../../lib/admin/nav.js';
import { get, problemOf, send } from '../../lib/admin/client.js';
import { clientErrors } from '../../lib/admin/fielderrors.js';
import { describeProblem } from '../../lib/errors.js';
import { formatTime, todayLocal } from '../../lib/dates.js';
import {
  HOLIDAY_NAMES, blankHoliday, fieldKey, formatDays, formatRange, groupNotice, missingYears, noticeBody, noticeCounts,
  noticeProblems, noticeServerErrors, noticeValues, readHoliday, suggestedYear, yearOf,
} from '../../lib/admin/holidays.js';
import { ConfirmButton, FormErrors, Loading, Note, Problem, TextField, focusFirstError, localProblem, setNote, useLoad } from './ui.js';

const notices = () => get('admin/holidays').then((body) => body.items || []);
const todayYear = () => yearOf(todayLocal());
const dayCount = (n) => (n === 1 ? t('hol_days_one') : t('hol_days', { n }));

const removeYear = (year) => send(`admin/holidays/${year}`, 'DELETE');

function YearTable({ notice }) {
  const groups = groupNotice(notice);
  return html`<table class="grid-table holiday-table" data-testid="holiday-table">
    <thead><tr><th scope="col">${t('hol_col_name')}</th><th scope="col">${t('hol_col_rest')}</th><th scope="col">${t('hol_col_days')}</th>
      <th scope="col">${t('hol_col_work')}</th></tr></thead>
    <tbody>${groups.map((g) => html`<tr key=${g.name} data-testid="holiday-group" data-name=${g.name}>
      <th scope="row" data-label=${t('hol_col_name')}>${g.name || t('hol_unnamed')}</th>
      <td data-label=${t('hol_col_rest')} data-testid="holiday-rest">${g.ranges.map((r) => formatRange(r.from, r.to)).join(t('hol_list_sep')) || '—'}</td>
      <td data-label=${t('hol_col_days')} class="num">${g.rest ? dayCount(g.rest) : '—'}</td>
      <td data-label=${t('hol_col_work')} data-testid="holiday-work">${g.workdays.length ? formatDays(g.workdays) : html`<span class="meta">${t('hol_no_work')}</span>`}</td>
    </tr>`)}</tbody>
  </table>`;
}

export function HolidayList() {
  const list = useLoad(notices, []);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const items = list.data || [];
  const missing = list.data ? missingYears(items, todayLocal()) : [];

  async function remove(year) {
    setBusy(true);
    setProblem(null);
    try {
      await removeYear(year);
      setDone(t('hol_deleted', { year }));
      list.reload();
    } catch (error) {
      setProblem(describeProblem(problemOf(error)));
    } finally {
      setBusy(false);
    }
  }

  return html`<section aria-labelledby="adm-title" class="holidays">
    <div class="admin-head">
      <h1 id="adm-title" class="h1">${t('adm_holidays_list')}</h1>
      <a class="btn primary small" href=${href('holidays', 'new')} data-testid="holidays-new">${t('hol_new')}</a>
    </div>
    <p class="hint lead">${t('hol_intro')}</p>
    <${Note} />
    ${done && html`<p class="banner ok" role="status" data-testid="admin-note">${done}</p>`}
    <${Problem} problem=${list.problem || problem} />
    ${missing.map((year) => html`<div class="banner info holiday-missing" key=${year} data-testid="holidays-missing" data-year=${year}>
      <span>${t('hol_missing', { year })}</span>
      <a class="btn small" href=${href('holidays', 'edit', year)} data-testid="holidays-enter">${t('hol_enter_year', { year })}</a>
    </div>`)}
    ${list.loading && !list.data ? html`<${Loading} />` : !items.length ? html`<p class="empty">${t('hol_none_loaded')}</p>` : items.map((n) => {
      const counts = noticeCounts(n);
      return html`<article class="card holiday-year" key=${n.year} data-testid="holiday-year" data-year=${n.year} aria-labelledby=${`hy-${n.year}`}>
        <div class="admin-head">
          <h2 id=${`hy-${n.year}`}>${t('hol_year_title', { year: n.year })}
            <span class="meta counts">${t('hol_counts', counts)}</span></h2>
          <div class="row">
            <a class="btn small" href=${href('holidays', 'edit', n.year)} data-testid="holiday-year-edit">${t('adm_edit')}</a>
            <${ConfirmButton} label=${t('hol_delete')} confirm=${t('hol_delete_q', { year: n.year })} testid="holiday-year-delete" busy=${busy}
              onConfirm=${() => remove(n.year)} />
          </div>
        </div>
        <p class="source" data-testid="holiday-source">${n.source}</p>
        ${n.updated_at && html`<p class="meta">${t('hol_updated', { time: formatTime(n.updated_at) })}</p>`}
        <${YearTable} notice=${n} />
      </article>`;
    })}
  </section>`;
}

function HolidayRow({ holiday, row, year, errors, onChange, onRemove, removable }) {
  const id = `hol-${holiday.key}`;
  const err = (part) => errors?.byField?.[fieldKey(row, part)];
  const set = (name) => (value) => onChange({ ...holiday, [name]: value });
  const { range, work, span } = readHoliday(holiday, /^\d{4}$/.test(String(year)) ? Number(year) : todayYear());
  return html`<fieldset class="holiday-row" data-testid="holiday-row">
    <legend>${t('hol_holiday_n', { n: row + 1 })}${holiday.name ? ` · ${holiday.name}` : ''}</legend>
    <div class="holiday-grid">
      <${TextField} id=${`${id}-name`} name="name" label=${t('hol_name')} required value=${holiday.name} onInput=${set('name')} errors=${err('name')}
        testid="holiday-name" list="holiday-names" autocomplete="off" maxlength="40" placeholder=${t('hol_name_ph')} />
      <div class="field-wrap">
        <${TextField} id=${`${id}-range`} name="range" label=${t('hol_days_off')} required value=${holiday.range} onInput=${set('range')}
          errors=${err('range')} testid="holiday-range" hint=${t('hol_days_off_hint')} placeholder=${t('hol_days_off_ph')} autocomplete="off" />
        ${span > 0 && html`<p class="holiday-read" data-testid="holiday-total">${t('hol_row_total', { n: span, range: formatRange(range.from, range.to) })}</p>`}
      </div>
      <div class="field-wrap">
        <${TextField} id=${`${id}-work`} name="workdays" label=${t('hol_workdays')} value=${holiday.workdays} onInput=${set('workdays')}
          errors=${err('work')} testid="holiday-workdays" hint=${t('hol_workdays_hint')} placeholder=${t('hol_workdays_ph')} autocomplete="off" />
        ${work.days.length > 0 && html`<p class="holiday-read" data-testid="holiday-work-read">${t('hol_work_preview', { days: formatDays(work.days) })}</p>`}
      </div>
    </div>
    ${removable && html`<div class="row end"><button type="button" class="btn small danger" data-testid="holiday-remove" onClick=${onRemove}>${t('hol_remove_holiday')}</button></div>`}
  </fieldset>`;
}

export function HolidayForm({ id }) {
  const list = useLoad(notices, []);
  const [year, setYear] = useState(id || '');
  const [values, setValues] = useState(null);
  const [errors, setErrors] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const items = list.data || [];
  const stored = id ? items.find((n) => String(n.year) === String(id)) : null;
  const creating = !stored;
  useEffect(() => {
    if (!list.data) return;
    setValues(noticeValues(stored));
    if (!id) setYear(String(suggestedYear(items, todayLocal())));
  }, [list.data]);

  const setHoliday = (i) => (next) => setValues((v) => ({ ...v, holidays: v.holidays.map((h, j) => (j === i ? next : h)) }));
  const removeHoliday = (i) => () => {
    setErrors(null); // the rows below move up: their errors would point at the wrong row
    setValues((v) => ({ ...v, holidays: v.holidays.filter((_, j) => j !== i) }));
  };

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    const local = noticeProblems(year, values, { creating, existing: items.map((n) => n.year) });
    if (Object.keys(local).length) {
      setErrors(clientErrors(local));
      setProblem(localProblem());
      focusFirstError(form);
      return;
    }
    setBusy(true);
    try {
      const saved = await send(`admin/holidays/${Number(year)}`, 'PUT', noticeBody(year, values).body);
      setNote(t('hol_saved', { year: saved.year, ...noticeCounts(saved) }));
      go(href('holidays'));
    } catch (error) {
      const p = problemOf(error);
      setErrors(noticeServerErrors(p.fields, year, values, { creating }));
      setProblem(describeProblem(p));
      focusFirstError(form);
    } finally {
      setBusy(false);
    }
  }

  if (list.problem) return html`<${Problem} problem=${list.problem} />`;
  if (!values) return html`<${Loading} />`;
  const title = stored ? t('adm_holidays_edit_year', { year: stored.year }) : t('adm_holidays_new');
  const listErrors = errors?.byField?.holidays;
  return html`<section aria-labelledby="adm-title" class="holidays">
    <div class="admin-head"><h1 id="adm-title" class="h1">${title}</h1></div>
    <form class="admin-form card holiday-form" onSubmit=${submit} novalidate data-testid="holidays-form">
      <${Problem} problem=${problem} testid="form-problem" />
      <${FormErrors} errors=${errors} />
      <div class="form-grid">
        ${creating && html`<${TextField} id="hol-year" name="year" label=${t('hol_year')} required value=${year} onInput=${setYear} errors=${errors?.byField?.year}
          inputmode="numeric" maxlength="4" autocomplete="off" hint=${t('hol_year_hint')} />`}
        <${TextField} id="hol-source" name="source" label=${t('hol_source')} required value=${values.source} wide
          onInput=${(source) => setValues((v) => ({ ...v, source }))} errors=${errors?.byField?.source} hint=${t('hol_source_hint')} maxlength="200" />
      </div>
      <h2 class="h2">${t('hol_holidays')}</h2>
      <p class="hint">${t('hol_holidays_hint')}</p>
      ${listErrors && html`<p class="field-error" role="alert" data-testid="error-holidays">${listErrors.join(' ')}</p>`}
      <datalist id="holiday-names">${HOLIDAY_NAMES.map((name) => html`<option value=${name} />`)}</datalist>
      ${values.holidays.map((h, i) => html`<${HolidayRow} key=${h.key} holiday=${h} row=${i} year=${year} errors=${errors}
        onChange=${setHoliday(i)} onRemove=${removeHoliday(i)} removable=${values.holidays.length > 1} />`)}
      <button type="button" class="btn" data-testid="holiday-add" onClick=${() => setValues((v) => ({ ...v, holidays: [...v.holidays, blankHoliday()] }))}>${t('hol_add_holiday')}</button>
      <p class="hint">${t('hol_replace_note')}</p>
      <div class="form-actions">
        <button class="btn primary" data-testid="holidays-save" disabled=${busy}>${busy ? t('saving') : t('adm_save')}</button>
        <a class="btn ghost" href=${href('holidays')}>${t('cancel')}</a>
      </div>
    </form>
  </section>`;
}
