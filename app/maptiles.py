"""The map's base layers (issue 13): the tile source a deployment configured, what the PWA is told about it, and
the fetch behind the 天地图 proxy. No Flask here: the API and the page policy ask this module.

- MAP_TILES=tianditu (the default): 天地图's 矢量底图 `vec_w` under its 注记 `cva_w`, web-mercator tiles whose
  coordinates are WGS-84 (no shift). The browser asks /api/v1/map/tiles/<layer>/<z>/<x>/<y>; the server adds
  TIANDITU_KEY, which never leaves it (not in the config it answers, not in an error, not in a log line). The key
  must be a 服务端 key (its IP allow-list naming the server's egress address): 天地图 refuses a 浏览器端 key from
  a client that is not a browser.
- MAP_TILES=<an XYZ template>, https://…/{z}/{x}/{y}.png with an optional {s} (MAP_SUBDOMAINS): the browser
  fetches the tiles itself, so the page's img-src names that origin (direct_origins).
- MAP_TILES_CRS=gcj02 says the tiles are drawn in GCJ-02 (高德-style sources): the PWA shifts the markers for
  display only; the data stays WGS-84. 天地图 is WGS-84, so gcj02 with it is refused.
"""

import http.client
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

TIANDITU = "tianditu"
TIANDITU_LAYERS = ("vec", "cva")  # the base, then its labels drawn over it
TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
TIANDITU_SUBDOMAINS = "01234567"
TIANDITU_ZOOM = (1, 18)  # the levels of 天地图's "w" tile matrix set
TIANDITU_NAME = "天地图"
XYZ_ZOOM = (0, 19)
CRS = ("wgs84", "gcj02")
PROXY_PATH = "/api/v1/map/tiles/{layer}/{{z}}/{{x}}/{{y}}"
MAX_TILE_BYTES = 2 * 1024 * 1024  # a 256 px tile is tens of KB; anything this large is not one
USER_AGENT = "Closeloop-tile-proxy/1"  # not a browser's: a 服务端 key is checked by the caller's address
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
_DIGITS = re.compile(r"\d{1,7}")


class TileUnavailable(Exception):
    """The upstream could not give the tile; the message names no URL and no key."""


@dataclass(frozen=True)
class TileSource:
    kind: str  # "tianditu" or "xyz"
    template: str  # the XYZ template (xyz) or the upstream's (tianditu)
    subdomains: str
    crs: str
    attribution: str
    review_no: str
    timeout: float
    key: str = field(default="", repr=False)

    @property
    def proxied(self) -> bool:
        return self.kind == TIANDITU and bool(self.key)

    @property
    def zoom(self) -> tuple[int, int]:
        return TIANDITU_ZOOM if self.kind == TIANDITU else XYZ_ZOOM


@dataclass(frozen=True)
class Tile:
    body: bytes
    content_type: str


def tile_source(config) -> TileSource:
    """The configured source, or ValueError naming the variable that cannot be read."""
    tiles = (config.get("MAP_TILES") or TIANDITU).strip()
    crs = (config.get("MAP_TILES_CRS") or "wgs84").strip().lower()
    if crs not in CRS:
        raise ValueError(f"MAP_TILES_CRS must be one of {', '.join(CRS)}, not {crs!r}")
    common = {
        "crs": crs,
        "review_no": (config.get("MAP_REVIEW_NO") or "").strip(),
        "timeout": float(config.get("MAP_TILE_TIMEOUT") or 3.0),
    }
    attribution = (config.get("MAP_ATTRIBUTION") or "").strip()
    if tiles.lower() == TIANDITU:
        if crs != "wgs84":
            raise ValueError("MAP_TILES_CRS=gcj02 with 天地图, whose tiles are WGS-84: leave MAP_TILES_CRS unset")
        template = (config.get("TIANDITU_URL") or TIANDITU_URL).strip()
        _require(template, ("{layer}", "{z}", "{x}", "{y}", "{key}"), "TIANDITU_URL")
        key = (config.get("TIANDITU_KEY") or "").strip()
        return TileSource(TIANDITU, template, TIANDITU_SUBDOMAINS, attribution=attribution or TIANDITU_NAME,
                          key=key, **common)  # fmt: skip
    _require(tiles, ("{z}", "{x}", "{y}"), "MAP_TILES")
    parts = urlsplit(tiles)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"MAP_TILES must be 'tianditu' or an http(s) XYZ template, not {tiles!r}")
    subdomains = (config.get("MAP_SUBDOMAINS") or "abc").strip() if "{s}" in tiles else ""
    return TileSource("xyz", tiles, subdomains, attribution=attribution, **common)


