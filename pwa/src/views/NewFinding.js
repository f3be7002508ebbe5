import { useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState } from '../lib/store.js';
import { cache, submit } from '../lib/services.js';
import { addDays, todayLocal } from '../lib/dates.js';
import { findingItems, localFinding, newId } from '../lib/compose.js';
import { reportFields } from '../lib/forms.js';
import { settlePhotos } from '../lib/picked.js';
import { go } from '../lib/router.js';
import { PhotoPicker, usePicked } from './Photos.js';
import { Location } from './Location.js';
import { EnterprisePicker } from './EnterprisePicker.js';
import { BasisFields, CategoryField, DateField, Field, LevelField, NatureField, SaveButton, useRefs } from './Fields.js';

const defaultDeadline = (today, level) => addDays(today, level === 'major' ? 30 : 7);

/** Asked before a report without a photo is saved: without one, the finding is hard to verify. */
function NoPhotoQuestion({ onSave, onBack }) {
  return html`<div class="card ask" role="alertdialog" aria-labelledby="nf-ask-title" aria-describedby="nf-ask-body" data-testid="no-photo-question">
    <h2 id="nf-ask-title">${t('no_photo_title')}</h2>
    <p id="nf-ask-body">${t('no_photo_body')}</p>
    <div class="row">
      <button type="button" class="btn primary" data-testid="save-without-photo" onClick=${onSave}>${t('no_photo_save')}</button>
      <button type="button" class="btn ghost" onClick=${onBack}>${t('no_photo_back')}</button>
    </div>
  </div>`;
}

