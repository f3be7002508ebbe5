"""挂牌督办's rules (issue 12), pure: who lists what, what a listing asks, and how a listed hazard is closed — on site
within 500 m of the enterprise, or with the reason why not; its term moves only by an approved extension."""

import math
from datetime import date

import pytest

from app.domain.actors import Actor, FindingFacts
from app.domain.errors import Forbidden, InvalidTransition, RuleViolation
from app.domain.geo import EARTH_RADIUS_M, distance_m
from app.domain.lifecycle import allowed_actions, decide
from app.domain.supervision import ON_SITE_RADIUS_M, on_site_problem
from app.domain.terms import Action, Level, RectifyMode, Role, State

TODAY = date(2026, 6, 15)
ENTERPRISE = (24.4798, 118.0894)  # 厦门
SUPERVISOR = Actor(id=1, role=Role.SUPERVISOR, area_path="/")
LISTING = {"level": "city", "authority": "厦门市安委办", "document_no": "厦安办督〔2026〕12号", "leader": "王五"}


def facts(status=State.RECTIFYING, level=Level.MAJOR, supervised=False, at=ENTERPRISE) -> FindingFacts:
    return FindingFacts(
        status=status,
        level=level,
        rectify_mode=RectifyMode.DEADLINE,
        deadline=date(2026, 7, 15),
        reporter_id=99,
        enterprise_id=1,
        area_path="/1/",
        plan_complete=True,
        has_major_basis=True,
        supervised=supervised,
        enterprise_location=at,
    )


def north(metres: float) -> dict:
    """A point `metres` due north of the enterprise: along a meridian the haversine distance is exact."""
    lat = ENTERPRISE[0] + math.degrees(metres / EARTH_RADIUS_M)
    return {"lat": lat, "lng": ENTERPRISE[1], "accuracy_m": 5.0}


def approve(f: FindingFacts, **payload) -> State:
    """Approve `f` as it stands in review."""
    in_review = FindingFacts(**{**f.__dict__, "status": State.PENDING_REVIEW})
    return decide(in_review, SUPERVISOR, Action.APPROVE, payload, TODAY)


# --- listing ------------------------------------------------------------------------------------------------


def test_a_supervisor_lists_a_major_hazard_being_rectified():
    assert decide(facts(), SUPERVISOR, Action.LIST_SUPERVISION, LISTING, TODAY) is State.RECTIFYING
    assert "list_supervision" in allowed_actions(facts(), SUPERVISOR)


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ENTERPRISE_OFFICER, Role.GRID_WORKER, Role.ADMIN])
def test_no_one_else_lists(role):
    with pytest.raises(Forbidden):
        decide(facts(), Actor(id=2, role=role, area_path="/"), Action.LIST_SUPERVISION, LISTING, TODAY)


@pytest.mark.parametrize(
    "f",
    [
        facts(level=Level.GENERAL),
        facts(supervised=True),
        facts(status=State.PENDING_REVIEW),
        facts(status=State.REPORTED),
        facts(status=State.CLOSED),
    ],
)
def test_only_an_unlisted_major_hazard_being_rectified(f):
    with pytest.raises(InvalidTransition):
        decide(f, SUPERVISOR, Action.LIST_SUPERVISION, LISTING, TODAY)
    assert "list_supervision" not in allowed_actions(f, SUPERVISOR)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"authority": " "}, "authority"),
        ({"document_no": None}, "document_no"),
        ({"leader": ""}, "leader"),
        ({"level": "major"}, "level"),
        ({"level": None}, "level"),
        ({"public": "yes"}, "public"),
    ],
)
def test_a_listing_names_its_level_authority_document_and_leader(change, field):
    with pytest.raises(RuleViolation) as refused:
        decide(facts(), SUPERVISOR, Action.LIST_SUPERVISION, {**LISTING, **change}, TODAY)
    assert set(refused.value.fields) == {field}


