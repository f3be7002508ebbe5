import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { useAppState, setState, bump } from '../lib/store.js';
import { api, cache, kv, outbox, drain, refreshCounts } from '../lib/services.js';
import { addDays, todayLocal } from '../lib/dates.js';
import { distanceM } from '../lib/cache.js';
import { findingItems, localFinding, newId } from '../lib/compose.js';
import { go } from '../lib/router.js';
import { PhotoPicker } from './Photos.js';
import { categoryName } from './FindingList.js';

const POOR_ACCURACY_M = 100;

function useReference(position) {
  const [refs, setRefs] = useState({ categories: [], criteria: [], enterprises: [] });
  useEffect(() => {
    Promise.all(['categories', 'criteria', 'enterprises'].map((k) => kv.get(`ref:${k}`))).then(([categories, criteria, enterprises]) =>
      setRefs({ categories: categories || [], criteria: criteria || [], enterprises: enterprises || [] }));
  }, []);
  useEffect(() => {
    if (!position) return;
    const near = `${position.lat.toFixed(5)},${position.lng.toFixed(5)}`;
    api.get(`enterprises?near=${near}&limit=50`).then((body) => {
      setRefs((r) => ({ ...r, enterprises: mergeById(body.items, r.enterprises) }));
      kv.get('ref:enterprises').then((all) => kv.set('ref:enterprises', mergeById(body.items, all || [])));
    }, () => {});
  }, [position?.lat, position?.lng]);
  return refs;
}

const mergeById = (first, rest) => [...first, ...rest.filter((e) => !first.some((f) => f.id === e.id))];

function nearestFirst(enterprises, position) {
  if (!position) return enterprises;
  const withLoc = (e) => (e.lat != null ? distanceM(position, e) : Infinity);
  return [...enterprises].sort((a, b) => withLoc(a) - withLoc(b));
}

function Location({ value, onChange }) {
  const [status, setStatus] = useState('');
  function locate() {
    if (!navigator.geolocation) return setStatus(t('gps_unsupported'));
    setStatus(t('gps_waiting'));
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        setStatus('');
        const position = { lat: coords.latitude, lng: coords.longitude, accuracy_m: Math.round(coords.accuracy), source: 'gps' };
        setState({ position });
        onChange(position);
      },
      (error) => setStatus(t('gps_failed', { msg: error.message })),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 },
    );
  }
  useEffect(() => {
    // Locate at once only where the user has already allowed it; the first time, the button asks.
    const query = navigator.permissions?.query?.({ name: 'geolocation' });
    if (!query) return locate();
    query.then((status) => status.state === 'granted' && locate(), () => {});
  }, []);
  const manual = (field) => (e) => {
    const number = parseFloat(e.currentTarget.value);
    if (Number.isFinite(number)) onChange({ ...(value || { lat: 0, lng: 0 }), [field]: number, source: 'manual', accuracy_m: null });
  };
  return html`<fieldset class="field">
    <legend>${t('location')}</legend>
    <div class="row">
      <button type="button" class="btn" onClick=${locate} data-testid="gps-locate">${t('gps_get')}</button>
      <span role="status" aria-live="polite" data-testid="gps-accuracy">
        ${status || (value?.accuracy_m != null ? t('gps_accuracy', { m: value.accuracy_m }) : '')}</span>
    </div>
    ${value?.accuracy_m > POOR_ACCURACY_M && html`<p class="warn-text" role="alert">${t('gps_poor')}</p>`}
    <details>
      <summary>${t('manual_location')}</summary>
      <div class="two">
        <div><label for="nf-lat">${t('lat')}</label>
          <input id="nf-lat" type="number" step="0.00001" min="-90" max="90" inputmode="decimal" value=${value?.lat ?? ''} onChange=${manual('lat')} /></div>
        <div><label for="nf-lng">${t('lng')}</label>
          <input id="nf-lng" type="number" step="0.00001" min="-180" max="180" inputmode="decimal" value=${value?.lng ?? ''} onChange=${manual('lng')} /></div>
      </div>
    </details>
  </fieldset>`;
}

