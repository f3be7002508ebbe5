import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { submit } from '../lib/services.js';
import { addDays, todayLocal } from '../lib/dates.js';
import { actionItems, actionPayload } from '../lib/compose.js';
import { SUPERVISION_LEVELS, actionFields, pendingRequest } from '../lib/forms.js';
import { settlePhotos } from '../lib/picked.js';
import { PhotoPicker, usePicked } from './Photos.js';
import { EnterprisePicker } from './EnterprisePicker.js';
import { Location } from './Location.js';
import { BasisFields, CategoryField, DateField, Field, LevelField, NatureField, SaveButton, useRefs } from './Fields.js';

const later = (a, b) => (a && a > b ? a : b);
const TEXT_FIELDS = ['comment', 'reason', 'text'];
const PLAN_LONG = new Set(['plan_objective', 'plan_measures', 'plan_contingency']);

/** The pending extension request, as the supervisor decides on it: asked-for date, current deadline, reason. */
function RequestShown({ request, deadline }) {
  return html`<div class="field card quiet" data-testid="extension-request-shown">
    <p><strong>${t('ext_requested', { date: request.requested_deadline })}</strong></p>
    <p class="meta">${t('ext_current_deadline', { date: request.previous_deadline || deadline || '—' })}</p>
    ${request.reason && html`<p>${t('ext_reason', { reason: request.reason })}</p>`}
  </div>`;
}

