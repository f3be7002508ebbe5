import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { kv, outbox, drain, refreshCounts } from '../lib/services.js';
import { addDays, todayLocal } from '../lib/dates.js';
import { actionItems } from '../lib/compose.js';
import { PhotoPicker } from './Photos.js';
import { bump } from '../lib/store.js';

const Field = ({ id, label, children, hint }) => html`<div class="field">
  <label for=${id}>${label}</label>${children}${hint && html`<p class="hint">${hint}</p>`}
</div>`;

/** Collects the payload of one action; what it asks for follows the lifecycle's guards. */
export function ActionForm({ finding: f, action, chained, onDone, onCancel }) {
  const today = todayLocal();
  const [photos, setPhotos] = useState([]);
  const [error, setError] = useState('');
  const [level, setLevel] = useState(f.level);
  const [refs, setRefs] = useState({ criteria: [], enterprises: [] });
  const headingRef = useRef();
  useEffect(() => headingRef.current?.focus(), []); // the buttons make way for the form: keep the focus here
  useEffect(() => {
    Promise.all([kv.get('ref:criteria'), kv.get('ref:enterprises')]).then(([criteria, enterprises]) =>
      setRefs({ criteria: criteria || [], enterprises: enterprises || [] }));
  }, []);
  const id = (name) => `af-${action}-${name}`;
  const commentLabel = { request_extension: 'reason', void: 'reason', reopen: 'reason', comment: 'text' }[action] || 'comment';
  const commentRequired = ['reject', 'request_extension', 'void', 'reopen', 'comment'].includes(action);
  const hasComment = !['acknowledge', 'submit_plan', 'submit_rectification', 'confirm'].includes(action);

  async function submit(event) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget));
    const text = (form.comment || '').trim();
    let payload = {};
    if (action === 'confirm') {
      payload = { level: form.level, deadline: form.deadline };
      if (form.enterprise_id) payload.enterprise_id = Number(form.enterprise_id);
      if (form.level === 'major' && form.criterion) payload.major_basis = { criterion: form.criterion, clause: form.clause.trim() };
    } else if (action === 'submit_plan') {
      const { measures, responsible, funds, time_limit, contingency } = form;
      payload = { plan: { measures, responsible, funds, time_limit, contingency } };
    } else if (action === 'request_extension') {
      payload = { new_deadline: form.new_deadline, reason: text };
    } else if (action === 'decide_extension') {
      payload = { approved: form.approved === 'yes', ...(text && { comment: text }) };
    } else if (action === 'submit_rectification') {
      if (!photos.length) return setError(t('need_after_photo'));
      payload = { measures: form.measures.trim(), completed_on: form.completed_on };
    } else if (action === 'approve') {
      payload = { on_site: form.on_site === 'on', ...(text && { comment: text }) };
    } else if (action === 'reject') {
      payload = { comment: text, ...(form.new_deadline && { new_deadline: form.new_deadline }) };
    } else if (action === 'void') {
      payload = { reason: text };
    } else if (action === 'reopen') {
      payload = { reason: text, new_deadline: form.new_deadline };
    } else if (action === 'comment') {
      payload = { text };
    }
    const items = actionItems(f, action, payload, action === 'submit_rectification' ? photos : [], {
      chained: chained && action !== 'comment',
    });
    if (action === 'comment') delete items[items.length - 1].version; // comments need no version
    await outbox.add(items);
    await refreshCounts();
    bump();
    onDone();
    drain();
  }

  const dateInput = (name, value, extra = {}) => html`<input id=${id(name)} name=${name} type="date" value=${value} min=${extra.min} max=${extra.max}
    required=${extra.required} data-testid=${`action-${name.replace('_', '-')}`} />`;

  return html`<form class="card action-form" onSubmit=${submit} aria-label=${t(`action_${action}`)} data-testid="action-form">
    <h3 ref=${headingRef} tabindex="-1">${t(`action_${action}`)}</h3>
    ${action === 'confirm' && html`
      <${Field} id=${id('level')} label=${t('level')}>
        <select id=${id('level')} name="level" value=${level} onChange=${(e) => setLevel(e.currentTarget.value)} data-testid="action-level">
          <option value="general">${t('level_general')}</option><option value="major">${t('level_major')}</option>
        </select></${Field}>
      <${Field} id=${id('deadline')} label=${t('deadline')}>${dateInput('deadline', addDays(today, level === 'major' ? 30 : 7), { min: today, required: true })}</${Field}>
      ${!f.enterprise && html`<${Field} id=${id('enterprise_id')} label=${t('enterprise')}>
        <select id=${id('enterprise_id')} name="enterprise_id" required data-testid="action-enterprise">
          <option value="">${t('choose')}</option>
          ${refs.enterprises.map((e) => html`<option value=${e.id}>${e.name}</option>`)}
        </select></${Field}>`}
      ${level === 'major' && !f.major_basis && html`
        <${Field} id=${id('criterion')} label=${t('criterion')}>
          <select id=${id('criterion')} name="criterion" required><option value="">${t('choose')}</option>
            ${refs.criteria.map((c) => html`<option value=${c.code}>${c.title}</option>`)}</select></${Field}>
        <${Field} id=${id('clause')} label=${t('clause')}><input id=${id('clause')} name="clause" required /></${Field}>`}`}
    ${action === 'submit_plan' && html`
      <${Field} id=${id('measures')} label=${t('plan_measures')}><textarea id=${id('measures')} name="measures" required rows="3" /></${Field}>
      <${Field} id=${id('responsible')} label=${t('plan_responsible')}><input id=${id('responsible')} name="responsible" required /></${Field}>
      <${Field} id=${id('funds')} label=${t('plan_funds')}><input id=${id('funds')} name="funds" required /></${Field}>
      <${Field} id=${id('time_limit')} label=${t('plan_time_limit')}>${dateInput('time_limit', f.deadline || addDays(today, 30), { min: today, required: true })}</${Field}>
      <${Field} id=${id('contingency')} label=${t('plan_contingency')}><textarea id=${id('contingency')} name="contingency" required rows="3" /></${Field}>`}
    ${action === 'submit_rectification' && html`
      <${Field} id=${id('measures')} label=${t('rect_measures')}>
        <textarea id=${id('measures')} name="measures" required rows="3" data-testid="rectification-measures" /></${Field}>
      <${Field} id=${id('completed_on')} label=${t('completed_on')}>${dateInput('completed_on', today, { max: today, required: true })}</${Field}>
      <${PhotoPicker} id=${id('photos')} photos=${photos} onChange=${setPhotos} testid="rectification-photo-input" label=${t('after_photos')} />`}
    ${action === 'request_extension' && html`
      <${Field} id=${id('new_deadline')} label=${t('new_deadline')}>${dateInput('new_deadline', addDays(f.deadline && f.deadline > today ? f.deadline : today, 14), { min: today, required: true })}</${Field}>`}
    ${action === 'decide_extension' && html`<fieldset class="field"><legend>${t('decision')}</legend>
      <label class="check"><input type="radio" name="approved" value="yes" checked data-testid="action-approved" /> ${t('approved')}</label>
      <label class="check"><input type="radio" name="approved" value="no" data-testid="action-denied" /> ${t('denied')}</label></fieldset>`}
    ${action === 'approve' && html`<label class="check field"><input type="checkbox" name="on_site" required=${f.level === 'major'} data-testid="action-on-site" /> ${t('on_site')}${f.level === 'major' ? ` (${t('required')})` : ''}</label>`}
    ${(action === 'reject' || action === 'reopen') && html`
      <${Field} id=${id('new_deadline')} label=${t('new_deadline')}>${dateInput('new_deadline', addDays(today, f.level === 'major' ? 30 : 7), { min: today, required: action === 'reopen' })}</${Field}>`}
    ${hasComment && html`<${Field} id=${id('comment')} label=${t(commentLabel)}>
      <textarea id=${id('comment')} name="comment" rows="3" required=${commentRequired} data-testid="action-comment" /></${Field}>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="row">
      <button class="btn primary" data-testid="action-submit">${t('submit')}</button>
      <button type="button" class="btn ghost" onClick=${onCancel}>${t('cancel')}</button>
    </div>
  </form>`;
}