export function NewFinding({ user }) {
  const { lang, position: lastPosition } = useAppState();
  const [location, setLocation] = useState(null);
  const refs = useReference(location);
  const today = todayLocal();
  const [level, setLevel] = useState('general');
  const [deadline, setDeadline] = useState(addDays(today, 7));
  const [deadlineTouched, setDeadlineTouched] = useState(false);
  const [photos, setPhotos] = useState([]);
  const [afterPhotos, setAfterPhotos] = useState([]);
  const [fixOnSpot, setFixOnSpot] = useState(false);
  const [error, setError] = useState('');
  const [enterpriseId, setEnterpriseId] = useState('');
  const [id] = useState(newId);
  const inspector = user.role === 'inspector';
  const canFix = inspector && level === 'general';

  function changeLevel(e) {
    const next = e.currentTarget.value;
    setLevel(next);
    if (!deadlineTouched) setDeadline(addDays(today, next === 'major' ? 30 : 7));
  }

  async function save(event) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget));
    const fix = canFix && fixOnSpot;
    if (fix && !afterPhotos.length) return setError(t('need_after_photo'));
    if (level === 'major' && (!form.criterion || !String(form.clause || '').trim())) return setError(t('need_basis'));
    const items = findingItems({
      id,
      enterpriseId: enterpriseId || form.enterprise,
      category: form.category,
      level,
      title: form.title,
      description: form.description,
      location: location && Number.isFinite(location.lat) ? location : null,
      address: form.address,
      deadline,
      criterion: form.criterion,
      clause: form.clause || '',
      fixOnSpot: fix,
      measures: form.measures || '',
      completedOn: form.completed_on,
      photos,
      afterPhotos,
    });
    await outbox.add(items);
    await cache.put(localFinding(items[0].body, refs, user));
    await refreshCounts();
    bump();
    go(`/f/${id}`);
    drain();
  }

  const enterprises = nearestFirst(refs.enterprises, location || lastPosition);
  return html`<form class="new-finding" onSubmit=${save} aria-labelledby="nf-title" novalidate=${false}>
    <a class="btn small ghost" href="#/"><span aria-hidden="true">← </span>${t('back')}</a>
    <h1 id="nf-title" class="h1">${t('new_finding')}</h1>
    <${PhotoPicker} id="nf-photos" photos=${photos} onChange=${setPhotos} testid="finding-photo-input" label=${t('take_photos')} />
    <${Location} value=${location} onChange=${setLocation} />
    <div class="field"><label for="nf-address">${t('address')}</label>
      <input id="nf-address" name="address" maxlength="300" autocomplete="street-address" /></div>
    <div class="field"><label for="nf-enterprise">${t('enterprise')}${location ? ` · ${t('nearest_enterprises')}` : ''}</label>
      <select id="nf-enterprise" name="enterprise" data-testid="finding-enterprise" required=${inspector}
        value=${enterpriseId} onChange=${(e) => setEnterpriseId(e.currentTarget.value)}>
        <option value="">${t('choose')}</option>
        ${enterprises.map((e) => html`<option key=${e.id} value=${String(e.id)}>${e.name}${e.distance_m != null ? ` (${t('metres', { m: Math.round(e.distance_m) })})` : ''}</option>`)}
      </select></div>
    <div class="field"><label for="nf-category">${t('category')}</label>
      <select id="nf-category" name="category" data-testid="finding-category" required>
        <option value="">${t('choose')}</option>
        ${refs.categories.map((c) => html`<option key=${c.code} value=${c.code}>${categoryName(c, lang)}</option>`)}
      </select></div>
    <div class="field"><label for="nf-level">${t('level')}</label>
      <select id="nf-level" name="level" data-testid="finding-level" value=${level} onChange=${changeLevel}>
        <option value="general">${t('level_general')}</option>
        <option value="major">${t('level_major')}</option>
      </select></div>
    ${level === 'major' && html`<div class="field"><label for="nf-criterion">${t('criterion')}</label>
        <select id="nf-criterion" name="criterion" data-testid="finding-criterion" required>
          <option value="">${t('choose')}</option>
          ${refs.criteria.map((c) => html`<option value=${c.code}>${c.title} ${c.document_number}</option>`)}
        </select></div>
      <div class="field"><label for="nf-clause">${t('clause')}</label>
        <input id="nf-clause" name="clause" data-testid="finding-clause" required maxlength="100" /></div>`}
    <div class="field"><label for="nf-title-input">${t('title')}</label>
      <input id="nf-title-input" name="title" data-testid="finding-title" required maxlength="200" /></div>
    <div class="field"><label for="nf-description">${t('description')}</label>
      <textarea id="nf-description" name="description" data-testid="finding-description" rows="4" maxlength="5000" /></div>
    ${canFix && html`<label class="check field"><input type="checkbox" checked=${fixOnSpot} data-testid="finding-fix-on-spot"
      onChange=${(e) => setFixOnSpot(e.currentTarget.checked)} /> ${t('fix_on_spot')}</label>`}
    ${canFix && fixOnSpot ? html`<fieldset class="field card"><legend>${t('fix_on_spot')}</legend>
        <div class="field"><label for="nf-measures">${t('fix_measures')}</label>
          <textarea id="nf-measures" name="measures" rows="3" required data-testid="rectification-measures" /></div>
        <div class="field"><label for="nf-completed">${t('completed_on')}</label>
          <input id="nf-completed" name="completed_on" type="date" value=${today} max=${today} required /></div>
        <${PhotoPicker} id="nf-after" photos=${afterPhotos} onChange=${setAfterPhotos} testid="rectification-photo-input" label=${t('after_photos')} />
      </fieldset>`
    : html`<div class="field"><label for="nf-deadline">${t('deadline')}</label>
        <input id="nf-deadline" type="date" data-testid="finding-deadline" value=${deadline} min=${today} required
          aria-describedby="nf-deadline-hint" onInput=${(e) => { setDeadline(e.currentTarget.value); setDeadlineTouched(true); }} />
        <p id="nf-deadline-hint" class="hint">${t('deadline_default')}</p></div>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button class="btn primary block big" data-testid="finding-save">${t('save_finding')}</button>
  </form>`;
}
