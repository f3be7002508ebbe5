// Leaflet for the desk's map: the tiles the server configured, the findings as clustered markers, a popup per
// finding. Only the map's chunk imports this file, so Leaflet (and its CSS, loaded with the chunk as a file: the
// CSP allows no inline style) never weighs on the first screen. What is drawn is decided in lib/map-markers.js.
import L from 'leaflet'; // its UMD build sets window.L, which leaflet.markercluster extends
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import './map-styles.css';
import { t } from '../../i18n/index.js';
import { displayPosition } from '../../lib/map-coords.js';
import {
  attributionParts, boundsOf, clusterSize, clusterTone, escapeHtml, markerLabel, popupLines, tileLayers, toneOf, zoomRange,
} from '../../lib/map-markers.js';

const CHINA = { center: [35.0, 105.0], zoom: 4 }; // until the markers come, or when there are none
// clear of the zoom buttons (top left) and the attribution (bottom); one finding alone is shown in its street
const FIT = { paddingTopLeft: [60, 40], paddingBottomRight: [40, 40], maxZoom: 16 };
const PIN = 18;

// Leaflet cancels a tile it no longer wants by pointing it at a data: GIF, which the CSP's img-src refuses (and
// the browser reports, once per tile); taking the src away cancels it as well and asks for nothing. Leaflet's own
// three methods (1.9.4, pinned) with that one change.
const QuietTileLayer = L.TileLayer.extend({
  _abortLoading() {
    for (const key of Object.keys(this._tiles)) {
      const { coords, el: tile } = this._tiles[key];
      if (coords.z === this._tileZoom) continue;
      tile.onload = L.Util.falseFn;
      tile.onerror = L.Util.falseFn;
      if (!tile.complete) {
        tile.removeAttribute('src');
        L.DomUtil.remove(tile);
        delete this._tiles[key];
        this.fire('tileabort', { tile, coords });
      }
    }
  },
  _removeTile(key) {
    const tile = this._tiles[key];
    if (!tile) return undefined;
    tile.el.removeAttribute('src');
    return L.GridLayer.prototype._removeTile.call(this, key);
  },
  _tileReady(coords, err, tile) {
    if (!this._map || (tile && !tile.getAttribute('src'))) return undefined;
    return L.GridLayer.prototype._tileReady.call(this, coords, err, tile);
  },
});

function popupElement(props) {
  const lines = popupLines(props);
  const box = document.createElement('div');
  box.className = 'map-popup';
  box.dataset.testid = 'map-popup';
  const add = (tag, className, text) => {
    if (!text) return null;
    const el = box.appendChild(document.createElement(tag));
    el.className = className;
    el.textContent = text; // the title is what someone typed: text, never HTML
    return el;
  };
  add('p', 'map-popup-number', lines.number);
  add('p', 'map-popup-title', lines.title);
  add('p', `map-popup-status tone-${lines.tone}`, lines.status);
  add('p', 'map-popup-meta', [lines.level, lines.place].filter(Boolean).join(' · '));
  add('p', 'map-popup-meta', lines.deadline);
  const link = add('a', 'btn small map-popup-open', lines.open);
  link.href = lines.href;
  link.dataset.testid = 'map-popup-open';
  return box;
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const tone = clusterTone(cluster.getAllChildMarkers().map((m) => m.options.tone));
  const size = clusterSize(count);
  return L.divIcon({
    html: `<span title="${escapeHtml(t('map_cluster', { n: count }))}">${count}</span>`,
    className: `map-cluster tone-${tone}`,
    iconSize: [size, size],
  });
}

function markerFor(feature, place) {
  const props = feature.properties;
  const tone = toneOf(props);
  const icon = L.divIcon({ html: '', className: `map-pin tone-${tone}`, iconSize: [PIN, PIN] });
  const marker = L.marker(place(feature.geometry.coordinates), { icon, tone, title: markerLabel(props), keyboard: true });
  marker.bindPopup(() => popupElement(props), { maxWidth: 300, minWidth: 200 });
  marker.on('add', () => {
    const el = marker.getElement();
    el.dataset.testid = 'map-marker';
    el.dataset.findingId = props.id;
  });
  return marker;
}

/** The base layer's rounds of loading: how many tiles failed and came, reported when a round settles. */
function watchTiles(layer, onRound) {
  let round = { errors: 0, loaded: 0 };
  layer.on('loading', () => { round = { errors: 0, loaded: 0 }; });
  layer.on('tileerror', () => { round.errors += 1; });
  layer.on('tileload', () => { round.loaded += 1; });
  layer.on('load', () => onRound({ ...round }));
}

/**
 * A Leaflet map in `element` for this /map/config. Returns { show(features, onReady), resize(), destroy() }.
 * onTiles(round) hears each settled round of the base layer's tiles ({errors, loaded}).
 */
export function createMap(element, config, { onTiles = () => {} } = {}) {
  const map = L.map(element, { ...zoomRange(config), zoomControl: true, attributionControl: true, worldCopyJump: true });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" rel="noopener">Leaflet</a>');
  const layers = tileLayers(config).map(({ url, options }) => new QuietTileLayer(url, options).addTo(map));
  if (layers.length) {
    for (const part of attributionParts(config)) map.attributionControl.addAttribution(escapeHtml(part));
    watchTiles(layers[0], onTiles);
  }
  map.setView(CHINA.center, Math.max(CHINA.zoom, map.getMinZoom()));
  const cluster = L.markerClusterGroup({
    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 48, spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon,
  });
  map.addLayer(cluster);
  const place = displayPosition(config?.crs);
  // The view follows the markers (and a resize, e.g. a phone turned) until the user moves it: then it is theirs.
  let bounds = null;
  let ours = false;
  let moved = false;
  map.on('movestart', () => { if (!ours) moved = true; });
  map.on('moveend', () => { ours = false; });
  const fit = () => {
    ours = true;
    if (bounds) map.fitBounds(bounds, FIT);
    else map.setView(CHINA.center, Math.max(CHINA.zoom, map.getMinZoom()));
  };

  return {
    /** Replace the markers with these located features; fit the view to them; onReady(count) once all are placed. */
    show(features, onReady = () => {}) {
      cluster.clearLayers();
      const markers = features.map((feature) => markerFor(feature, place));
      bounds = boundsOf(markers.map((m) => [m.getLatLng().lat, m.getLatLng().lng]));
      moved = false;
      fit();
      if (!markers.length) return onReady(0);
      // called before the last chunk's markers reach the map: answer once they have
      cluster.options.chunkProgress = (done, total) => { if (done === total) setTimeout(() => onReady(total)); };
      cluster.addLayers(markers);
      return undefined;
    },
    resize() {
      map.invalidateSize();
      if (!moved) fit();
    },
    destroy: () => map.remove(),
  };
}
