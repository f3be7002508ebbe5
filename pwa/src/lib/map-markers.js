// What the map draws, without Leaflet: which findings have a place, the tone (colour) of each marker and of a
// cluster, the popup's lines, the layers and the names the map must show. The view (views/desk/map-leaflet.js)
// only turns these into Leaflet objects, so all of it is tested here.
import { t } from '../i18n/index.js';
import { STATUSES } from './desk-filters.js';

// Overdue first: a red marker is the first thing a supervisor should see. Then what waits on someone.
export const TONES = ['overdue', 'pending_review', 'reported', 'rectifying', 'closed', 'voided'];

/** A finding's marker tone: overdue (red) whatever its state, else its state. */
export const toneOf = (props) => (props?.overdue ? 'overdue' : STATUSES.includes(props?.status) ? props.status : 'rectifying');

/** A cluster's tone: the most urgent of its findings'. */
export function clusterTone(tones) {
  let best = TONES.length - 1;
  for (const tone of tones) best = Math.min(best, Math.max(0, TONES.indexOf(tone)));
  return TONES[best];
}

/** The legend, in the tones' order: [{ tone, label }]. */
export const legend = () => TONES.map((tone) => ({ tone, label: tone === 'overdue' ? t('map_tone_overdue') : t(`status_${tone}`) }));

const finite = (n, low, high) => typeof n === 'number' && Number.isFinite(n) && n >= low && n <= high;

/** The features of a GeoJSON FeatureCollection that can be placed: a Point with [lng, lat] on the globe and an id. */
export function located(collection) {
  const features = Array.isArray(collection?.features) ? collection.features : [];
  return features.filter((feature) => {
    const [lng, lat] = feature?.geometry?.type === 'Point' ? feature.geometry.coordinates || [] : [];
    return finite(lng, -180, 180) && finite(lat, -90, 90) && feature.properties?.id;
  });
}

/** The popup's content for one finding, as text (the view puts it in the DOM as text, never as HTML). */
export function popupLines(props) {
  const status = t(`status_${props.status}`);
  const overdue = props.overdue && props.days_overdue > 0 ? t('overdue_days', { n: props.days_overdue }) : props.overdue ? t('map_tone_overdue') : '';
  return {
    number: props.number || '',
    title: props.title || '',
    status: overdue ? `${status} · ${overdue}` : status,
    tone: toneOf(props),
    level: props.level === 'major' ? t('level_major') : '',
    place: [props.enterprise, props.area].filter(Boolean).join(' · '),
    deadline: props.deadline ? t('map_deadline', { date: props.deadline }) : '',
    href: `#/f/${encodeURIComponent(props.id)}`,
    open: t('map_open'),
  };
}

/** A marker's accessible name: its number and title. */
export const markerLabel = (props) => [props.number, props.title].filter(Boolean).join(' ');

/** The cluster icon's size in px, growing with its count (so 1,000 reads bigger than 12). */
export const clusterSize = (count) => (count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 46 : 54);

/** The tile layers to draw, from /map/config: [{ url, options }] for Leaflet's L.tileLayer. */
export function tileLayers(config) {
  return (config?.layers || []).filter((layer) => typeof layer?.url === 'string' && layer.url).map((layer) => ({
    url: layer.url,
    options: {
      minZoom: layer.min_zoom ?? 0,
      maxZoom: layer.max_zoom ?? 18,
      ...(layer.subdomains ? { subdomains: layer.subdomains } : {}),
    },
  }));
}

/** The zoom range of the map: that of its tiles, or 1–18 on the plain background. */
export function zoomRange(config) {
  const layers = tileLayers(config);
  if (!layers.length) return { minZoom: 1, maxZoom: 18 };
  return { minZoom: Math.max(...layers.map((l) => l.options.minZoom)), maxZoom: Math.min(...layers.map((l) => l.options.maxZoom)) };
}

/** The source and 审图号 the map names in its corner, as plain text parts. */
export const attributionParts = (config) => [config?.attribution, config?.review_no].map((s) => (s || '').trim()).filter(Boolean);

/** Text made safe for Leaflet's attribution control, which writes it as HTML. */
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The [[south, west], [north, east]] around these [lat, lng] positions, or null for none. */
export function boundsOf(positions) {
  if (!positions.length) return null;
  let [south, west] = positions[0];
  let [north, east] = positions[0];
  for (const [lat, lng] of positions) {
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    west = Math.min(west, lng);
    east = Math.max(east, lng);
  }
  return [[south, west], [north, east]];
}

/** What the base map's note says: nothing while tiles load, 底图不可用 when none of a round's tiles came,
 * 未配置底图 when the deployment configured none. */
export function baseNote(config, round) {
  if (config && !tileLayers(config).length) return t('map_no_tiles_configured');
  return round && round.errors > 0 && round.loaded === 0 ? t('map_tiles_unavailable') : '';
}
