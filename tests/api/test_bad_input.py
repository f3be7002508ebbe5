"""Bad input on the findings API (SPEC §5, §8): every case answers a clear JSON 4xx with
{"error": {"code", "message", "fields"}}, names the offending field, and writes nothing."""

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta, timezone

import factories as f
import pytest
from helpers import event, jsonify, real_today
from sqlalchemy import func, select

from app.domain.calendar import utcnow
from app.models import ExtensionRequest, Finding, FindingCounter, FindingEvent, User

FINDINGS = "/api/v1/findings"
ENTERPRISES = "/api/v1/enterprises"
WRITE_TABLES = (Finding, FindingEvent, ExtensionRequest, FindingCounter)
DROP = object()  # an override that removes the key from the body
MAX_BODY = 20 * 1024 * 1024


def row_counts(session) -> dict[str, int]:
    session.commit()  # end the test's transaction: a new one sees what the requests committed
    session.expire_all()
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in WRITE_TABLES}


def assert_error(response, status, code: str, field_path: str | None = None) -> dict:
    """A JSON error envelope with this status and code, a message a person can read, and the field named."""
    statuses = status if isinstance(status, set | frozenset) else {status}
    text = response.get_data(as_text=True)
    assert response.status_code in statuses, f"{response.status_code}: {text[:800]}"
    assert response.mimetype == "application/json", f"not JSON ({response.mimetype}): {text[:300]}"
    body = response.get_json()
    error = body["error"]
    assert set(error) >= {"code", "message", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and len(error["message"].strip()) >= 5, error
    assert isinstance(error["fields"], dict), error
    if field_path:
        node = error["fields"]
        for part in field_path.split("."):
            assert isinstance(node, dict) and part in node, f"fields does not name {field_path!r}: {error}"
            node = node[part]
        assert node, f"fields[{field_path!r}] says nothing: {error}"
    return body


@dataclass
class Scene:
    """A district with an inspector, a supervisor, an officer; a rectifying and a pending_review finding."""

    session: object
    world: f.World
    users: dict[str, User]
    headers: dict[str, dict]
    rectifying: Finding
    pending: Finding
    before: dict[str, int] = field(default_factory=dict)

    def settle(self) -> None:
        """Commit what the test set up and take the row counts every rejection is held to."""
        self.before = row_counts(self.session)

    def rejects(self, response, status, code: str, field_path: str | None = None) -> dict:
        body = assert_error(response, status, code, field_path)
        assert row_counts(self.session) == self.before, "a rejected request wrote rows"
        return body

    def create_body(self, **overrides) -> dict:
        today = real_today()
        data = f.finding_data(
            self.world.enterprise, deadline=today + timedelta(days=7), observed_at=utcnow().replace(microsecond=0)
        )
        body = jsonify(data)
        for name, value in overrides.items():
            if value is DROP:
                body.pop(name, None)
            else:
                body[name] = jsonify(value)
        return body


@pytest.fixture
def scene(app, session) -> Scene:
    # As in production: an exception that escapes even the error handlers becomes a 500 response
    # the assertions can see, instead of being re-raised into the test client.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    world = f.World(session)
    users = {role: world.user(role) for role in ("inspector", "supervisor", "enterprise_officer", "grid_worker")}
    users["other_officer"] = world.user("enterprise_officer", enterprise=world.other_enterprise)
    headers = {role: f.token_for(session, who) for role, who in users.items()}
    now, today = utcnow(), real_today()
    rectifying = f.report(
        session,
        users["inspector"],
        f.finding_data(world.enterprise, deadline=today + timedelta(days=7), observed_at=now),
        now,
    )
    pending = f.report(
        session,
        users["inspector"],
        f.finding_data(
            world.enterprise,
            rectify_mode="immediate",
            deadline=today,
            observed_at=now,
            rectification={"measures": "当场清理通道", "completed_on": today},
        ),
        now,
    )
    assert (rectifying.status, pending.status) == ("rectifying", "pending_review")
    built = Scene(session, world, users, headers, rectifying, pending)
    built.settle()
    return built


def _today_plus(days: int) -> str:
    return (real_today() + timedelta(days=days)).isoformat()


def test_the_bodies_the_cases_start_from_are_accepted(client, scene):
    """The control: each bad case below changes one thing in a body that is good as it stands."""
    created = client.post(FINDINGS, json=scene.create_body(), headers=scene.headers["inspector"])
    assert created.status_code == 201, created.json
    voided = client.post(
        f"{FINDINGS}/{scene.rectifying.id}/events",
        json=event("void", scene.rectifying.version, reason="重复上报"),
        headers=scene.headers["supervisor"],
    )
    assert voided.status_code == 201, voided.json
    # 6: the scene's three, its fix on the spot's photo_added, and this create and void
    assert row_counts(scene.session) == {**scene.before, "findings": 3, "finding_events": 6}


# --- POST /api/v1/findings: bodies that parse as JSON but break the contract -------------------------

CREATE_CASES = [
    # (id, overrides (a callable: computed at run time, against the real clock), status, code, field)
    ("id_not_a_uuid", lambda s: {"id": "not-a-uuid"}, 422, "validation_error", "id"),
    ("id_uuid_too_long", lambda s: {"id": str(uuid.uuid4()) + "0"}, 422, "validation_error", "id"),
    ("id_as_number", lambda s: {"id": 12345}, 422, "validation_error", "id"),
    ("deadline_in_the_past", lambda s: {"deadline": _today_plus(-1)}, 422, "validation_error", "deadline"),
    ("deadline_not_a_date", lambda s: {"deadline": "2026-02-30"}, 422, "validation_error", "deadline"),
    ("deadline_as_text", lambda s: {"deadline": "next week"}, 422, "validation_error", "deadline"),
    ("lat_91", lambda s: {"location": {"lat": 91, "lng": 118.1}}, 422, "validation_error", "location.lat"),
    ("lat_minus_91", lambda s: {"location": {"lat": -91, "lng": 118.1}}, 422, "validation_error", "location.lat"),
    ("lng_minus_181", lambda s: {"location": {"lat": 24.5, "lng": -181}}, 422, "validation_error", "location.lng"),
    ("lng_181", lambda s: {"location": {"lat": 24.5, "lng": 181}}, 422, "validation_error", "location.lng"),
    ("lat_1e308", lambda s: {"location": {"lat": 1e308, "lng": 118.1}}, 422, "validation_error", "location.lat"),
    ("location_without_lng", lambda s: {"location": {"lat": 24.5}}, 422, "validation_error", "location.lng"),
    ("location_as_text", lambda s: {"location": "24.5,118.1"}, 422, "validation_error", "location"),
    (
        "accuracy_negative",
        lambda s: {"location": {"lat": 24.5, "lng": 118.1, "accuracy_m": -5}},
        422,
        "validation_error",
        "location.accuracy_m",
    ),
    (
        "location_source_unknown",
        lambda s: {"location": {"lat": 24.5, "lng": 118.1, "source": "telepathy"}},
        422,
        "validation_error",
        "location.source",
    ),
    ("title_5000_chars", lambda s: {"title": "隐" * 5000}, 422, "validation_error", "title"),
    ("title_201_chars", lambda s: {"title": "a" * 201}, 422, "validation_error", "title"),
    ("title_blank", lambda s: {"title": "   "}, 422, "validation_error", "title"),
    ("description_6000_chars", lambda s: {"description": "x" * 6000}, 422, "validation_error", "description"),
    ("address_301_chars", lambda s: {"address": "路" * 301}, 422, "validation_error", "address"),
    ("unknown_category", lambda s: {"category": "no_such_category"}, 422, "validation_error", "category"),
    ("category_too_long", lambda s: {"category": "c" * 41}, 422, "validation_error", "category"),
    ("unknown_enterprise", lambda s: {"enterprise_id": 999_999}, 422, "validation_error", "enterprise_id"),
    ("enterprise_2_pow_40", lambda s: {"enterprise_id": 2**40}, 422, "validation_error", "enterprise_id"),
    ("enterprise_zero", lambda s: {"enterprise_id": 0}, 422, "validation_error", "enterprise_id"),
    ("enterprise_as_string", lambda s: {"enterprise_id": "1"}, 422, "validation_error", "enterprise_id"),
    ("enterprise_as_float", lambda s: {"enterprise_id": 1.5}, 422, "validation_error", "enterprise_id"),
    (
        "enterprise_out_of_area",
        lambda s: {"enterprise_id": s.world.far_enterprise.id},
        422,
        "validation_error",
        "enterprise_id",
    ),
    ("inspector_without_enterprise", lambda s: {"enterprise_id": DROP}, 422, "validation_error", "enterprise_id"),
    ("nul_in_title", lambda s: {"title": "消防\x00通道"}, 422, "validation_error", "title"),
    ("nul_in_description", lambda s: {"description": "a\x00b"}, 422, "validation_error", "description"),
    ("nul_in_category", lambda s: {"category": "fi\x00re"}, 422, "validation_error", "category"),
    ("missing_id", lambda s: {"id": DROP}, 422, "validation_error", "id"),
    ("missing_title", lambda s: {"title": DROP}, 422, "validation_error", "title"),
    ("missing_category", lambda s: {"category": DROP}, 422, "validation_error", "category"),
    ("null_title", lambda s: {"title": None}, 422, "validation_error", "title"),
    ("title_as_number", lambda s: {"title": 12345}, 422, "validation_error", "title"),
    ("title_as_list", lambda s: {"title": ["消防"]}, 422, "validation_error", "title"),
    ("level_huge", lambda s: {"level": "huge"}, 422, "validation_error", "level"),
    ("nature_unknown", lambda s: {"nature": "bad_luck"}, 422, "validation_error", "nature"),
    ("rectify_mode_unknown", lambda s: {"rectify_mode": "someday"}, 422, "validation_error", "rectify_mode"),
    ("unknown_extra_field", lambda s: {"colour": "red"}, 422, "validation_error", "colour"),
    ("status_is_not_input", lambda s: {"status": "closed"}, 422, "validation_error", "status"),
    (
        "unknown_field_in_location",
        lambda s: {"location": {"lat": 24.5, "lng": 118.1, "altitude": 3}},
        422,
        "validation_error",
        "location.altitude",
    ),
    ("naive_observed_at", lambda s: {"observed_at": "2026-01-01T10:00:00"}, 422, "validation_error", "observed_at"),
    ("observed_at_as_number", lambda s: {"observed_at": 1767225600}, 422, "validation_error", "observed_at"),
    (
        "observed_at_in_the_future",
        lambda s: {"observed_at": (utcnow() + timedelta(days=2)).isoformat()},
        422,
        "validation_error",
        "observed_at",
    ),
    (
        # valid ISO 8601 with an offset, but it is before year 1 in UTC: no database column can hold it
        "observed_at_before_year_1_utc",
        lambda s: {"observed_at": "0001-01-01T00:00:00+14:00"},
        422,
        "validation_error",
        "observed_at",
    ),
    ("major_without_basis", lambda s: {"level": "major"}, 422, "validation_error", "major_basis"),
    (
        "major_basis_without_clause",
        lambda s: {"level": "major", "major_basis": {"criterion": "gongmao_2023", "clause": " "}},
        422,
        "validation_error",
        "major_basis.clause",
    ),
    (
        "major_basis_unknown_criterion",
        lambda s: {"level": "major", "major_basis": {"criterion": "no_such", "clause": "第四条(一)"}},
        422,
        "validation_error",
        "major_basis.criterion",
    ),
    (
        "fix_on_the_spot_without_immediate",
        lambda s: {"rectification": {"measures": "已清理", "completed_on": _today_plus(0)}},
        422,
        "validation_error",
        "rectification",
    ),
    (
        "fix_on_the_spot_completed_tomorrow",
        lambda s: {
            "rectify_mode": "immediate",
            "rectification": {"measures": "已清理", "completed_on": _today_plus(1), "photo_ids": [str(uuid.uuid4())]},
        },
        422,
        "validation_error",
        "rectification.completed_on",
    ),
    (
        "fix_on_the_spot_without_after_photo",
        lambda s: {
            "rectify_mode": "immediate",
            "rectification": {"measures": "已清理", "completed_on": _today_plus(0)},
        },
        422,
        "validation_error",
        "rectification.photo_ids",
    ),
    (
        "fix_on_the_spot_without_measures",
        lambda s: {"rectify_mode": "immediate", "rectification": {"completed_on": _today_plus(0)}},
        422,
        "validation_error",
        "rectification.measures",
    ),
    (
        "same_id_different_content",
        lambda s: {"id": str(s.rectifying.id), "title": "另一个隐患"},
        409,
        "conflict",
        None,
    ),
]


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field_path"),
    [pytest.param(*case[1:], id=case[0]) for case in CREATE_CASES],
)
def test_create_rejects_bad_field(client, scene, overrides, status, code, field_path):
    body = scene.create_body(**overrides(scene))
    response = client.post(FINDINGS, json=body, headers=scene.headers["inspector"])
    scene.rejects(response, status, code, field_path)


