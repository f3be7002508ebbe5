"""Property-based run over the checklist, campaign and inspection endpoints of /api/v1/openapi.json (schemathesis),
as tests/api/test_fuzz.py runs the findings': whatever is sent, as a supervisor or an inspector, no 5xx, the answer
the document promises, and every error the JSON envelope. Some made-up ids are swapped for real ones and some
bodies get a fresh id, so requests also reach the rules and the writes."""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from inspection_support import CAMPAIGNS, CHECKLISTS, INSPECTIONS, Scene, campaign_body, checklist_body, made
from test_fuzz import CHECKS, CONFIG, Isolated, _openapi_document, _pick, error_envelope

PATHS = r"^/api/v1/(checklists(/\{raw_id\})?|campaigns(/\{raw_id\}(/coverage)?)?|inspections(/\{raw_id\}(/notes)?)?)$"
MAX_EXAMPLES = 60

schema = schemathesis.openapi.from_dict(_openapi_document(), config=schemathesis.Config.from_dict(CONFIG)).include(
    path_regex=PATHS
)


class Target:
    def __init__(self, client, session, role: str):
        self.scene = Scene(session)
        self.headers = self.scene.headers[role]
        self.checklist = made(client, self.scene, CHECKLISTS, checklist_body(3, majors=(1,)))
        campaign = made(client, self.scene, CAMPAIGNS, campaign_body(self.scene, [self.checklist["id"]]))
        self.ids = {"checklists": self.checklist["id"], "campaigns": campaign["id"], "inspections": None}
        self.made = 0

    def fresh_id(self) -> str:
        self.made += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"closeloop-fuzz/inspections/{self.made}"))


@pytest.fixture(params=["supervisor", "inspector"])
def target(request, client, session):
    return Target(client, session, request.param)


def _aim(case, target: Target) -> None:
    kind = case.path.split("/")[3]
    if case.path_parameters and "raw_id" in case.path_parameters and _pick(case, "id", 3) < 2:
        real = target.ids.get(kind)
        if real:
            case.path_parameters["raw_id"] = real
    body = case.body
    if case.method in ("POST", "PUT") and isinstance(body, dict) and _pick(case, "fresh", 2) == 0:
        body["id"] = target.fresh_id()
        if case.path == INSPECTIONS:
            body["checklist_id"] = target.checklist["id"]
            body["enterprise_id"] = target.scene.world.enterprise.id


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_inspection_endpoints_never_answer_5xx_and_keep_their_contract(case, app, target):
    _aim(case, target)
    response = case.call(app=Isolated(app), headers=target.headers)
    case.validate_response(response, checks=CHECKS, additional_checks=[error_envelope])
