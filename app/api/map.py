"""The map's base layers (issue 13): what the PWA draws under the markers, and the 天地图 proxy that keeps
TIANDITU_KEY on the server. Thin: the source, the checks and the fetch are app/maptiles.py."""

import marshmallow as ma
from flask import Response, current_app
from flask_login import login_required

from app.api.errors import error_response
from app.api.parsing import Blueprint
from app.domain.errors import NotFound, RuleViolation
from app.maptiles import TileUnavailable, browser_config, fetch_tile, tile_address, tile_source

blp = Blueprint("map", __name__, url_prefix="/api/v1", description="The map's base layers")
TILE_CACHE = "private, max-age=86400"  # a day: 天地图 redraws its base rarely, and every tile costs the key's quota


@blp.record_once
def _read_source(state) -> None:
    """Read MAP_* and TIANDITU_* once, at start: a value that cannot be read stops the app naming its variable."""
    state.app.extensions["map_tiles"] = tile_source(state.app.config)


def _source():
    return current_app.extensions["map_tiles"]


class LayerSchema(ma.Schema):
    name = ma.fields.String(metadata={"description": "vec (天地图 base), cva (its labels) or xyz"})
    url = ma.fields.String(metadata={"description": "a Leaflet URL template: this server's proxy or the XYZ source"})
    subdomains = ma.fields.String(metadata={"description": "the letters {s} takes, for an XYZ source with {s}"})
    min_zoom = ma.fields.Integer()
    max_zoom = ma.fields.Integer()


class MapConfigSchema(ma.Schema):
    layers = ma.fields.List(
        ma.fields.Nested(LayerSchema), metadata={"description": "drawn in order; none: markers on a plain background"}
    )
    crs = ma.fields.String(metadata={"description": "wgs84, or gcj02: shift the WGS-84 markers for display"})
    attribution = ma.fields.String(metadata={"description": "the tiles' source, shown on the map"})
    review_no = ma.fields.String(metadata={"description": "审图号 text shown on the map (MAP_REVIEW_NO)"})


@blp.route("/map/config")
@login_required
@blp.response(200, MapConfigSchema)
def map_config():
    """The tile layers to draw under the markers, their CRS, source and 审图号 (the 天地图 key stays here)."""
    return browser_config(_source())


@blp.route("/map/tiles/<layer>/<z>/<x>/<y>")
@login_required
@blp.response(200, description="The tile (PNG or JPEG), cached privately for a day")
@blp.alt_response(404, description="No such layer, or 天地图 is not configured (no TIANDITU_KEY)")
@blp.alt_response(422, description="z, x or y names no tile")
@blp.alt_response(502, description="天地图 did not give the tile in time")
def map_tile(layer, z, x, y):
    """One 天地图 tile (vec or cva, web-mercator z/x/y), fetched with the server's key."""
    source = _source()
    try:
        zoom, column, row = tile_address(source, layer, z, x, y)
    except LookupError:
        raise NotFound("No such map layer.", {"layer": "Not one of this server's layers."}) from None
    except ValueError as error:
        raise RuleViolation("Not a tile: " + ", ".join(sorted(error.args[0])) + ".", error.args[0]) from None
    try:
        tile = fetch_tile(source, layer, zoom, column, row)
    except TileUnavailable as error:
        return error_response(502, "tiles_unavailable", str(error))
    return Response(tile.body, mimetype=tile.content_type, headers={"Cache-Control": TILE_CACHE})
