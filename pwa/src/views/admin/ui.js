// The admin area's building blocks: a loader, a filtered paged list, a field with its errors beside it, the
// problem banner, a two-step button for what is hard to undo, and the "saved" note carried to the next screen.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import { describeProblem } from '../../lib/errors.js';
import { get, problemOf } from '../../lib/admin/client.js';
import { areaTrail, searchAreas } from '../../lib/admin/areas.js';
import { clientErrors, fieldErrors } from '../../lib/admin/fielderrors.js';

/** → { data, problem, loading, reload }: `load()` run now and again whenever a dependency changes. */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, problem: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, problem: null }));
    Promise.resolve()
      .then(load)
      .then(
        (data) => live && setState({ data, problem: null, loading: false }),
        (error) => live && setState({ data: null, problem: describeProblem(problemOf(error)), loading: false }),
      );
    return () => { live = false; };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** A cursor-paged list behind filters → { filters, set, first, pages, more }. The filters apply 300 ms after the
 * last keystroke, so typing a name is one request, not one per letter; `queryOf(filters, cursor)` is the path. */
export function useFilteredPages(initial, queryOf) {
  const [filters, setFilters] = useState(initial);
  const [applied, setApplied] = useState(filters);
  const [pages, setPages] = useState({ items: [], cursor: null });
  const names = Object.keys(initial);
  const first = useLoad(() => get(queryOf(applied)), names.map((n) => applied[n]));
  useEffect(() => {
    if (first.data) setPages({ items: first.data.items || [], cursor: first.data.next_cursor });
  }, [first.data]);
  useEffect(() => {
    const timer = setTimeout(() => setApplied(filters), 300);
    return () => clearTimeout(timer);
  }, names.map((n) => filters[n]));
  const set = (name) => (value) => setFilters((f) => ({ ...f, [name]: value }));
  async function more() {
    const body = await get(queryOf(applied, pages.cursor));
    setPages({ items: [...pages.items, ...(body.items || [])], cursor: body.next_cursor });
  }
  return { filters, set, first, pages, more };
}

export function Problem({ problem, testid = 'admin-problem' }) {
  if (!problem) return null;
  return html`<div class="banner refused" role="alert" data-testid=${testid}>
    <strong>${problem.headline}</strong>
    ${(problem.fileTexts || []).map((text) => html`<span>${text}</span>`)}
    ${problem.detail && html`<span class="detail" lang="en">${problem.detail}</span>`}
  </div>`;
}

