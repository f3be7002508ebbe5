// The supervisor's map: the located findings of the desk's filter. A lazy chunk of its own (route #/map).
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';
import '../../i18n/map.js';

export function DeskMap() {
  return html`<section aria-labelledby="map-title" class="desk-map">
    <h1 id="map-title" class="h1">${t('map_title')}</h1>
    <div data-testid="findings-map" class="map-canvas"><p role="status">${t('map_loading')}</p></div>
  </section>`;
}
