"""Property-based run over the findings endpoints of /api/v1/openapi.json (schemathesis 4), in-process.

Schemathesis makes requests from the OpenAPI document, valid ones and deliberately broken ones, and
sends them as a supervisor and as an inspector to the WSGI app (no network). Whatever it sends, the
API must not answer 5xx, must answer what its document says, and every error must be the JSON
envelope {"error": {"code", "message", "fields"}}. Some of the path ids, versions, categories and
enterprises it makes up are swapped for ones that exist, so requests also reach the real work.
"""

import contextvars
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

import factories as f
import pytest
import schemathesis
from helpers import real_today
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.domain.calendar import utcnow
from app.domain.lifecycle import PAYLOAD_FIELDS
from app.models import Finding

FINDINGS_PATHS = r"^/api/v1/(sync|findings(/\{finding_id\}(/events)?)?)$"
MAX_EXAMPLES = 150  # per operation and role, on top of schemathesis' deterministic coverage cases
SEED = 20260601
ACTIONS = sorted(PAYLOAD_FIELDS)
EVENT_ENVELOPE = frozenset({"id", "action", "version", "client_at", "location"})

CONFIG = {
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}


class Isolated:
    """Each request in a fresh context, as tests/conftest.py's IsolatedClient does: its own app
    context, session and `g`, so one role's cached user never leaks into the next request."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return contextvars.Context().run(self.app, environ, start_response)


@dataclass
class Target:
    role: str
    headers: dict
    finding_ids: list[str]
    enterprise_ids: list[int]
    session: object
    ids_made: int = 0
    sent: dict = field(default_factory=dict)  # status -> how many answers

    def fresh_id(self) -> str:
        """A new client UUID: Hypothesis repeats its simplest UUIDs, and a reused id is (rightly) a 409."""
        self.ids_made += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"closeloop-fuzz/{self.role}/{self.ids_made}"))

    def current_version(self, finding_id: str) -> int | None:
        self.session.rollback()  # a fresh look: the requests committed in their own sessions
        finding = self.session.get(Finding, uuid.UUID(finding_id))
        return finding.version if finding else None


@pytest.fixture(params=["supervisor", "inspector"])
def fuzz_target(request, session):
    world = f.World(session)
    inspector, grid_worker = world.user("inspector"), world.user("grid_worker")
    caller = world.user(request.param) if request.param != "inspector" else inspector
    now, today = utcnow(), real_today()

    def seeded(n: int, enterprise, **overrides) -> dict:  # fixed ids: the same run, run after run
        finding_id = uuid.uuid5(uuid.NAMESPACE_URL, f"closeloop-fuzz/finding/{n}")
        return f.finding_data(enterprise, id=finding_id, observed_at=now, **overrides)

    made = [
        f.report(session, inspector, seeded(1, world.enterprise, deadline=today + timedelta(days=7)), now),
        f.report(session, grid_worker, seeded(2, world.enterprise, deadline=None), now),
        f.report(
            session,
            inspector,
            seeded(
                3,
                world.other_enterprise,
                rectify_mode="immediate",
                deadline=today,
                rectification={"measures": "当场清理", "completed_on": today},
            ),
            now,
        ),
        f.report(
            session,
            world.user("inspector", area=world.city),
            seeded(
                4,
                world.far_enterprise,
                level="major",
                major_basis={"criterion": "gongmao_2023", "clause": "第四条(一)"},
                deadline=today + timedelta(days=30),
            ),
            now,
        ),
    ]
    headers = f.token_for(session, caller)
    session.commit()
    target = Target(
        role=request.param,
        headers=headers,
        finding_ids=[str(x.id) for x in made],
        enterprise_ids=[world.enterprise.id, world.other_enterprise.id, world.far_enterprise.id],
        session=session,
    )
    yield target
    tally = ", ".join(f"{status}: {n}" for status, n in sorted(target.sent.items()))
    print(f"\n{request.param}: {sum(target.sent.values())} requests ({tally})")


def _openapi_document() -> dict:
    """The document as the app serves it, read once from a throwaway app: the DB-backed app is per test."""
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_client() as client:
        response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


schema = schemathesis.openapi.from_dict(_openapi_document(), config=schemathesis.Config.from_dict(CONFIG)).include(
    path_regex=FINDINGS_PATHS
)


def _pick(case, salt: str, n: int) -> int:
    """A choice that is a pure function of the generated case, so Hypothesis can replay and shrink it."""
    body = case.body if isinstance(case.body, dict | list | str | int | float | bool) else None  # not NotSet's id
    text = f"{salt}|{case.path_parameters}|{case.query}|{body!r}"
    return zlib.crc32(text.encode()) % n


def _aim_at_real_data(case, target: Target) -> None:
    """Point some made-up requests at real data, so they get past the lookups to the real work:
    four in five path ids name a seeded finding; half the events get a fresh id, the current version,
    an action picked from all of them and only the fields it takes; half the creates get a fresh id,
    a real category and a real enterprise."""
    if case.path_parameters and "finding_id" in case.path_parameters:
        choice = _pick(case, "finding", len(target.finding_ids) + 1)
        if choice < len(target.finding_ids):
            case.path_parameters["finding_id"] = target.finding_ids[choice]
    body = case.body
    if case.method != "POST" or not isinstance(body, dict):
        return
    if case.path.endswith("/events") and _pick(case, "event", 2) == 0:
        body["id"] = target.fresh_id()
        version = target.current_version(case.path_parameters["finding_id"]) if _is_uuid(case) else None
        if version is not None and (body.get("version") is None or isinstance(body["version"], int)):
            body["version"] = version
        action = ACTIONS[_pick(case, "action", len(ACTIONS))]
        body["action"] = action.value
        for name in set(body) - PAYLOAD_FIELDS[action] - EVENT_ENVELOPE:
            del body[name]
    if case.path == "/api/v1/findings" and _pick(case, "create", 2) == 0:
        body["id"] = target.fresh_id()
        if isinstance(body.get("category"), str):
            body["category"] = "fire"
        if body.get("enterprise_id") is None or isinstance(body["enterprise_id"], int):
            body["enterprise_id"] = target.enterprise_ids[_pick(case, "enterprise", len(target.enterprise_ids))]


def _is_uuid(case) -> bool:
    try:
        uuid.UUID(str(case.path_parameters["finding_id"]))
    except ValueError:
        return False
    return True


def error_envelope(ctx, response, case):
    """Every 4xx/5xx under /api/ is {"error": {"code": str, "message": str, "fields": {...}}}."""
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.headers
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict), f"no error envelope: {body!r}"[:500]
    assert isinstance(error.get("code"), str) and error["code"], error
    assert isinstance(error.get("message"), str) and error["message"].strip(), error
    assert isinstance(error.get("fields"), dict), error
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_findings_api_never_answers_5xx_and_keeps_its_contract(case, app, fuzz_target):
    _aim_at_real_data(case, fuzz_target)
    response = case.call(app=Isolated(app), headers=fuzz_target.headers)
    fuzz_target.sent[response.status_code] = fuzz_target.sent.get(response.status_code, 0) + 1
    case.validate_response(response, checks=CHECKS, additional_checks=[error_envelope])
