// The supervisor's map (#/map): the located findings of the desk's filters (the table's, read from the hash) as
// clustered markers on the deployment's tiles, coloured by status with overdue red; a click opens a popup that
// links to the finding. With no tiles (none configured, or none reachable) the markers stay on a plain
// background and a small note says so. A lazy chunk of its own, with Leaflet in it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { getLang, t } from '../../i18n/index.js';
import '../../i18n/map.js';
import { api } from '../../lib/services.js';
import { useAppState } from '../../lib/store.js';
import { problemFromError, codeOf } from '../../lib/errors.js';
import { deskHash, filterQuery, hasFilters, readFilters } from '../../lib/desk-filters.js';
import { baseNote, legend, located } from '../../lib/map-markers.js';
import { filterPhrases, nameIn, namePaths } from '../../lib/map-summary.js';
import { createMap } from './map-leaflet.js';

/** The desk's filters, read again whenever the hash's query changes (the route stays #/map). */
function useHashFilters() {
  const [filters, setFilters] = useState(() => readFilters());
  useEffect(() => {
    const fn = () => setFilters(readFilters());
    addEventListener('hashchange', fn);
    return () => removeEventListener('hashchange', fn);
  }, []);
  return filters;
}

/** One read: { data, error, loading }, read again when `path`, `again` or the network changes. */
function useRead(path, again) {
  const { online } = useAppState();
  const [state, setState] = useState({ data: null, error: null, loading: Boolean(path) });
  useEffect(() => {
    if (!path) return undefined;
    if (!online) {
      setState((s) => ({ ...s, loading: false, error: { offline: true } }));
      return undefined;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.get(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => { live = false; };
  }, [path, again, online]);
  return state;
}

/** The names of the category, area and enterprise the filters pick (read only when one is picked). */
function useFilterNames(filters) {
  const [names, setNames] = useState({});
  const paths = namePaths(filters);
  const key = JSON.stringify(paths);
  useEffect(() => {
    let live = true;
    setNames({});
    for (const [kind, path] of Object.entries(paths)) {
      api.get(path).then((body) => live && setNames((n) => ({ ...n, [kind]: nameIn(kind, body, filters, getLang()) })), () => {});
    }
    return () => { live = false; };
  }, [key]);
  return names;
}

function FilterSummary({ filters }) {
  const names = useFilterNames(filters);
  const phrases = filterPhrases(filters, names);
  return html`<div class="map-filters" data-testid="map-filters">
    <span class="sr-only">${t('map_filters')}</span>
    ${phrases.length
      ? html`<ul class="map-filter-list">${phrases.map((p) => html`<li key=${p}>${p}</li>`)}</ul>`
      : html`<span>${t('map_filters_none')}</span>`}
    <a href=${deskHash('table', filters)} data-testid="map-to-table">${t('map_in_table')}</a>
    ${hasFilters(filters) && html`<a href="#/map" data-testid="map-clear">${t('map_clear')}</a>`}
  </div>`;
}

function Legend() {
  return html`<ul class="map-legend" aria-label=${t('map_legend')} data-testid="map-legend">
    ${legend().map(({ tone, label }) => html`<li key=${tone} class=${`tone-${tone}`}>${label}</li>`)}
    <li class="map-legend-note">${t('map_legend_cluster')}</li>
  </ul>`;
}

function problemText(error) {
  if (error?.offline) return t('map_offline');
  const code = codeOf(problemFromError(error));
  return t('map_failed', { why: t(`error_${code}`) });
}

export function DeskMap() {
  const filters = useHashFilters();
  const query = filterQuery(filters);
  const [again, setAgain] = useState(0);
  const config = useRead('map/config', again);
  const found = useRead(`findings/export?format=geojson${query ? `&${query}` : ''}`, again);
  const counted = useRead(`stats?group_by=level${query ? `&${query}` : ''}`, again);
  const element = useRef(null);
  const [map, setMap] = useState(null);
  const [round, setRound] = useState(null);
  const [placed, setPlaced] = useState(null); // how many markers are on the map, once they all are

  const configReady = config.data || config.error; // without a config the map still draws the markers, tileless
  useEffect(() => {
    if (!configReady || !element.current) return undefined;
    const created = createMap(element.current, config.data || { layers: [] }, { onTiles: setRound });
    setMap(created);
    const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(() => created.resize()) : null;
    resized?.observe(element.current);
    return () => {
      resized?.disconnect();
      created.destroy();
      setMap(null);
    };
  }, [Boolean(configReady), config.data]);

  const features = found.data ? located(found.data) : null;
  useEffect(() => {
    if (!map || !features) return;
    setPlaced(null);
    map.show(features, setPlaced);
  }, [map, found.data]);

  const note = config.error ? t('map_tiles_unavailable') : baseNote(config.data, round);
  const total = counted.data?.total?.found;
  const unlocated = features && typeof total === 'number' ? Math.max(0, total - features.length) : 0;
  const problem = found.error || null;

  return html`<section aria-labelledby="map-title" class="desk-map">
    <div class="map-head">
      <h1 id="map-title" class="h1">${t('map_title')}</h1>
      ${features && html`<p class="map-count" data-testid="map-count" role="status">${unlocated
        ? t('map_count_unlocated', { n: features.length, m: unlocated })
        : t('map_count', { n: features.length })}</p>`}
    </div>
    <${FilterSummary} filters=${filters} />
    ${problem && html`<div class="banner refused map-problem" role="alert" data-testid="map-problem">
      <span>${problemText(problem)}</span>
      <button type="button" class="btn small" onClick=${() => setAgain((n) => n + 1)}>${t('map_retry')}</button>
    </div>`}
    <div class="map-frame">
      <div data-testid="findings-map" class="map-canvas" ref=${element} role="region" aria-label=${t('map_region')}
        data-state=${placed === null ? 'loading' : 'ready'} data-markers=${placed ?? ''}></div>
      ${note && html`<p class="map-note" role="status" data-testid="map-base-note">${note}</p>`}
      ${found.loading && !features && html`<p class="map-empty" role="status">${t('map_loading')}</p>`}
      ${features && !features.length && html`<p class="map-empty" data-testid="map-empty">${t('map_empty')}</p>`}
    </div>
    <${Legend} />
  </section>`;
}
