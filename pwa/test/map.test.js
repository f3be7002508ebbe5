import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setLang } from '../src/i18n/index.js';
import '../src/i18n/map.js';
import mapZh from '../src/i18n/map.zh-CN.js';
import mapEn from '../src/i18n/map.en.js';
import zh from '../src/i18n/zh-CN.js';
import { displayPosition, outOfChina, wgs84ToGcj02 } from '../src/lib/map-coords.js';
import {
  TONES, attributionParts, baseNote, boundsOf, clusterSize, clusterTone, escapeHtml, legend, located, markerLabel, popupLines,
  tileLayers, toneOf, zoomRange,
} from '../src/lib/map-markers.js';
import { filterPhrases, nameIn, namePaths } from '../src/lib/map-summary.js';

const point = (lng, lat, properties = {}) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lng, lat] }, properties: { id: 'f1', ...properties } });

beforeEach(() => setLang('zh-CN'));

describe('WGS-84 → GCJ-02, for display on GCJ-02 tiles only', () => {
  it('gives the published values for known points', () => {
    // coordtransform (wandergis) and hutool's CoordinateUtilTest: Tiananmen
    expect(wgs84ToGcj02(116.404, 39.915)).toEqual([116.41024449916938, 39.91640428150164]);
    // a Zhengzhou point from a published PositionUtil test
    expect(wgs84ToGcj02(113.647881, 34.829793)).toEqual([113.65396374215176, 34.8287280094783]);
    // other implementations with the same constants agree to well under a metre (1e-6° ≈ 0.1 m)
    const [lng, lat] = wgs84ToGcj02(116.0, 40.0);
    expect(Math.abs(lng - 116.006141221789)).toBeLessThan(1e-6);
    expect(Math.abs(lat - 40.001213650174)).toBeLessThan(1e-6);
    const [lng2, lat2] = wgs84ToGcj02(121.0917077, 30.6107779);
    expect(Math.abs(lng2 - 121.09626935575027)).toBeLessThan(1e-6);
    expect(Math.abs(lat2 - 30.608604331756705)).toBeLessThan(1e-6);
  });

  it('shifts a point in Xiamen by a few hundred metres, and nothing outside China', () => {
    const [lng, lat] = wgs84ToGcj02(118.0894, 24.4798);
    const metres = Math.hypot((lng - 118.0894) * 111320 * Math.cos((24.48 * Math.PI) / 180), (lat - 24.4798) * 110540);
    expect(metres).toBeGreaterThan(300);
    expect(metres).toBeLessThan(700);
    expect(outOfChina(2.35, 48.86)).toBe(true);
    expect(wgs84ToGcj02(2.35, 48.86)).toEqual([2.35, 48.86]);
  });

  it('turns a GeoJSON [lng, lat] into Leaflet\'s [lat, lng], shifted only for gcj02 tiles', () => {
    expect(displayPosition('wgs84')([118.0894, 24.4798])).toEqual([24.4798, 118.0894]);
    expect(displayPosition(undefined)([118.0894, 24.4798])).toEqual([24.4798, 118.0894]);
    const [lat, lng] = displayPosition('gcj02')([116.404, 39.915]);
    expect([lng, lat]).toEqual(wgs84ToGcj02(116.404, 39.915));
  });
});

