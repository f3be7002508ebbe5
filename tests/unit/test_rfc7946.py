"""The GeoJSON checker the export tests hold the 台账's GeoJSON to (tests/rfc7946.py) finds what RFC 7946 forbids."""

import pytest
from rfc7946 import problems


def point(lng=118.1, lat=24.5, **extra):
    return {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [lng, lat]}, "properties": {},
            **extra}  # fmt: skip


def collection(*features, **extra):
    return {"type": "FeatureCollection", "features": list(features), **extra}


def test_a_valid_collection_has_no_problems():
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    shapes = {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [ring]},
                                                            {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}]}
    unlocated = {"type": "Feature", "id": 7, "geometry": None, "properties": None}
    assert problems(collection(point(), unlocated, {**point(), "geometry": shapes}, bbox=[0, 0, 1, 1])) == []


@pytest.mark.parametrize(
    "document, problem",
    [
        (collection(point(lat=118.1, lng=24.5 + 100)), "not longitude, latitude"),  # [lat, lng] swapped out of range
        (collection(point(), crs={"type": "name"}), "$.crs"),
        (collection(point(id=True)), ".id: neither"),
        (collection({**point(), "properties": []}), ".properties"),
        (collection({k: v for k, v in point().items() if k != "geometry"}), ".geometry: missing"),
        (collection({**point(), "geometry": {"type": "Point", "coordinates": [1]}}), "2 or 3 numbers"),
        (collection({**point(), "geometry": {"type": "LineString", "coordinates": [[0, 0]]}}), "fewer than 2"),
        (collection({**point(), "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}}),
         "not closed"),
        (collection({**point(), "geometry": {"type": "Circle", "coordinates": [0, 0]}}), "not a geometry"),
        (collection(point(), bbox=[1, 1, 0, 0]), "minimum above"),
        ({"type": "FeatureCollection", "features": {}}, "not an array"),
        ({"type": "Feature"}, ".properties"),
    ],
)
def test_each_breach_is_named_by_its_path(document, problem):
    found = problems(document)
    assert any(problem in p for p in found), found