@pytest.mark.parametrize(
    ("body", "field_path"),
    [
        pytest.param({}, "id", id="empty_object"),
        pytest.param(None, None, id="json_null"),
        pytest.param([], None, id="json_array"),
        pytest.param("a finding", None, id="json_string"),
        pytest.param(42, None, id="json_number"),
    ],
)
def test_create_rejects_a_body_that_is_not_an_object_of_the_right_shape(client, scene, body, field_path):
    response = client.post(
        FINDINGS, data=json.dumps(body), content_type="application/json", headers=scene.headers["inspector"]
    )
    scene.rejects(response, 422, "validation_error", field_path)


@pytest.mark.parametrize("name", ["id", "category", "title"])
def test_create_names_every_missing_required_field(client, scene, name):
    response = client.post(FINDINGS, json={}, headers=scene.headers["inspector"])
    scene.rejects(response, 422, "validation_error", name)


# --- bodies that are not JSON at all ---------------------------------------------------------------


RAW_BODY_CASES = [
    # (id, raw body, content type, status, code)
    ("text_plain", '{"title": "x"}', "text/plain", 415, "unsupported_media_type"),
    ("form_encoded", "title=x&category=fire", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ("xml", "<finding><title>x</title></finding>", "application/xml", 415, "unsupported_media_type"),
    ("malformed_json", '{"title": ', "application/json", 400, "bad_request"),
    ("trailing_comma", '{"title": "x",}', "application/json", 400, "bad_request"),
    ("single_quotes", "{'title': 'x'}", "application/json", 400, "bad_request"),
    ("invalid_utf8", b'{"title": "\xff\xfe"}', "application/json", 400, "bad_request"),
    ("nested_100000_deep", "[" * 100_000 + "]" * 100_000, "application/json", 400, "bad_request"),
    ("empty_body", "", "application/json", 400, "bad_request"),
]


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in RAW_BODY_CASES],
)
def test_create_rejects_a_body_that_is_not_json(client, scene, raw, content_type, status, code):
    response = client.post(FINDINGS, data=raw, content_type=content_type, headers=scene.headers["inspector"])
    scene.rejects(response, status, code)