describe('what the markers say', () => {
  it('a finding is red when overdue whatever its state, else its state\'s tone', () => {
    expect(toneOf({ status: 'rectifying', overdue: true })).toBe('overdue');
    expect(toneOf({ status: 'pending_review', overdue: false })).toBe('pending_review');
    expect(toneOf({ status: 'closed' })).toBe('closed');
    expect(toneOf({ status: 'made-up' })).toBe('rectifying');
  });

  it('a cluster takes its most urgent finding\'s tone', () => {
    expect(clusterTone(['closed', 'rectifying', 'overdue'])).toBe('overdue');
    expect(clusterTone(['closed', 'reported', 'rectifying'])).toBe('reported');
    expect(clusterTone(['voided', 'closed'])).toBe('closed');
    expect(clusterTone([])).toBe('voided');
    expect(clusterSize(3) < clusterSize(30) && clusterSize(30) < clusterSize(300) && clusterSize(300) < clusterSize(3000)).toBe(true);
  });

  it('the legend names every tone in Chinese, overdue first', () => {
    expect(legend()).toEqual([
      { tone: 'overdue', label: '已逾期' }, { tone: 'pending_review', label: '待验收' }, { tone: 'reported', label: '待确认' },
      { tone: 'rectifying', label: '整改中' }, { tone: 'closed', label: '已销号' }, { tone: 'voided', label: '已撤销' },
    ]);
    expect(TONES[0]).toBe('overdue');
  });

  it('only Points on the globe with an id are placed', () => {
    const features = [
      point(118.1, 24.5), point(181, 24.5), point(118.1, -91), point(NaN, 1), { type: 'Feature', geometry: null, properties: { id: 'x' } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, properties: { id: 'y' } },
      point(118.1, 24.5, { id: '' }), point(0, 0, { id: 'equator' }),
    ];
    expect(located({ type: 'FeatureCollection', features }).map((f) => f.properties.id)).toEqual(['f1', 'equator']);
    expect(located(null)).toEqual([]);
  });

  it('the popup has the number, title, status (with the days overdue) and the link to the finding', () => {
    const lines = popupLines({ id: 'a b', number: 'YH-350206-2026-000001', title: '<b>配电箱</b>', status: 'rectifying', overdue: true,
      days_overdue: 3, level: 'major', enterprise: '厦门某厂', area: '湖里区', deadline: '2026-11-20' });
    expect(lines).toEqual({
      number: 'YH-350206-2026-000001', title: '<b>配电箱</b>', status: '整改中 · 逾期 3 天', tone: 'overdue', level: '重大隐患',
      place: '厦门某厂 · 湖里区', deadline: '整改期限 2026-11-20', href: '#/f/a%20b', open: '查看隐患',
    });
    expect(popupLines({ id: 'x', status: 'closed' }).status).toBe('已销号');
    expect(markerLabel({ number: 'YH-1', title: '消防通道堵塞' })).toBe('YH-1 消防通道堵塞');
  });

  it('tiles come from the config, with their zoom range; none gives the plain background', () => {
    const config = { layers: [
      { name: 'vec', url: '/api/v1/map/tiles/vec/{z}/{x}/{y}', min_zoom: 1, max_zoom: 18 },
      { name: 'cva', url: '/api/v1/map/tiles/cva/{z}/{x}/{y}', min_zoom: 1, max_zoom: 18 },
    ], crs: 'wgs84', attribution: '天地图', review_no: '审图号：GS(2024)0568号' };
    expect(tileLayers(config).map((l) => l.url)).toEqual(['/api/v1/map/tiles/vec/{z}/{x}/{y}', '/api/v1/map/tiles/cva/{z}/{x}/{y}']);
    expect(zoomRange(config)).toEqual({ minZoom: 1, maxZoom: 18 });
    expect(tileLayers({ layers: [{ url: 'https://{s}.t.cn/{z}/{x}/{y}.png', subdomains: 'ab' }] })[0].options)
      .toEqual({ minZoom: 0, maxZoom: 18, subdomains: 'ab' });
    expect(tileLayers({ layers: [] })).toEqual([]);
    expect(zoomRange({ layers: [] })).toEqual({ minZoom: 1, maxZoom: 18 });
    expect(attributionParts(config)).toEqual(['天地图', '审图号：GS(2024)0568号']);
    expect(attributionParts({ attribution: ' ', review_no: '' })).toEqual([]);
    expect(escapeHtml('<img src=x onerror=alert(1)>&"\'')).toBe('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;');
  });

  it('says 底图不可用 when none of a round of tiles came, and 未配置底图 when there are no layers', () => {
    const config = { layers: [{ url: '/t/{z}/{x}/{y}' }] };
    expect(baseNote(config, null)).toBe('');
    expect(baseNote(config, { errors: 12, loaded: 0 })).toBe('底图不可用');
    expect(baseNote(config, { errors: 2, loaded: 10 })).toBe('');
    expect(baseNote({ layers: [] }, null)).toBe('未配置底图');
  });

  it('fits the view around the positions', () => {
    expect(boundsOf([[24.5, 118.1], [24.4, 118.2], [24.6, 118.0]])).toEqual([[24.4, 118.0], [24.6, 118.2]]);
    expect(boundsOf([])).toBeNull();
  });
});