# --- the on-site check -------------------------------------------------------------------------------------


def test_the_radius_is_500_m_and_its_edge_counts_as_on_site():
    assert ON_SITE_RADIUS_M == 500
    assert distance_m(*ENTERPRISE, north(500)["lat"], ENTERPRISE[1]) == pytest.approx(500, abs=1e-6)
    assert on_site_problem(True, north(499.99), ENTERPRISE) is None
    assert on_site_problem(True, north(500 - 1e-6), ENTERPRISE) is None
    assert set(on_site_problem(True, north(500.01), ENTERPRISE)) == {"location"}


def test_a_listed_hazard_is_approved_on_site_within_the_radius():
    assert approve(facts(supervised=True), on_site=True, location=north(120)) is State.CLOSED
    assert approve(facts(supervised=True), on_site=True, location=north(499)) is State.CLOSED


@pytest.mark.parametrize(
    ("payload", "missing"),
    [
        ({}, {"on_site", "location"}),
        ({"on_site": True}, {"location"}),
        ({"on_site": True, "location": None}, {"location"}),
        ({"on_site": True, "location": north(501)}, {"location"}),
        ({"on_site": True, "location": north(5000)}, {"location"}),
        ({"on_site": False, "location": north(10)}, {"on_site"}),
        ({"location": north(10)}, {"on_site"}),
        ({"on_site": True, "location": north(800), "off_site_reason": "  "}, {"location"}),
    ],
)
def test_otherwise_it_is_refused_saying_what_is_missing(payload, missing):
    with pytest.raises(RuleViolation) as refused:
        approve(facts(supervised=True), **payload)
    assert set(refused.value.fields) == missing | {"off_site_reason"}
    assert "500 m" in refused.value.message


def test_a_reason_why_not_on_site_is_accepted_instead():
    reason = "企业停产封闭，经视频核验"
    assert approve(facts(supervised=True), off_site_reason=reason) is State.CLOSED
    assert approve(facts(supervised=True), on_site=True, location=north(900), off_site_reason=reason) is State.CLOSED


def test_an_enterprise_with_no_location_needs_the_reason():
    with pytest.raises(RuleViolation) as refused:
        approve(facts(supervised=True, at=None), on_site=True, location=north(1))
    assert "location" in refused.value.fields
    assert approve(facts(supervised=True, at=None), on_site=True, off_site_reason="企业坐标缺失") is State.CLOSED


def test_an_unlisted_major_hazard_keeps_the_plain_on_site_rule():
    assert approve(facts(), on_site=True) is State.CLOSED  # no location asked of it
    with pytest.raises(RuleViolation) as refused:
        approve(facts(), off_site_reason="视频核验")
    assert set(refused.value.fields) == {"on_site"}


# --- the 督办期限 ---------------------------------------------------------------------------------------------


def test_a_rejection_of_a_listed_hazard_cannot_move_its_term():
    reviewing = facts(status=State.PENDING_REVIEW, supervised=True)
    with pytest.raises(RuleViolation) as refused:
        decide(reviewing, SUPERVISOR, Action.REJECT, {"comment": "未整改", "new_deadline": date(2026, 8, 1)}, TODAY)
    assert set(refused.value.fields) == {"new_deadline"}
    assert decide(reviewing, SUPERVISOR, Action.REJECT, {"comment": "未整改"}, TODAY) is State.RECTIFYING
    unlisted = facts(status=State.PENDING_REVIEW)
    assert decide(unlisted, SUPERVISOR, Action.REJECT, {"comment": "x", "new_deadline": date(2026, 8, 1)}, TODAY)


def test_an_extension_is_still_decided_on_a_listed_hazard():
    listed = FindingFacts(**{**facts(supervised=True).__dict__, "extension_pending": True})
    assert decide(listed, SUPERVISOR, Action.DECIDE_EXTENSION, {"approved": True}, TODAY) is State.RECTIFYING