PLACEHOLDER = 1234.5678  # a number to swap for a bare word in the JSON text

NON_JSON_NUMBERS = ["NaN", "Infinity", "-Infinity"]


@pytest.mark.parametrize("word", NON_JSON_NUMBERS)
def test_create_rejects_nan_and_infinity_which_json_does_not_have(client, scene, word):
    """RFC 8259 has no NaN or Infinity: Python's json module reads them, a JSON API must not."""
    body = scene.create_body(location={"lat": PLACEHOLDER, "lng": 118.1, "accuracy_m": 8.0, "source": "gps"})
    raw = json.dumps(body).replace(str(PLACEHOLDER), word)
    response = client.post(FINDINGS, data=raw, content_type="application/json", headers=scene.headers["inspector"])
    scene.rejects(response, 400, "bad_request")


@pytest.mark.parametrize("word", NON_JSON_NUMBERS)
def test_act_rejects_nan_and_infinity_which_json_does_not_have(client, scene, word):
    body = event("comment", None, text="看一下", location={"lat": PLACEHOLDER, "lng": 118.1})
    raw = json.dumps(body).replace(str(PLACEHOLDER), word)
    response = client.post(
        _events_url(scene.rectifying), data=raw, content_type="application/json", headers=scene.headers["inspector"]
    )
    scene.rejects(response, 400, "bad_request")