/** Collects one action's payload. Which fields it asks for is lib/forms.js's table; this draws them. */
export function ActionForm({ finding: f, action, chained, onDone, onCancel }) {
  const { lang } = useAppState();
  const refs = useRefs();
  const today = todayLocal();
  const [level, setLevel] = useState(f.level);
  const termFor = (lvl) => addDays(today, lvl === 'major' ? 30 : 7);
  const [deadline, setDeadline] = useState({ value: termFor(f.level), touched: false });
  // a new level suggests its usual term, unless the user has already typed a deadline
  const changeLevel = (next) => {
    setLevel(next);
    setDeadline((d) => (d.touched ? d : { value: termFor(next), touched: false }));
  };
  const [approved, setApproved] = useState('yes');
  const [position, setPosition] = useState(null); // where the phone is: a listed hazard is approved on site
  const [offSite, setOffSite] = useState(false);
  // controlled: Preact puts a controlled value back on every render, so each choice lives in the state
  const [nature, setNature] = useState(f.nature || '');
  const [category, setCategory] = useState(f.category?.code || '');
  const [enterprise, setEnterprise] = useState(f.enterprise || null);
  const [photos, setPhotos, photosRef] = usePicked();
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const headingRef = useRef();
  useEffect(() => headingRef.current?.focus(), []); // the buttons make way for the form: keep the focus here
  const fields = actionFields(action, f, { level, approved, offSite });
  const request = pendingRequest(f);
  const id = (name) => `af-${action}-${name}`;
  const testid = (name) => `action-${name.replaceAll('_', '-')}`;

  async function send(event) {
    event.preventDefault();
    if (busy) return;
    const values = Object.fromEntries(new FormData(event.currentTarget));
    if (enterprise) values.enterprise_id = String(enterprise.id);
    if (position && fields.some((x) => x.name === 'site_location')) values.location = position;
    let ready = [];
    if (fields.some((x) => x.name === 'after_photos')) {
      setBusy(t('saving'));
      const settled = await settlePhotos(photosRef.current, (n, total) => setBusy(t('saving_photos', { done: n, total })));
      setBusy('');
      if (settled.failed.length) return setError(t('photo_remove_failed'));
      if (!settled.photos.length) return setError(t('need_after_photo'));
      ready = settled.photos;
    }
    const items = actionItems(f, action, actionPayload(action, values, f), ready, { chained: chained && action !== 'comment' });
    if (action === 'comment') delete items[items.length - 1].version; // comments need no version
    await submit(items, f.id);
    onDone();
  }

  const date = (name, label, value, extra = {}) => html`<${DateField} id=${id(name)} name=${name} label=${label} value=${value}
    testid=${testid(name)} ...${extra} />`;
  const text = (x, rows = 3) => html`<${Field} id=${id(x.name)} label=${t(x.label)}>
    <textarea id=${id(x.name)} name=${x.name} rows=${rows} required=${x.required} data-testid=${TEXT_FIELDS.includes(x.name) ? 'action-comment' : testid(x.name)} /></${Field}>`;
  const draw = {
    deadline: (x) => date('deadline', t('deadline'), deadline.value, { min: today, required: x.required, hint: t('deadline_default'),
      onInput: (e) => setDeadline({ value: e.currentTarget.value, touched: true }) }),
    level: () => html`<${LevelField} id=${id('level')} value=${level} onChange=${changeLevel} testid="action-level" />`,
    category: () => html`<${CategoryField} id=${id('category')} categories=${refs.categories} lang=${lang} value=${category} onChange=${setCategory} testid="action-category" />`,
    nature: () => html`<${NatureField} value=${nature} onChange=${setNature} testid="action-nature" />`,
    enterprise: (x) => html`<${EnterprisePicker} id=${id('enterprise')} label=${t('enterprise')} value=${enterprise} onChange=${setEnterprise}
      near=${f.location} required=${x.required} />`,
    major_basis: (x) => html`<${BasisFields} idPrefix=${id('basis')} criteria=${refs.criteria} required=${x.required} />`,
    plan_time_limit: (x) => date('plan_time_limit', t('plan_time_limit'), f.deadline || addDays(today, 30), { min: today, max: f.deadline, required: x.required }),
    new_deadline: (x) => action === 'request_extension'
      ? date('new_deadline', t('new_deadline'), addDays(later(f.deadline, today), 14), { min: addDays(later(f.deadline, today), 1), required: true })
      : date('new_deadline', t(x.label), action === 'reopen' ? addDays(today, f.level === 'major' ? 30 : 7) : '', {
        min: today, required: x.required, hint: x.required ? '' : t('new_deadline_optional_hint') }),
    extension_request: () => html`<${RequestShown} request=${request} deadline=${f.deadline} />`,
    approved: () => html`<fieldset class="field"><legend>${t('decision')}</legend>
      <label class="check"><input type="radio" name="approved" value="yes" checked=${approved === 'yes'} onChange=${() => setApproved('yes')} data-testid="action-approved" /> ${t('approved')}</label>
      <label class="check"><input type="radio" name="approved" value="no" checked=${approved === 'no'} onChange=${() => setApproved('no')} data-testid="action-denied" /> ${t('denied')}</label></fieldset>`,
    granted_deadline: (x) => date('granted_deadline', t('granted_deadline'), request?.requested_deadline || '', {
      min: f.deadline ? addDays(f.deadline, 1) : today, max: request?.requested_deadline, required: x.required, hint: t('granted_hint') }),
    completed_on: (x) => date('completed_on', t('completed_on'), today, { max: today, required: x.required }),
    after_photos: () => html`<${PhotoPicker} id=${id('photos')} photos=${photos} onChange=${setPhotos} testid="rectification-photo-input" label=${t('after_photos')} />`,
    on_site: (x) => html`<label class="check field"><input type="checkbox" name="on_site" required=${x.required} data-testid="action-on-site" />
      ${t('on_site')}${x.required ? ` (${t('required')})` : ''}</label>`,
    supervision_level: () => html`<${Field} id=${id('supervision_level')} label=${t('supervision_level')}>
      <select id=${id('supervision_level')} name="supervision_level" required data-testid="action-supervision-level">
        ${SUPERVISION_LEVELS.map((v) => html`<option value=${v} selected=${v === 'county'}>${t(`supervision_level_${v}`)}</option>`)}
      </select></${Field}>`,
    authority: (x) => line(x, t('authority_hint')),
    document_no: (x) => line(x, t('document_no_hint')),
    leader: (x) => line(x),
    lead_department: (x) => line(x, t('lead_department_hint')),
    public: () => html`<label class="check field"><input type="checkbox" name="public" data-testid="action-public" /> ${t('public')}</label>`,
    site_location: () => html`<div data-testid="action-site-location"><p class="meta">${t('site_location_hint')}</p>
      <${Location} value=${position} onChange=${setPosition} /></div>`,
    off_site_reason: (x) => html`<${Field} id=${id(x.name)} label=${t(x.label)}>
      <textarea id=${id(x.name)} name=${x.name} rows="2" data-testid="action-off-site-reason"
        onInput=${(e) => setOffSite(Boolean(e.currentTarget.value.trim()))} /></${Field}>`,
    measures: (x) => html`<${Field} id=${id('measures')} label=${t(x.label)}>
      <textarea id=${id('measures')} name="measures" required rows="3" data-testid="rectification-measures" /></${Field}>`,
  };
  const line = (x, hint = '') => html`<${Field} id=${id(x.name)} label=${t(x.label)} hint=${hint}>
    <input id=${id(x.name)} name=${x.name} required=${x.required} maxlength="200" data-testid=${testid(x.name)} /></${Field}>`;
  const drawField = (x) => (draw[x.name] ? draw[x.name](x) : text(x, PLAN_LONG.has(x.name) ? 3 : 2));

  return html`<form class="card action-form" onSubmit=${send} aria-label=${t(`action_${action}`)} data-testid="action-form" data-action=${action}>
    <h3 ref=${headingRef} tabindex="-1">${t(`action_${action}`)}</h3>
    ${fields.map((x) => html`<div key=${x.name} class="slot" data-field=${x.name}>${drawField(x)}</div>`)}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="row">
      <${SaveButton} busy=${busy} label=${t('submit')} testid="action-submit" cls="btn primary" />
      <button type="button" class="btn ghost" onClick=${onCancel}>${t('cancel')}</button>
    </div>
  </form>`;
}
