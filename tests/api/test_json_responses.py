"""Responses are written by orjson (app.json_provider) and say exactly what Flask's own provider would say."""

import dataclasses
import json
import math
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import factories as f
import pytest
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup


@dataclasses.dataclass
class Point:
    lat: float
    lng: float


def standard_library(app, obj, **kwargs) -> str:
    """Flask's own provider with the settings we had before orjson: UTF-8, schema order, compact."""
    provider = DefaultJSONProvider(app)
    provider.ensure_ascii, provider.sort_keys = False, False
    return provider.dumps(obj, **({"separators": (",", ":")} | kwargs))


VALUES = {
    "标题": "配电箱门缺失，电缆裸露 ⚡ 100%",
    "nested": {"list": [1, 2.5, None, True, False, "", [], {}], "deep": {"x": -24.475}},
    "aware": datetime(2026, 11, 23, 8, 30, 5, 123456, tzinfo=UTC),
    "naive": datetime(2026, 11, 23, 8, 30),
    "day": date(2026, 12, 1),
    "id": uuid.UUID("0d8a8e0e-7c1f-4a55-9a2b-2f8f6c3c1e11"),
    "money": Decimal("12.50"),
    "point": Point(24.4798, 118.0894),
    "markup": Markup("<b>粗体</b>"),
    7: "an int key",
    "big": 2**53 + 1,
    "escapes": 'quote " backslash \\ newline \n tab \t control \x01 slash /',
}


def test_every_kind_of_value_is_written_as_flasks_provider_writes_it(app):
    with app.app_context():
        assert app.json.dumps(VALUES) == standard_library(app, VALUES)  # compact, as a response is
        response = app.json.response(VALUES)
    assert response.mimetype == "application/json"
    assert response.get_data() == (standard_library(app, VALUES) + "\n").encode()  # UTF-8, not \u escapes


def test_debug_mode_is_pretty_and_explicit_arguments_still_work(app):
    app.debug = True
    with app.app_context():
        pretty = app.json.response(VALUES).get_data(as_text=True)
        assert pretty == standard_library(app, VALUES, indent=2, separators=(",", ": ")) + "\n"
        # keyword arguments (indent, sort_keys...) are the standard library's: it still gets them
        assert app.json.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a": 2, "b": 1}'


def test_small_floats_are_spelt_out_but_mean_the_same(app):
    values = {"accuracy_m": 1e-05, "lat": 3e-05, "lng": -1e-07, "x": 1e16, "y": 0.1 + 0.2}
    with app.app_context():
        ours = app.json.dumps(values)
    assert ours != standard_library(app, values)  # 0.00001 where the standard library writes 1e-05
    assert json.loads(ours) == values


def test_not_a_number_becomes_null_not_invalid_json(app):
    with app.app_context():
        body = app.json.response({"lat": math.nan, "lng": math.inf}).get_data()
    assert json.loads(body) == {"lat": None, "lng": None}


def test_an_object_nothing_can_write_is_still_a_type_error(app):
    with app.app_context(), pytest.raises(TypeError):
        app.json.dumps({"x": object()})


def test_a_real_page_of_findings_is_byte_for_byte_what_the_standard_library_writes(app, client, session):
    world = f.World(session)
    inspector = world.user("inspector")
    for i in range(3):
        f.report(session, inspector, f.finding_data(world.enterprise, title=f"消防通道堵塞 {i}"), f.NOW)
    headers = f.token_for(session, world.user("supervisor"))
    session.commit()
    response = client.get("/api/v1/findings?limit=2", headers=headers)
    assert response.status_code == 200
    body = response.get_data()
    page = json.loads(body)
    assert len(page["items"]) == 2 and page["next_cursor"]
    assert "消防通道堵塞".encode() in body
    assert body == (standard_library(app, page) + "\n").encode()