def test_create_rejects_a_number_too_big_for_a_float(client, scene):
    """1e400 is JSON's grammar but no double: it must not become infinity on its way in."""
    body = scene.create_body(location={"lat": PLACEHOLDER, "lng": 118.1})
    raw = json.dumps(body).replace(str(PLACEHOLDER), "1e400")
    response = client.post(FINDINGS, data=raw, content_type="application/json", headers=scene.headers["inspector"])
    scene.rejects(response, 422, "validation_error", "location.lat")


def _with_lone_surrogate(body: dict, path: str) -> str:
    """The JSON text of `body` with the escape \\ud800 (half a UTF-16 pair: no character) at `path`."""
    marker = "SURROGATE-HERE"
    node = body
    *parents, name = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    if name == "<key>":
        node[marker] = 1
    else:
        node[name] = f"{node.get(name) or ''}{marker}"
    return json.dumps(body).replace(marker, "\\ud800")


def _rejects_unencodable(scene, response, path: str) -> None:
    """Not a character: a 400 for the body, or a 422 that names the field. Never a 500."""
    if response.status_code == 422 and not path.endswith("<key>"):
        scene.rejects(response, 422, "validation_error", path)
    elif response.status_code == 422:
        scene.rejects(response, 422, "validation_error")
    else:
        scene.rejects(response, 400, "bad_request")


@pytest.mark.parametrize(
    "path", ["title", "description", "category", "address", "major_basis.clause", "<key>", "location.<key>"]
)
def test_create_rejects_a_lone_surrogate(client, scene, path):
    body = scene.create_body(level="major", major_basis={"criterion": "gongmao_2023", "clause": "第四条"})
    raw = _with_lone_surrogate(body, path)
    response = client.post(FINDINGS, data=raw, content_type="application/json", headers=scene.headers["inspector"])
    _rejects_unencodable(scene, response, path)


@pytest.mark.parametrize(
    ("who", "action", "path"), [("inspector", "comment", "text"), ("supervisor", "void", "reason")]
)
def test_act_rejects_a_lone_surrogate(client, scene, who, action, path):
    body = event(action, scene.rectifying.version, **{path: "重复"})
    raw = _with_lone_surrogate(body, path)
    response = client.post(
        _events_url(scene.rectifying), data=raw, content_type="application/json", headers=scene.headers[who]
    )
    _rejects_unencodable(scene, response, path)


def test_create_rejects_an_integer_python_cannot_parse(client, scene):
    """Valid JSON, but more digits than Python's int() accepts (4,300): a 4xx, not a crash."""
    raw = json.dumps(scene.create_body()).replace('"enterprise_id": ', '"enterprise_id": ' + "9" * 5000, 1)
    response = client.post(FINDINGS, data=raw, content_type="application/json", headers=scene.headers["inspector"])
    scene.rejects(response, {400, 422}, "bad_request" if response.status_code == 400 else "validation_error")


def test_create_rejects_a_30_mb_body(client, scene):
    body = scene.create_body(description="x" * (30 * 1024 * 1024))
    raw = json.dumps(body)
    assert len(raw) > MAX_BODY
    response = client.post(FINDINGS, data=raw, content_type="application/json", headers=scene.headers["inspector"])
    scene.rejects(response, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read_and_judged_on_its_fields(client, scene):
    """Under MAX_CONTENT_LENGTH the body is parsed: a too-long description is a 422 about that field."""
    body = scene.create_body(description="x" * (MAX_BODY - 2048))
    response = client.post(FINDINGS, json=body, headers=scene.headers["inspector"])
    scene.rejects(response, 422, "validation_error", "description")


# --- who may create ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no_credentials"),
        pytest.param({"Authorization": "Bearer clt_not-a-real-token"}, id="unknown_token"),
        pytest.param({"Authorization": "Basic dXNlcjpwYXNz"}, id="basic_auth"),
        pytest.param({"Authorization": "Bearer "}, id="empty_bearer"),
    ],
)
def test_create_without_valid_credentials_is_401(client, scene, headers):
    response = client.post(FINDINGS, json=scene.create_body(), headers=headers)
    scene.rejects(response, 401, "unauthorized")


@pytest.mark.parametrize("role", ["enterprise_officer", "supervisor"])
def test_create_by_a_role_that_does_not_report_is_403(client, scene, role):
    response = client.post(FINDINGS, json=scene.create_body(), headers=scene.headers[role])
    scene.rejects(response, 403, "forbidden")


# --- the finding id in the URL -------------------------------------------------------------------

BAD_PATH_IDS = ["not-a-uuid", "12345", "%00", "1" * 300, "00000000-0000-0000-0000-00000000000g"]


@pytest.mark.parametrize("finding_id", BAD_PATH_IDS)
@pytest.mark.parametrize("suffix", ["", "/events"])
def test_malformed_finding_id_in_the_path_is_a_json_404(client, scene, finding_id, suffix):
    response = client.get(f"{FINDINGS}/{finding_id}{suffix}", headers=scene.headers["supervisor"])
    scene.rejects(response, 404, "not_found")