/** The new-finding form; which fields it has for the user's role comes from lib/forms.js. */
export function NewFinding({ user }) {
  const { lang, position: lastPosition } = useAppState();
  const refs = useRefs();
  const today = todayLocal();
  const formRef = useRef();
  const [id] = useState(newId);
  const [location, setLocation] = useState(null);
  const [level, setLevel] = useState('general');
  const [nature, setNature] = useState('');
  const [fixOnSpot, setFixOnSpot] = useState(false);
  const [deadline, setDeadline] = useState(defaultDeadline(today, 'general'));
  const [deadlineTouched, setDeadlineTouched] = useState(false);
  const [enterprise, setEnterprise] = useState(null);
  const [photos, setPhotos, photosRef] = usePicked();
  const [afterPhotos, setAfterPhotos, afterRef] = usePicked();
  const [busy, setBusy] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState('');
  const fields = reportFields(user.role, { level, fixOnSpot });
  const fix = fields.some((f) => f.name === 'rectification');

  function changeLevel(next) {
    setLevel(next);
    if (!deadlineTouched) setDeadline(defaultDeadline(today, next));
  }

  /** Every picked photo, once shrunk (the button counts them); null when one could not be. */
  async function ready(ref) {
    const { photos: done, failed } = await settlePhotos(ref.current, (n, total) => setBusy(t('saving_photos', { done: n, total })));
    return failed.length ? null : done;
  }

  async function save(event, { withoutPhoto = false } = {}) {
    event?.preventDefault();
    if (busy) return;
    const form = Object.fromEntries(new FormData(formRef.current));
    setError('');
    setAsking(false);
    setBusy(t('saving'));
    const evidence = await ready(photosRef);
    const after = fix ? await ready(afterRef) : [];
    const problem = !evidence || !after ? 'photo_remove_failed' : fix && !after.length ? 'need_after_photo' : '';
    if (problem || (!evidence.length && !withoutPhoto)) {
      setBusy('');
      return problem ? setError(t(problem)) : setAsking(true);
    }
    const items = findingItems({
      id, enterpriseId: enterprise?.id, category: form.category, level, nature: form.nature,
      title: form.title, description: form.description, address: form.address,
      location: location && Number.isFinite(location.lat) ? location : null,
      deadline, criterion: form.criterion, clause: form.clause || '',
      fixOnSpot, measures: form.measures || '', completedOn: form.completed_on,
      photos: evidence, afterPhotos: after,
    }, new Date(), user.role);
    await cache.put(localFinding(items[0].body, { ...refs, enterprises: enterprise ? [enterprise] : [] }, user));
    await submit(items, id);
    go(`/f/${id}`);
  }

  const draw = {
    photos: () => html`<${PhotoPicker} id="nf-photos" photos=${photos} onChange=${setPhotos} testid="finding-photo-input" label=${t('take_photos')} />`,
    title: () => html`<${Field} id="nf-title-input" label=${t('title')}>
      <input id="nf-title-input" name="title" data-testid="finding-title" required maxlength="200" /></${Field}>`,
    description: () => html`<${Field} id="nf-description" label=${t('description')}>
      <textarea id="nf-description" name="description" data-testid="finding-description" rows="4" maxlength="5000" /></${Field}>`,
    nature: (f) => html`<${NatureField} value=${nature} onChange=${setNature} required=${f.required} testid="finding-nature" />`,
    enterprise: (f) => html`<${EnterprisePicker} id="nf-enterprise" label=${t('enterprise')} value=${enterprise} onChange=${setEnterprise}
      near=${location || lastPosition} required=${f.required} />`,
    category: () => html`<${CategoryField} id="nf-category" categories=${refs.categories} lang=${lang} testid="finding-category" />`,
    level: (f) => html`<${LevelField} id="nf-level" value=${level} onChange=${changeLevel} label=${f.label} testid="finding-level"
      hint=${f.label === 'level_suggested' ? t('level_suggested_hint') : ''} />`,
    major_basis: () => html`<${BasisFields} idPrefix="nf" criteria=${refs.criteria} required testidPrefix="finding" />`,
    fix_on_spot: () => html`<label class="check field"><input type="checkbox" checked=${fixOnSpot} data-testid="finding-fix-on-spot"
      onChange=${(e) => setFixOnSpot(e.currentTarget.checked)} /> ${t('fix_on_spot')}</label>`,
    rectification: () => html`<fieldset class="field card"><legend>${t('fix_on_spot')}</legend>
      <${Field} id="nf-measures" label=${t('fix_measures')}>
        <textarea id="nf-measures" name="measures" rows="3" required data-testid="rectification-measures" /></${Field}>
      <${DateField} id="nf-completed" name="completed_on" label=${t('completed_on')} value=${today} max=${today} required />
      <${PhotoPicker} id="nf-after" photos=${afterPhotos} onChange=${setAfterPhotos} testid="rectification-photo-input" label=${t('after_photos')} />
    </fieldset>`,
    deadline: () => html`<${DateField} id="nf-deadline" label=${t('deadline')} value=${deadline} min=${today} required
      hint=${t('deadline_default')} testid="finding-deadline"
      onInput=${(e) => { setDeadline(e.currentTarget.value); setDeadlineTouched(true); }} />`,
    location: () => html`<${Location} value=${location} onChange=${setLocation} />`,
    address: () => html`<${Field} id="nf-address" label=${t('address')}>
      <input id="nf-address" name="address" maxlength="300" autocomplete="street-address" /></${Field}>`,
  };

  return html`<form class="new-finding" ref=${formRef} onSubmit=${save} aria-labelledby="nf-title" data-role=${user.role}>
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="nf-title" class="h1">${t('new_finding')}</h1>
    ${fields.map((f) => html`<div key=${f.name} class="slot" data-field=${f.name}>${draw[f.name](f)}</div>`)}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${asking && html`<${NoPhotoQuestion} onSave=${() => save(null, { withoutPhoto: true })} onBack=${() => { setAsking(false); document.getElementById('nf-photos')?.focus(); }} />`}
    <${SaveButton} busy=${busy} label=${t('save_finding')} testid="finding-save" />
  </form>`;
}
