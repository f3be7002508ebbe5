"""An RFC 7946 (GeoJSON) checker for the tests: every problem with a document, by JSON path; [] when it is valid.

It checks what the RFC requires of the objects a FeatureCollection may hold: the members and their types, a
Feature's id (a string or a number) and properties (an object or null), each geometry type's coordinates (a
position is 2 or 3 numbers, WGS-84 longitude then latitude, within range; a LineString has 2 positions or
more; a LinearRing is closed and has 4 or more), GeometryCollections, and a bbox of 2 x n numbers, minimum first
(the antimeridian aside). A `crs` member is refused: RFC 7946 removed it (section 4)."""

from numbers import Real

GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}


def problems(document, path: str = "$") -> list[str]:
    if not isinstance(document, dict):
        return [f"{path}: not an object"]
    found = _common(document, path)
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            return [*found, f"{path}.features: not an array"]
        for i, feature in enumerate(features):
            found += _feature(feature, f"{path}.features[{i}]")
    elif kind == "Feature":
        found += _feature(document, path)
    elif kind in GEOMETRIES:
        found += _geometry(document, path)
    else:
        found.append(f"{path}.type: {kind!r} is no GeoJSON type")
    return found


def _common(obj: dict, path: str) -> list[str]:
    found = [f"{path}.crs: removed by RFC 7946"] if "crs" in obj else []
    if "bbox" in obj:
        box = obj["bbox"]
        if not isinstance(box, list) or len(box) not in (4, 6) or not all(_number(v) for v in box):
            found.append(f"{path}.bbox: not 4 or 6 numbers")
        elif any(box[i] > box[i + len(box) // 2] for i in range(1, len(box) // 2)):
            found.append(f"{path}.bbox: a minimum above its maximum")
    return found


def _feature(feature, path: str) -> list[str]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [f"{path}: not a Feature"]
    found = _common(feature, path)
    if "id" in feature and not (isinstance(feature["id"], str) or _number(feature["id"])):
        found.append(f"{path}.id: neither a string nor a number")
    if "properties" not in feature or not (feature["properties"] is None or isinstance(feature["properties"], dict)):
        found.append(f"{path}.properties: missing, or neither an object nor null")
    if "geometry" not in feature:
        found.append(f"{path}.geometry: missing")
    elif feature["geometry"] is not None:
        found += _geometry(feature["geometry"], f"{path}.geometry")
    return found


def _geometry(geometry, path: str) -> list[str]:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
        return [f"{path}: not a geometry"]
    found = _common(geometry, path)
    kind = geometry["type"]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            return [*found, f"{path}.geometries: not an array"]
        for i, member in enumerate(members):
            found += _geometry(member, f"{path}.geometries[{i}]")
        return found
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
    coordinates = geometry.get("coordinates")
    return found + _nested(coordinates, depth[kind], kind, f"{path}.coordinates")


def _nested(value, depth: int, kind: str, path: str) -> list[str]:
    if depth == 0:
        return _position(value, path)
    if not isinstance(value, list):
        return [f"{path}: not an array"]
    found = []
    if depth == 1 and kind in ("LineString", "MultiLineString") and len(value) < 2:
        found.append(f"{path}: a line of fewer than 2 positions")
    if depth == 1 and kind in ("Polygon", "MultiPolygon") and (len(value) < 4 or value[0] != value[-1]):
        found.append(f"{path}: a ring not closed, or of fewer than 4 positions")
    for i, inner in enumerate(value):
        found += _nested(inner, depth - 1, kind, f"{path}[{i}]")
    return found


def _position(value, path: str) -> list[str]:
    if not isinstance(value, list) or len(value) not in (2, 3) or not all(_number(v) for v in value):
        return [f"{path}: a position is 2 or 3 numbers"]
    lng, lat = value[0], value[1]
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        return [f"{path}: [{lng}, {lat}] is not longitude, latitude in WGS-84 range"]
    return []


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)