@pytest.mark.parametrize("finding_id", ["not-a-uuid", str(uuid.uuid4())])
def test_acting_on_a_malformed_or_unknown_finding_id_is_a_json_404(client, scene, finding_id):
    body = event("comment", None, text="看一下")
    response = client.post(f"{FINDINGS}/{finding_id}/events", json=body, headers=scene.headers["supervisor"])
    scene.rejects(response, 404, "not_found")


def test_unknown_finding_is_404_and_says_which_id_was_malformed(client, scene):
    body = scene.rejects(client.get(f"{FINDINGS}/not-a-uuid", headers=scene.headers["supervisor"]), 404, "not_found")
    assert "finding_id" in body["error"]["fields"]
    scene.rejects(client.get(f"{FINDINGS}/{uuid.uuid4()}", headers=scene.headers["supervisor"]), 404, "not_found")


def test_a_finding_the_officer_may_not_see_is_404_not_403(client, scene):
    body = event("acknowledge", scene.rectifying.version)
    response = client.post(
        f"{FINDINGS}/{scene.rectifying.id}/events", json=body, headers=scene.headers["other_officer"]
    )
    scene.rejects(response, 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("DELETE", f"{FINDINGS}/{uuid.uuid4()}", {404, 405}, None),
        ("PATCH", FINDINGS, {404, 405}, None),
        ("GET", "/api/v1/no-such-thing", 404, "not_found"),
        ("POST", "/api/v1/no-such-thing", 404, "not_found"),
    ],
)
def test_unknown_endpoints_and_methods_answer_json(client, scene, method, path, status, code):
    response = client.open(path, method=method, headers=scene.headers["supervisor"])
    expected_code = code or {404: "not_found", 405: "method_not_allowed"}.get(response.status_code, "?")
    scene.rejects(response, status, expected_code)


# --- POST /api/v1/findings/{id}/events -----------------------------------------------------------


def _events_url(finding) -> str:
    return f"{FINDINGS}/{finding.id}/events"


CURRENT = object()  # the finding's current version


def _ev(action: str, version=CURRENT, *, without: tuple[str, ...] = (), **fields):
    """A body builder: fields may be callables of the finding (e.g. relative to its deadline)."""

    def build(finding) -> dict:
        values = {k: v(finding) if callable(v) else v for k, v in fields.items()}
        body = event(action, finding.version if version is CURRENT else None, **values)
        if version is not CURRENT and version is not None:
            body["version"] = version
        return {k: v for k, v in body.items() if k not in without}

    return build


def _plan() -> dict:
    return jsonify({**f.PLAN, "time_limit": real_today() + timedelta(days=10)})


def _days_after_deadline(days: int):
    return lambda finding: finding.deadline + timedelta(days=days)


SUP, INS, OFF, RECT, PEND = "supervisor", "inspector", "enterprise_officer", "rectifying", "pending"
V422 = (422, "validation_error")
LOOK = {"text": "看一下"}

