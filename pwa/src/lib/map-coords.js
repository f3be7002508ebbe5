// Positions for display on the map. Findings are stored and sent in WGS-84 and stay so; a tile source drawn in
// GCJ-02 (国测局坐标, what 高德 and Tencent tiles use) needs each marker shifted the same way before it is drawn,
// or it lands 300–600 m off its street. 天地图's _w layers are WGS-84: no shift.
//
// The forward WGS-84 → GCJ-02 transform is the published one (Krasovsky ellipsoid; the same constants as
// coordtransform and gcoord), applied only inside China's bounding box, where the shift is made.

const A = 6378245.0; // Krasovsky 1940 semi-major axis (m)
const EE = 0.00669342162296594323; // its first eccentricity squared

/** Outside this box no shift is made (the rough box every implementation uses). */
export const outOfChina = (lng, lat) => lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;

function shiftLat(x, y) {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function shiftLng(x, y) {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** [lng, lat] in WGS-84 → [lng, lat] in GCJ-02. */
export function wgs84ToGcj02(lng, lat) {
  if (outOfChina(lng, lat)) return [lng, lat];
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (shiftLat(lng - 105.0, lat - 35.0) * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (shiftLng(lng - 105.0, lat - 35.0) * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** The function that turns a stored [lng, lat] (a GeoJSON position) into Leaflet's [lat, lng] for these tiles. */
export function displayPosition(crs) {
  if (crs === 'gcj02') {
    return ([lng, lat]) => {
      const [x, y] = wgs84ToGcj02(lng, lat);
      return [y, x];
    };
  }
  return ([lng, lat]) => [lat, lng];
}
