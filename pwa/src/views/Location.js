import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { t } from '../i18n/index.js';
import { setState } from '../lib/store.js';

const POOR_ACCURACY_M = 100;
const GPS_ERRORS = { 1: 'gps_denied', 2: 'gps_unavailable', 3: 'gps_timeout' }; // GeolocationPositionError codes

/** Where the finding is: GPS when the phone gives it, typed in otherwise. */
export function Location({ value, onChange }) {
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
      (error) => setStatus(t('gps_failed', { msg: t(GPS_ERRORS[error.code] || 'gps_unavailable') })), // not the browser's English
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