EVENT_CASES = [
    # (id, who, which finding, body builder, (status, code), field)
    ("unknown_action", SUP, RECT, _ev("explode"), V422, "action"),
    ("report_is_not_an_event", INS, RECT, _ev("report"), V422, "action"),
    ("missing_action", SUP, RECT, _ev("void", reason="重复", without=("action",)), V422, "action"),
    ("missing_event_id", SUP, RECT, _ev("void", reason="重复", without=("id",)), V422, "id"),
    ("event_id_not_a_uuid", SUP, RECT, _ev("void", reason="重复", id="nope"), V422, "id"),
    ("missing_version", SUP, RECT, _ev("void", None, reason="重复上报"), V422, "version"),
    ("version_as_string", SUP, RECT, _ev("void", "1", reason="重复"), V422, "version"),
    ("version_as_float", SUP, RECT, _ev("void", 1.5, reason="重复"), V422, "version"),
    ("version_as_bool", SUP, RECT, _ev("void", True, reason="重复"), V422, "version"),
    ("version_zero", SUP, RECT, _ev("void", 0, reason="重复上报"), V422, "version"),
    ("version_2_pow_40", SUP, RECT, _ev("void", 2**40, reason="重复上报"), V422, "version"),
    ("officer_may_not_void", OFF, RECT, _ev("void", reason="不是隐患"), (403, "forbidden"), None),
    ("inspector_may_not_approve", INS, PEND, _ev("approve"), (403, "forbidden"), None),
    ("officer_may_not_approve", OFF, PEND, _ev("approve"), (403, "forbidden"), None),
    ("officer_may_not_confirm", OFF, RECT, _ev("confirm"), (403, "forbidden"), None),
    ("approve_while_rectifying", SUP, RECT, _ev("approve"), (409, "invalid_transition"), None),
    (
        "reopen_while_rectifying",
        SUP,
        RECT,
        _ev("reopen", reason="复查", new_deadline=lambda x: real_today() + timedelta(days=5)),
        (409, "invalid_transition"),
        None,
    ),
    ("confirm_while_rectifying", SUP, RECT, _ev("confirm"), (409, "invalid_transition"), None),
    ("decide_without_request", SUP, RECT, _ev("decide_extension", approved=True), (409, "invalid_transition"), None),
    ("plan_for_general_finding", OFF, RECT, _ev("submit_plan", plan=_plan()), (409, "invalid_transition"), None),
    (
        "extension_earlier_than_deadline",
        OFF,
        RECT,
        _ev("request_extension", new_deadline=_days_after_deadline(-1), reason="设备未到"),
        V422,
        "new_deadline",
    ),
    (
        "extension_same_as_deadline",
        OFF,
        RECT,
        _ev("request_extension", new_deadline=_days_after_deadline(0), reason="设备未到"),
        V422,
        "new_deadline",
    ),
    (
        "extension_in_the_past",
        OFF,
        RECT,
        _ev("request_extension", new_deadline=lambda x: real_today() - timedelta(days=3), reason="设备未到"),
        V422,
        "new_deadline",
    ),
    (
        "extension_without_reason",
        OFF,
        RECT,
        _ev("request_extension", new_deadline=_days_after_deadline(9)),
        V422,
        "reason",
    ),
    (
        "extension_blank_reason",
        OFF,
        RECT,
        _ev("request_extension", new_deadline=_days_after_deadline(9), reason="  "),
        V422,
        "reason",
    ),
    (
        "extension_date_as_text",
        OFF,
        RECT,
        _ev("request_extension", new_deadline="later", reason="设备未到"),
        V422,
        "new_deadline",
    ),
    ("reject_without_comment", SUP, PEND, _ev("reject"), V422, "comment"),
    ("reject_with_blank_comment", SUP, PEND, _ev("reject", comment="   "), V422, "comment"),
    (
        "reject_with_past_deadline",
        SUP,
        PEND,
        _ev("reject", comment="不合格", new_deadline=lambda x: real_today() - timedelta(days=1)),
        V422,
        "new_deadline",
    ),
    ("text_on_approve", SUP, PEND, _ev("approve", text="looks fine"), V422, "text"),
    ("deadline_on_void", SUP, RECT, _ev("void", reason="重复", deadline=lambda x: x.deadline), V422, "deadline"),
    ("unknown_extra_field", SUP, RECT, _ev("void", reason="重复", colour="red"), V422, "colour"),
    ("void_without_reason", SUP, RECT, _ev("void"), V422, "reason"),
    ("comment_without_text", INS, RECT, _ev("comment", None), V422, "text"),
    ("comment_with_nul", INS, RECT, _ev("comment", None, text="a\x00b"), V422, "text"),
    ("comment_5001_chars", INS, RECT, _ev("comment", None, text="字" * 5001), V422, "text"),
    ("comment_text_as_number", INS, RECT, _ev("comment", None, text=42), V422, "text"),
    ("approved_as_text", SUP, RECT, _ev("decide_extension", approved="maybe"), V422, "approved"),
    (
        "rectification_completed_tomorrow",
        OFF,
        RECT,
        _ev("submit_rectification", measures="已清理", completed_on=lambda x: real_today() + timedelta(days=1)),
        V422,
        "completed_on",
    ),
    (
        "rectification_without_after_photo",
        OFF,
        RECT,
        _ev("submit_rectification", measures="已清理", completed_on=lambda x: real_today()),
        V422,
        "photo_ids",
    ),
    (
        "rectification_citing_a_photo_that_has_not_arrived",
        OFF,
        RECT,
        _ev(
            "submit_rectification",
            measures="已清理",
            completed_on=lambda x: real_today(),
            photo_ids=lambda x: [str(uuid.uuid4())],
        ),
        V422,
        "photo_ids",
    ),
    (
        "rectification_without_measures",
        OFF,
        RECT,
        _ev("submit_rectification", completed_on=lambda x: real_today()),
        V422,
        "measures",
    ),
    ("naive_client_at", INS, RECT, _ev("comment", None, client_at="2026-01-01T10:00:00", **LOOK), V422, "client_at"),
    (
        # valid ISO 8601 with an offset, but before year 1 in UTC: no database column can hold it
        "client_at_before_year_1_utc",
        INS,
        RECT,
        _ev("comment", None, client_at="0001-01-01T00:00:00+14:00", **LOOK),
        V422,
        "client_at",
    ),
    (
        "event_lat_91",
        INS,
        RECT,
        _ev("comment", None, location={"lat": 91, "lng": 118.1}, **LOOK),
        V422,
        "location.lat",
    ),
    (
        "event_lng_minus_181",
        INS,
        RECT,
        _ev("comment", None, location={"lat": 24.5, "lng": -181}, **LOOK),
        V422,
        "location.lng",
    ),
    ("level_huge_on_confirm", SUP, RECT, _ev("confirm", level="huge"), V422, "level"),
    ("enterprise_2_pow_40_on_confirm", SUP, RECT, _ev("confirm", enterprise_id=2**40), V422, "enterprise_id"),
    (
        "plan_with_unknown_element",
        OFF,
        RECT,
        _ev("submit_plan", plan={**_plan(), "luck": "good"}),
        V422,
        "plan.luck",
    ),
    (
        "plan_time_limit_not_a_date",
        OFF,
        RECT,
        _ev("submit_plan", plan={**_plan(), "time_limit": "soon"}),
        V422,
        "plan.time_limit",
    ),
]


@pytest.mark.parametrize(
    ("who", "which", "build", "expected", "field_path"),
    [pytest.param(*case[1:], id=case[0]) for case in EVENT_CASES],
)
def test_act_rejects_bad_event(client, scene, who, which, build, expected, field_path):
    finding = getattr(scene, which)
    response = client.post(_events_url(finding), json=build(finding), headers=scene.headers[who])
    scene.rejects(response, *expected, field_path)