def _require(template: str, placeholders: tuple[str, ...], name: str) -> None:
    missing = [p for p in placeholders if p not in template]
    if missing:
        raise ValueError(f"{name} must contain {', '.join(missing)}: {template!r}")


def browser_config(source: TileSource) -> dict:
    """What /api/v1/map/config answers: the layers to draw (none: the markers on a plain background), the CRS
    the tiles are drawn in, and the names the map must show. Never the key."""
    low, high = source.zoom
    if source.kind == TIANDITU:
        layers = [
            {"name": name, "url": PROXY_PATH.format(layer=name), "min_zoom": low, "max_zoom": high}
            for name in TIANDITU_LAYERS
        ] if source.proxied else []  # fmt: skip
    else:
        layer = {"name": "xyz", "url": source.template, "min_zoom": low, "max_zoom": high}
        if source.subdomains:
            layer["subdomains"] = source.subdomains
        layers = [layer]
    return {"layers": layers, "crs": source.crs, "attribution": source.attribution, "review_no": source.review_no}


def direct_origins(source: TileSource) -> tuple[str, ...]:
    """The origins the browser loads tiles from itself (an XYZ source), one per subdomain, for the page's img-src."""
    if source.kind != "xyz":
        return ()
    hosts = [source.template.replace("{s}", s) for s in source.subdomains] if source.subdomains else [source.template]
    origins = []
    for url in hosts:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def tile_address(source: TileSource, layer: str, z: str, x: str, y: str) -> tuple[int, int, int]:
    """The tile's numbers, checked. Raises LookupError for a layer the proxy does not serve, ValueError with
    {field: problem} for a z, x or y that names no tile."""
    if not source.proxied or layer not in TIANDITU_LAYERS:
        raise LookupError(layer)
    low, high = source.zoom
    problems = {}
    zoom = _number(z)
    if zoom is None or not low <= zoom <= high:
        problems["z"] = f"An integer from {low} to {high}."
        return _refuse(problems)
    span = 2**zoom
    column, row = _number(x), _number(y)
    if column is None or column >= span:
        problems["x"] = f"An integer from 0 to {span - 1} at zoom {zoom}."
    if row is None or row >= span:
        problems["y"] = f"An integer from 0 to {span - 1} at zoom {zoom}."
    return _refuse(problems) if problems else (zoom, column, row)


def _number(text: str) -> int | None:
    return int(text) if _DIGITS.fullmatch(text) else None


def _refuse(problems: dict):
    raise ValueError(problems)


def fetch_tile(source: TileSource, layer: str, z: int, x: int, y: int) -> Tile:
    """One tile from 天地图, read whole (so a body cut short is a 502, not a broken image with a 200), within
    source.timeout seconds for the connection and each read."""
    url = _fill(source.template, s=source.subdomains[(x + y) % len(source.subdomains)], layer=layer, z=z, x=x, y=y,
                key=source.key)  # fmt: skip
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    try:
        with urllib.request.urlopen(request, timeout=source.timeout) as response:
            content_type = response.headers.get_content_type()
            body = response.read(MAX_TILE_BYTES + 1)
            unread = response.length  # what Content-Length promised and never came: a connection cut short
    except urllib.error.HTTPError as error:
        raise _unavailable(source, layer, z, x, y, f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:  # refused, timed out, cut
        raise _unavailable(source, layer, z, x, y, _reason(error)) from None
    if content_type not in IMAGE_TYPES:  # 天地图 answers a refused key with a message, not a picture
        raise _unavailable(source, layer, z, x, y, f"not an image ({content_type})")
    if len(body) > MAX_TILE_BYTES or not body:
        raise _unavailable(source, layer, z, x, y, f"a body of {len(body)} bytes")
    if unread:
        raise _unavailable(source, layer, z, x, y, f"cut short, {unread} bytes missing")
    return Tile(body, content_type)


def _fill(template: str, **values) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, TimeoutError):
        return "timed out"
    return type(reason).__name__ + (f": {reason}" if str(reason) else "")


def _unavailable(source: TileSource, layer: str, z: int, x: int, y: int, why: str) -> TileUnavailable:
    why = why.replace(source.key, "***") if source.key else why  # an upstream may echo its URL back
    log.warning("map tile %s/%s/%s/%s from %s: %s", layer, z, x, y, TIANDITU_NAME, why)
    return TileUnavailable(f"The base map tile could not be fetched from {TIANDITU_NAME} ({why}).")