/** After a refusal, the first field marked invalid gets the focus (once the form has been drawn again). */
export function focusFirstError(form) {
  setTimeout(() => form?.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

/** The banner above a form the browser itself found wanting: the fields say what (nothing was sent). */
export const localProblem = () => ({ headline: t('adm_fix_fields'), detail: '' });

/** A record form's errors, problem banner and busy flag, and the three ways a save or a status change is tried:
 * `refusedHere` marks what the form itself found wanting (true: send nothing), `sending` puts the server's
 * objections beside the fields they name, `acting` (activate, deactivate) has only the banner to show them in. */
export function useRecordForm() {
  const [errors, setErrors] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  function refusedHere(form, local) {
    if (!Object.keys(local).length) return false;
    setErrors(clientErrors(local));
    setProblem(localProblem());
    focusFirstError(form);
    return true;
  }
  async function sending(form, fields, send) {
    setBusy(true);
    try {
      await send();
    } catch (error) {
      const p = problemOf(error);
      setErrors(fieldErrors(p.fields, fields));
      setProblem(describeProblem(p));
      focusFirstError(form);
    } finally {
      setBusy(false);
    }
  }
  async function acting(act) {
    setBusy(true);
    setProblem(null);
    try {
      await act();
    } catch (error) {
      setProblem(describeProblem(problemOf(error)));
    } finally {
      setBusy(false);
    }
  }
  const err = (name) => errors?.byField?.[name];
  return { errors, err, problem, setProblem, busy, refusedHere, sending, acting };
}

export const Loading = () => html`<p role="status" class="meta">${t('loading')}</p>`;

/** The errors a form got that belong to no field it shows: named, so none is lost. */
export function FormErrors({ errors }) {
  if (!errors?.other?.length) return null;
  return html`<ul class="form-errors" data-testid="form-errors">
    ${errors.other.map((o) => html`<li key=${o.name}><strong>${o.label}</strong>${t('adm_colon')}${o.texts.join(' ')}</li>`)}
  </ul>`;
}

const errorId = (id) => `${id}-error`;

/** A label, the control, its hint and its errors, tied together for screen readers. */
export function FieldRow({ id, label, required, errors, hint, children, wide, testid }) {
  const texts = errors || [];
  return html`<div class=${`field${wide ? ' wide' : ''}${texts.length ? ' invalid' : ''}`}>
    <label for=${id}>${label}${required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    ${children}
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${texts.length > 0 && html`<p class="field-error" id=${errorId(id)} data-testid=${`error-${testid || id}`} role="alert">${texts.join(' ')}</p>`}
  </div>`;
}

const describedBy = (id, hint, errors) => [hint && `${id}-hint`, errors?.length && errorId(id)].filter(Boolean).join(' ') || undefined;

export function TextField({ id, name, label, value, onInput, errors, required, hint, type = 'text', testid, wide, ...rest }) {
  return html`<${FieldRow} id=${id} label=${label} required=${required} errors=${errors} hint=${hint} wide=${wide} testid=${testid || name}>
    <input id=${id} name=${name} type=${type} value=${value ?? ''} aria-required=${required ? 'true' : undefined}
      aria-invalid=${errors?.length ? 'true' : undefined} aria-describedby=${describedBy(id, hint, errors)}
      data-testid=${testid || `field-${name}`} onInput=${(e) => onInput(e.currentTarget.value)} ...${rest} />
  </${FieldRow}>`;
}

export function SelectField({ id, name, label, value, onChange, options, errors, required, hint, testid, wide, placeholder }) {
  return html`<${FieldRow} id=${id} label=${label} required=${required} errors=${errors} hint=${hint} wide=${wide} testid=${testid || name}>
    <select id=${id} name=${name} value=${value ?? ''} aria-invalid=${errors?.length ? 'true' : undefined}
      aria-describedby=${describedBy(id, hint, errors)} data-testid=${testid || `field-${name}`} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${placeholder !== undefined && html`<option value="">${placeholder}</option>`}
      ${options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
    </select>
  </${FieldRow}>`;
}

export function CheckField({ id, name, label, checked, onChange, testid, hint }) {
  return html`<div class="field">
    <label class="check" for=${id}><input id=${id} name=${name} type="checkbox" checked=${checked} data-testid=${testid || `field-${name}`}
      onChange=${(e) => onChange(e.currentTarget.checked)} />${label}</label>
    ${hint && html`<p class="hint">${hint}</p>`}
  </div>`;
}

/** An area by code or name: type either; the matches (of the allowed levels) are offered below the box. */
export function AreaPicker({ id, name = 'area', label, value, onChange, areas = [], levels = null, required, errors, hint, testid = 'field-area' }) {
  const [q, setQ] = useState(null); // null: not typing, the box shows the chosen code
  const byCode = useMemo(() => new Map(areas.map((a) => [a.code, a])), [areas]);
  const options = q === null || !q.trim() ? [] : searchAreas(areas, q, { levels, limit: 6 });
  const exact = options.length === 1 && options[0].code === value;
  const selected = byCode.get(value);
  const listId = `${id}-options`;
  return html`<${FieldRow} id=${id} label=${label} required=${required} errors=${errors} hint=${hint} testid=${name}>
    <input id=${id} name=${name} value=${q ?? value ?? ''} autocomplete="off" role="combobox" aria-autocomplete="list"
      aria-expanded=${options.length > 0 && !exact ? 'true' : 'false'} aria-controls=${listId} aria-invalid=${errors?.length ? 'true' : undefined}
      aria-describedby=${describedBy(id, hint, errors)} placeholder=${t('adm_area_search')} data-testid=${testid}
      onInput=${(e) => { const v = e.currentTarget.value; setQ(v); onChange(v.trim()); }} />
    ${options.length > 0 && !exact && html`<ul class="area-options" id=${listId} role="listbox" aria-label=${label}>
      ${options.map((a) => html`<li key=${a.code} role="option" aria-selected=${a.code === value ? 'true' : 'false'}>
        <button type="button" class="area-option" data-testid=${`${testid}-option`} data-code=${a.code}
          onClick=${() => { onChange(a.code); setQ(null); }}>
          <span>${a.name}</span><span class="meta">${a.code} · ${t(`adm_level_${a.level}`)}</span>
        </button></li>`)}
    </ul>`}
    ${selected && html`<p class="hint" data-testid=${`${testid}-chosen`}>${areaTrail(byCode, selected.code)} · ${t(`adm_level_${selected.level}`)}</p>`}
  </${FieldRow}>`;
}

/** A button that asks once more ("确认停用？") before it acts. */
export function ConfirmButton({ label, confirm, onConfirm, testid, danger = true, busy }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return html`<button type="button" class=${`btn small ${danger ? 'danger' : ''}`} data-testid=${testid} disabled=${busy} onClick=${() => setAsking(true)}>${label}</button>`;
  }
  return html`<span class="confirm" role="group" aria-label=${confirm}>
    <span class="confirm-q">${confirm}</span>
    <button type="button" class=${`btn small ${danger ? 'danger' : 'primary'}`} data-testid=${`${testid}-yes`} disabled=${busy}
      onClick=${async () => { await onConfirm(); setAsking(false); }}>${t('adm_confirm_yes')}</button>
    <button type="button" class="btn small ghost" onClick=${() => setAsking(false)}>${t('cancel')}</button>
  </span>`;
}

/** Activate a record at once (nothing is lost by it), or deactivate it after asking once more. */
export function ActiveToggle({ active, confirm, testid, busy, onSet }) {
  return active === false
    ? html`<button type="button" class="btn" data-testid=${`${testid}-activate`} disabled=${busy} onClick=${() => onSet(true)}>${t('adm_activate')}</button>`
    : html`<${ConfirmButton} label=${t('adm_deactivate')} confirm=${confirm} testid=${`${testid}-deactivate`} busy=${busy} onConfirm=${() => onSet(false)} />`;
}

// "Saved" carried from a form to the list it returns to, shown there once.
let note = null;
export const setNote = (text) => { note = text; };
export function Note() {
  const [text] = useState(() => { const n = note; note = null; return n; });
  return text ? html`<p class="banner ok" role="status" data-testid="admin-note">${text}</p>` : null;
}

export const StatusBadge = ({ active }) => html`<span class=${`badge ${active === false ? 'inactive' : 'ok'}`}>${active === false ? t('adm_inactive') : t('adm_active')}</span>`;