def test_stale_version_is_409_with_the_current_finding(client, scene):
    officer = scene.users["enterprise_officer"]
    finding = f.act(scene.session, officer, scene.rectifying, "acknowledge", utcnow())
    scene.settle()
    assert finding.version == 2
    body = event("void", 1, reason="重复上报")
    response = client.post(_events_url(finding), json=body, headers=scene.headers["supervisor"])
    answer = scene.rejects(response, 409, "stale")
    current = answer["finding"]
    assert current["id"] == str(finding.id)
    assert (current["version"], current["status"], current["acknowledged"]) == (2, "rectifying", True)
    assert "void" in current["allowed_actions"]


def test_a_future_version_is_stale_too(client, scene):
    body = event("void", scene.rectifying.version + 5, reason="重复上报")
    response = client.post(_events_url(scene.rectifying), json=body, headers=scene.headers["supervisor"])
    answer = scene.rejects(response, 409, "stale")
    assert answer["finding"]["version"] == scene.rectifying.version


def test_event_id_reused_for_another_action_is_a_conflict(client, scene):
    first = event("comment", None, text="已电话提醒企业")
    assert client.post(_events_url(scene.rectifying), json=first, headers=scene.headers["inspector"]).status_code == 201
    scene.settle()
    clash = {**event("void", scene.rectifying.version, reason="重复上报"), "id": first["id"]}
    response = client.post(_events_url(scene.rectifying), json=clash, headers=scene.headers["supervisor"])
    scene.rejects(response, 409, "conflict")


def test_second_extension_request_while_one_is_pending_is_409(client, scene):
    x = scene.rectifying
    ask = event("request_extension", x.version, new_deadline=x.deadline + timedelta(days=5), reason="设备未到")
    first = client.post(_events_url(x), json=ask, headers=scene.headers["enterprise_officer"])
    assert first.status_code == 201, first.json
    scene.settle()
    again = event(
        "request_extension", first.json["version"], new_deadline=x.deadline + timedelta(days=9), reason="再延"
    )
    response = client.post(_events_url(x), json=again, headers=scene.headers["enterprise_officer"])
    scene.rejects(response, 409, "invalid_transition")


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [
        pytest.param('{"action": "comment"}', "text/plain", 415, "unsupported_media_type", id="text_plain"),
        pytest.param('{"action": ', "application/json", 400, "bad_request", id="malformed_json"),
        pytest.param("[" * 100_000, "application/json", 400, "bad_request", id="nested_100000_deep"),
    ],
)
def test_act_rejects_a_body_that_is_not_json(client, scene, raw, content_type, status, code):
    response = client.post(
        _events_url(scene.rectifying), data=raw, content_type=content_type, headers=scene.headers["inspector"]
    )
    scene.rejects(response, status, code)


def test_act_rejects_a_30_mb_body(client, scene):
    body = event("comment", None, text="x" * (30 * 1024 * 1024))
    response = client.post(
        _events_url(scene.rectifying),
        data=json.dumps(body),
        content_type="application/json",
        headers=scene.headers["inspector"],
    )
    scene.rejects(response, 413, "payload_too_large")


def test_act_without_credentials_is_401(client, scene):
    response = client.post(_events_url(scene.rectifying), json=event("comment", None, text="hi"))
    scene.rejects(response, 401, "unauthorized")


# --- GET /api/v1/findings: filters and the cursor ---------------------------------------------------


