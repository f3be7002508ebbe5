"""The fast load path gives exactly what marshmallow's own load gives for the create's body: the same values in
the same order for what it accepts, and for everything else marshmallow's own answer (it never words an error)."""

import copy
import json
import uuid

import marshmallow as ma
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.create_body import FindingCreate as Fast
from app.api.findings_schemas import FindingCreate as General

BODY = {
    "id": "6f1c3a52-9d0e-4a61-8c1b-0d8f3e2a7b44",
    "enterprise_id": 5,
    "category": "fire",
    "level": "major",
    "nature": "unsafe_condition",
    "title": "二号仓库东侧消防通道被货物堵塞",
    "description": "纸箱约二十件",
    "location": {"lat": 24.5101, "lng": 118, "accuracy_m": 8.0, "source": "gps"},
    "address": "厦门市湖里区测速路12号",
    "observed_at": "2026-06-15T10:30:12.345+08:00",
    "rectify_mode": "immediate",
    "deadline": "2026-06-22",
    "major_basis": {"criterion": "gongmao_2023", "clause": "第四条(一)"},
    "rectification": {"measures": "已清理", "completed_on": "2026-06-15", "photo_ids": [str(uuid.uuid4())]},
    "photo_ids": [str(uuid.uuid4()), str(uuid.uuid4())],
}


def outcome(schema, body):
    try:
        loaded = schema.load(copy.deepcopy(body))
    except ma.ValidationError as error:
        return "refused", error.normalized_messages()
    return "loaded", loaded, [list(loaded), *(list(v) for v in loaded.values() if isinstance(v, dict))]


def assert_same(body):
    assert outcome(Fast(), body) == outcome(General(), body)


def test_a_full_body_takes_the_fast_path_and_loads_the_same(monkeypatch):
    assert_same(BODY)

    def general(*_args, **_kwargs):
        raise AssertionError("marshmallow's own load was asked")

    monkeypatch.setattr(ma.Schema, "load", general)
    assert Fast().load(copy.deepcopy(BODY))["title"] == BODY["title"]  # no nested schema asked either


MUTATIONS = {
    "id": ["not-a-uuid", "{6f1c3a52-9d0e-4a61-8c1b-0d8f3e2a7b44}", "6F1C3A529D0E4A618C1B0D8F3E2A7B44", 5, None, ""],
    "enterprise_id": [0, -1, 2**31, 2**31 - 1, True, 5.0, "5", None],
    "category": ["", "   ", "x" * 41, "a\x00b", 5, None],
    "level": ["general", "MAJOR", "", None, 1],
    "nature": [None, "unsafe_act", "other", 3],
    "title": ["  t  ", "", " ", "x" * 200, "x" * 201, "t\x00", ["t"]],
    "description": ["", None, "x" * 5001],
    "location": [None, {}, {"lat": 24.5, "lng": 118.1}, {"lat": "24.5", "lng": 118.1}, {"lat": 91, "lng": 0},
                 {"lat": 24, "lng": 118, "accuracy_m": None}, {"lat": 24, "lng": 118, "source": "wifi"},
                 {"lat": 24, "lng": 118, "extra": 1}, {"lat": 10**400, "lng": 1}, {"lat": True, "lng": 1}, [1]],
    "observed_at": ["2026-06-15T10:30:12+08:00", "2026-06-15T10:30:12Z", "2026-06-15T10:30:12.123456Z",
                    "2026-06-15T10:30:12", "2026-06-15T10:30Z", "2026-06-15 10:30:12+08:00", "1999-12-31T23:59:59Z",
                    "2100-01-01T00:00:00Z", "2026-02-30T10:00:00Z", "2026-06-15T10:30:12+24:00",
                    "2026-06-15T10:30:12.1234567Z", "2026-06-15T10:30:12+0800", "2026-06-15T10:30:12Z\n", 1, None],
    "deadline": ["2026-6-2", "2026-02-30", "2026-06-22T00:00:00", "", None, 20260622],
    "rectify_mode": [None, "deadline", "later"],
    "major_basis": [None, {}, {"criterion": "x"}, {"criterion": "x", "clause": " "}, "x"],
    "rectification": [None, {"measures": "m", "completed_on": "2026-06-15"}, {"measures": "m"},
                      {"measures": "m", "completed_on": "2026-06-15", "photo_ids": None},
                      {"measures": "m", "completed_on": "2026-06-15", "photo_ids": ["x"]}],
    "photo_ids": [[], None, [str(uuid.uuid4())] * 10, ["nope"], [None], "x", [5]],
}  # fmt: skip


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, values in MUTATIONS.items() for v in values])
def test_each_changed_field_is_answered_as_marshmallow_answers(key, value):
    assert_same({**BODY, key: value})


@pytest.mark.parametrize("key", sorted(BODY))
def test_each_field_left_out_is_answered_as_marshmallow_answers(key):
    assert_same({k: v for k, v in BODY.items() if k != key})


def test_an_unknown_key_and_a_body_that_is_no_object_are_marshmallows_to_refuse():
    assert_same({**BODY, "status": "closed"})
    assert_same([BODY])
    assert_same("body")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(BODY)), JSON, max_size=6))
def test_any_json_in_any_field_is_answered_as_marshmallow_answers(changes):
    body = json.loads(json.dumps({**BODY, **changes}))
    assert_same(body)


def _round_trip(payload):
    from app.services.fingerprint import _default

    return json.loads(json.dumps(payload, default=_default, ensure_ascii=False))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(BODY)), JSON, max_size=6))
def test_an_event_payload_is_the_json_round_trip_of_the_loaded_body(changes):
    from app.services.fingerprint import jsonable

    try:
        loaded = General().load(json.loads(json.dumps({**BODY, **changes})))
    except ma.ValidationError:
        loaded = {**BODY, **changes}
    assert json.dumps(jsonable(loaded)) == json.dumps(_round_trip(loaded))


def test_a_payload_of_other_values_takes_the_round_trip():
    import enum
    from datetime import UTC, date, datetime

    from app.services.fingerprint import jsonable

    class Colour(enum.StrEnum):
        RED = "red"

    odd = {"enum": Colour.RED, "keys": {1: "a", None: "b"}, "tuple": (1, 2.5), "day": date(2026, 1, 2),
           "at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), "id": uuid.UUID(int=7), "x": -0.0}  # fmt: skip
    assert json.dumps(jsonable(odd)) == json.dumps(_round_trip(odd))
    assert type(jsonable(odd)["enum"]) is str