describe('the filter summary', () => {
  it('names every filter in Chinese, with the names the API gave', () => {
    const filters = { status: ['rectifying', 'pending_review'], level: 'major', category: 'fire', area: '350206', enterprise_id: '7',
      overdue: true, reported_by: 'me', q: '灭火器', from: '2026-01-01', to: '2026-03-31' };
    expect(filterPhrases(filters, { category: '消防安全', area: '湖里区' })).toEqual([
      '状态：整改中、待验收', '等级：重大隐患', '类别：消防安全', '区域：湖里区', '企业：#7', '仅逾期', '我上报的', '关键词：“灭火器”',
      '发现日期：2026-01-01 至 2026-03-31',
    ]);
    expect(filterPhrases({ overdue: false, from: '2026-01-01' })).toEqual(['未逾期', '发现日期：2026-01-01 起']);
    expect(filterPhrases({ to: '2026-01-31' })).toEqual(['发现日期：截至 2026-01-31']);
    expect(filterPhrases({})).toEqual([]);
  });

  it('reads the names only for what is filtered, and finds them in the answers', () => {
    expect(namePaths({})).toEqual({});
    expect(namePaths({ category: 'fire', area: '350206', enterprise_id: '7' })).toEqual({
      category: 'categories?include_inactive=true', area: 'areas?under=350206', enterprise: 'enterprises?limit=1&include_inactive=true&after_id=6',
    });
    expect(namePaths({ enterprise_id: '1' }).enterprise).toBe('enterprises?limit=1&include_inactive=true');
    const categories = { items: [{ code: 'elec', name_zh: '电气安全', name_en: 'Electrical' }, { code: 'fire', name_zh: '消防安全', name_en: 'Fire' }] };
    expect(nameIn('category', categories, { category: 'fire' })).toBe('消防安全');
    expect(nameIn('category', categories, { category: 'fire' }, 'en')).toBe('Fire');
    expect(nameIn('area', { items: [{ code: '350206', name: '湖里区' }] }, { area: '350206' })).toBe('湖里区');
    expect(nameIn('enterprise', { items: [{ id: 8, name: '别家' }] }, { enterprise_id: '7' })).toBe('');
    expect(nameIn('area', null, { area: '1' })).toBe('');
  });
});

describe('the map\'s strings', () => {
  const SRC = join(import.meta.dirname, '..', 'src');
  const mapFiles = [join(SRC, 'views', 'desk', 'Map.js'), join(SRC, 'views', 'desk', 'map-leaflet.js'),
    ...readdirSync(join(SRC, 'lib')).filter((n) => n.startsWith('map-')).map((n) => join(SRC, 'lib', n))];

  it('zh-CN and en have the same keys, none clashing with the base catalogue', () => {
    expect(Object.keys(mapEn).sort()).toEqual(Object.keys(mapZh).sort());
    expect(Object.keys(mapZh).filter((key) => key in zh)).toEqual([]);
  });

  it('every key the map\'s code asks for exists, and English reads as English', () => {
    const used = new Set(mapFiles.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([a-z_0-9]+)'/g)].map((m) => m[1])));
    expect([...used].filter((key) => !(key in zh) && !(key in mapZh))).toEqual([]);
    setLang('en');
    expect(filterPhrases({ overdue: true, status: ['closed'] })).toEqual(['Status: Closed', 'Overdue only']);
    expect(baseNote({ layers: [{ url: '/t' }] }, { errors: 1, loaded: 0 })).toBe('Base map unavailable');
  });
});