def _cursor(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


LIST_CASES = [
    # (id, query string, field)
    ("sort_by_name", {"sort": "name"}, "sort"),
    ("from_not_a_date", {"from": "yesterday"}, "from"),
    ("to_before_from", {"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ("limit_0", {"limit": "0"}, "limit"),
    ("limit_10000", {"limit": "10000"}, "limit"),
    ("limit_negative", {"limit": "-1"}, "limit"),
    ("limit_text", {"limit": "ten"}, "limit"),
    ("limit_2_pow_70", {"limit": str(2**70)}, "limit"),
    ("status_bogus", {"status": "bogus"}, "status"),
    ("status_one_bogus", {"status": "rectifying,bogus"}, "status"),
    ("level_huge", {"level": "huge"}, "level"),
    ("enterprise_2_pow_40", {"enterprise_id": str(2**40)}, "enterprise_id"),
    ("enterprise_text", {"enterprise_id": "abc"}, "enterprise_id"),
    ("overdue_maybe", {"overdue": "maybe"}, "overdue"),
    ("reported_by_you", {"reported_by": "you"}, "reported_by"),
    ("updated_since_naive", {"updated_since": "2026-01-01T00:00:00"}, "updated_since"),
    ("updated_since_text", {"updated_since": "yesterday"}, "updated_since"),
    ("updated_since_before_year_1_utc", {"updated_since": "0001-01-01T00:00:00+14:00"}, "updated_since"),
    ("unknown_category", {"category": "no_such_category"}, "category"),
    ("unknown_area", {"area": "999999"}, "area"),
    ("q_201_chars", {"q": "q" * 201}, "q"),
    ("q_with_nul", {"q": "a\x00b"}, "q"),
]


@pytest.mark.parametrize(("query", "field_path"), [pytest.param(*case[1:], id=case[0]) for case in LIST_CASES])
def test_list_rejects_bad_filter(client, scene, query, field_path):
    response = client.get(FINDINGS, query_string=query, headers=scene.headers["supervisor"])
    scene.rejects(response, 422, "validation_error", field_path)


TAG = "findings:-received_at"
BAD_CURSORS = [
    ("garbage", "not-a-cursor!"),
    ("not_base64_text", "光标"),
    ("base64_of_text", _cursor(b"hello world")),
    ("wrong_shape", _cursor([1, 2])),
    ("object", _cursor({"a": 1})),
    ("untagged", _cursor(["2026-01-01T00:00:00+00:00", uuid.uuid4().hex])),
    ("another_order", _cursor(["findings:deadline", "2026-01-01", uuid.uuid4().hex])),
    ("sync_cursor", _cursor(["sync1", "2026-01-01T00:00:00+00:00", uuid.uuid4().hex, None])),
    ("four_items", _cursor([TAG, "2026-01-01T00:00:00+00:00", uuid.uuid4().hex, 3])),
    ("bad_uuid", _cursor([TAG, "2026-01-01T00:00:00+00:00", "zz"])),
    ("null_uuid", _cursor([TAG, "2026-01-01T00:00:00+00:00", None])),
    ("naive_time", _cursor([TAG, "2026-01-01T00:00:00", uuid.uuid4().hex])),
    ("before_year_1_in_utc", _cursor([TAG, "0001-01-01T00:00:00+14:00", uuid.uuid4().hex])),
    ("number_for_time", _cursor([TAG, 20260101, uuid.uuid4().hex])),
    ("invalid_utf8", _cursor(b"\xff\xfe\xfd")),
    ("501_chars", "a" * 501),
]


@pytest.mark.parametrize("cursor", [pytest.param(c, id=name) for name, c in BAD_CURSORS])
def test_a_bad_cursor_is_400_invalid_cursor(client, scene, cursor):
    """Every way a cursor can be wrong gets the one answer every keyset endpoint gives (read.cursors)."""
    response = client.get(FINDINGS, query_string={"cursor": cursor}, headers=scene.headers["supervisor"])
    scene.rejects(response, 400, "invalid_cursor", "cursor")


def test_a_cursor_written_with_another_utc_offset_means_the_same_instant(client, scene, session):
    """A cursor is a position in time: "+08:00" and "+00:00" spellings of one instant page alike."""
    inspector, now = scene.users["inspector"], utcnow().replace(microsecond=0)
    made = [
        f.report(
            session,
            inspector,
            f.finding_data(scene.world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=at),
            at,
        )
        for at in (now - timedelta(hours=3), now - timedelta(hours=2), now - timedelta(hours=1))
    ]
    scene.settle()
    middle = made[1]
    older = {str(made[0].id)}
    for offset in (0, 8, -8):
        at = middle.received_at.astimezone(timezone(timedelta(hours=offset))).isoformat()
        cursor = _cursor([TAG, at, middle.id.hex])
        response = client.get(FINDINGS, query_string={"cursor": cursor}, headers=scene.headers["supervisor"])
        assert response.status_code == 200, response.json
        ids = {item["id"] for item in response.json["items"]}
        assert ids == older, f"cursor at {at}: expected only the finding older than the cursor"


def test_list_without_credentials_is_401(client, scene):
    scene.rejects(client.get(FINDINGS), 401, "unauthorized")


def test_a_cursor_from_the_api_still_works_next_to_the_bad_ones(client, scene):
    """The guard rails do not break the real thing: limit=1 hands out a cursor that leads to the next page."""
    first = client.get(FINDINGS, query_string={"limit": 1}, headers=scene.headers["supervisor"])
    assert first.status_code == 200 and first.json["next_cursor"]
    second = client.get(
        FINDINGS, query_string={"limit": 1, "cursor": first.json["next_cursor"]}, headers=scene.headers["supervisor"]
    )
    assert second.status_code == 200
    assert {first.json["items"][0]["id"], second.json["items"][0]["id"]} == {
        str(scene.rectifying.id),
        str(scene.pending.id),
    }


# --- GET /api/v1/enterprises?near=... ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field_path"),
    [
        pytest.param({"near": "abc"}, "near", id="near_abc"),
        pytest.param({"near": "100,200"}, "near", id="near_100_200"),
        pytest.param({"near": "91,118"}, "near", id="near_lat_91"),
        pytest.param({"near": "24.5,-181"}, "near", id="near_lng_minus_181"),
        pytest.param({"near": "24.5"}, "near", id="near_one_number"),
        pytest.param({"near": "1,2,3"}, "near", id="near_three_numbers"),
        pytest.param({"near": ""}, "near", id="near_empty"),
        pytest.param({"near": "nan,nan"}, "near", id="near_nan"),
        pytest.param({"near": "inf,0"}, "near", id="near_inf"),
        pytest.param({"near": "24.5,1e999"}, "near", id="near_1e999"),
        pytest.param({"near": "24.5;118.1"}, "near", id="near_semicolon"),
        pytest.param({"limit": "0"}, "limit", id="limit_0"),
        pytest.param({"limit": "10000"}, "limit", id="limit_10000"),
        pytest.param({"after_id": str(2**40)}, "after_id", id="after_id_2_pow_40"),
        pytest.param({"q": "a\x00b"}, "q", id="q_with_nul"),
    ],
)
def test_enterprises_rejects_bad_query(client, scene, query, field_path):
    response = client.get(ENTERPRISES, query_string=query, headers=scene.headers["inspector"])
    scene.rejects(response, 422, "validation_error", field_path)


def test_enterprises_near_a_good_point_still_answers(client, scene):
    response = client.get(ENTERPRISES, query_string={"near": "24.5,118.1"}, headers=scene.headers["inspector"])
    assert response.status_code == 200
    distances = [item["distance_m"] for item in response.json["items"]]
    assert distances and distances == sorted(distances)
