"""Issue 10's rules, each on its own, with no database: the lifecycle's loose ends."""

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from test_guards import GRID, INSPECTOR, OFFICER, SUPERVISOR, TODAY
from test_guards import facts as guard_facts

from app.domain.actors import Actor, FindingFacts
from app.domain.errors import Forbidden, InvalidTransition, PhotosMissing, RuleViolation
from app.domain.evidence import Slot, check_upload
from app.domain.extensions import decision, settlement
from app.domain.guards import granted_deadline
from app.domain.lifecycle import allowed_actions, check_report, decide
from app.domain.terms import Action, ExtensionStatus, Level, Role, State
from app.domain.visibility import can_see

OTHER_INSPECTOR = Actor(id=5, role=Role.INSPECTOR, area_path="/1/")
PLAN = {"objective": "o", "measures": "m", "funds": "f", "responsible": "r", "contingency": "c"}


def facts(**overrides) -> FindingFacts:
    """The guards' tests' finding, observed three days ago (the date rules below read it)."""
    return guard_facts(**{"observed_on": TODAY - timedelta(days=3), **overrides})


# --- 1. an extension request never outlives its moment ---------------------------------------


@pytest.mark.parametrize(
    ("action", "outcome"),
    [
        (Action.SUBMIT_RECTIFICATION, ExtensionStatus.WITHDRAWN),
        (Action.VOID, ExtensionStatus.WITHDRAWN),
        (Action.REJECT, ExtensionStatus.LAPSED),
        (Action.REOPEN, ExtensionStatus.LAPSED),
        (Action.APPROVE, ExtensionStatus.LAPSED),
    ],
)
def test_every_later_step_settles_a_pending_request(action, outcome):
    assert settlement(action, extension_pending=True) is outcome
    assert settlement(action, extension_pending=False) is None


@pytest.mark.parametrize("action", [Action.COMMENT, Action.ACKNOWLEDGE, Action.SUBMIT_PLAN, Action.DECIDE_EXTENSION])
def test_steps_that_leave_the_question_open_do_not_settle_it(action):
    assert settlement(action, extension_pending=True) is None


def test_a_decision_is_approved_or_refused():
    assert (decision(True), decision(False)) == (ExtensionStatus.APPROVED, ExtensionStatus.REFUSED)


def test_decide_extension_exists_only_while_a_request_is_pending():
    with pytest.raises(InvalidTransition):
        decide(facts(), SUPERVISOR, Action.DECIDE_EXTENSION, {"approved": True}, TODAY)
    assert "decide_extension" not in allowed_actions(facts(), SUPERVISOR)
    assert "decide_extension" in allowed_actions(facts(extension_pending=True), SUPERVISOR)


def test_the_supervisor_may_grant_less_than_was_asked_but_not_more():
    pending = facts(extension_pending=True, requested_deadline=TODAY + timedelta(days=30))
    between = TODAY + timedelta(days=20)
    decide(pending, SUPERVISOR, Action.DECIDE_EXTENSION, {"approved": True, "granted_deadline": between}, TODAY)
    assert granted_deadline(pending.requested_deadline, {"granted_deadline": between}) == between
    assert granted_deadline(pending.requested_deadline, {"approved": True}) == pending.requested_deadline
    too_late = {"approved": True, "granted_deadline": TODAY + timedelta(days=31)}
    not_later = {"approved": True, "granted_deadline": pending.deadline}
    refused_with_date = {"approved": False, "granted_deadline": between}
    for payload in (too_late, not_later, refused_with_date):
        with pytest.raises(RuleViolation) as problem:
            decide(pending, SUPERVISOR, Action.DECIDE_EXTENSION, payload, TODAY)
        assert set(problem.value.fields) == {"granted_deadline"}


def test_a_request_after_the_deadline_has_passed_is_refused():
    late = facts(deadline=TODAY - timedelta(days=1))
    payload = {"new_deadline": TODAY + timedelta(days=10), "reason": "配件未到"}
    with pytest.raises(RuleViolation) as problem:
        decide(late, OFFICER, Action.REQUEST_EXTENSION, payload, TODAY)
    assert set(problem.value.fields) == {"new_deadline"}
    on_the_day = facts(deadline=TODAY)  # the last day of the term is still in time
    decide(on_the_day, OFFICER, Action.REQUEST_EXTENSION, payload, TODAY)


# --- 2. reject keeps the deadline unless one is sent -------------------------------------------


def test_reject_takes_no_deadline_it_is_not_given():
    review = facts(status=State.PENDING_REVIEW)
    assert decide(review, SUPERVISOR, Action.REJECT, {"comment": "照片不清"}, TODAY) is State.RECTIFYING


# --- 3. no closure without its evidence --------------------------------------------------------


def test_approval_waits_for_declared_after_photos():
    waiting = facts(status=State.PENDING_REVIEW, reporter_id=99, after_photos_owed=1)
    with pytest.raises(PhotosMissing) as problem:
        decide(waiting, SUPERVISOR, Action.APPROVE, {"on_site": True}, TODAY)
    assert problem.value.code == "photos_missing"
    assert "approve" not in allowed_actions(waiting, SUPERVISOR)
    arrived = replace(waiting, after_photos_owed=0)
    assert decide(arrived, SUPERVISOR, Action.APPROVE, {"on_site": True}, TODAY) is State.CLOSED
    assert "approve" in allowed_actions(arrived, SUPERVISOR)


# --- 4. evidence cannot change behind the record's back ----------------------------------------


def test_photos_arrive_while_the_finding_is_open():
    for status in (State.REPORTED, State.RECTIFYING):
        check_upload(INSPECTOR, status, "evidence", None, 0)
        check_upload(OFFICER, status, "rectification", None, 0)


@pytest.mark.parametrize("status", [State.CLOSED, State.VOIDED])
def test_a_closed_or_voided_record_takes_no_photo_at_all(status):
    with pytest.raises(InvalidTransition):
        check_upload(INSPECTOR, status, "evidence", None, 1)
    with pytest.raises(InvalidTransition):
        check_upload(OFFICER, status, "rectification", Slot("rectification", OFFICER.id, 1), 1)


def test_in_review_only_slots_the_record_declared_may_arrive():
    own_round = Slot("rectification", OFFICER.id, 2)
    check_upload(OFFICER, State.PENDING_REVIEW, "rectification", own_round, 2)
    check_upload(INSPECTOR, State.PENDING_REVIEW, "evidence", Slot("evidence", INSPECTOR.id, None), 1)
    with pytest.raises(InvalidTransition):
        check_upload(OFFICER, State.PENDING_REVIEW, "rectification", None, 2)  # undeclared
    with pytest.raises(InvalidTransition):
        check_upload(OFFICER, State.PENDING_REVIEW, "rectification", Slot("rectification", OFFICER.id, 1), 2)


def test_a_declared_slot_is_filled_only_by_its_declarer():
    slot = Slot("evidence", INSPECTOR.id, None)
    check_upload(INSPECTOR, State.RECTIFYING, "evidence", slot, 0)
    with pytest.raises(Forbidden):
        check_upload(OTHER_INSPECTOR, State.RECTIFYING, "evidence", slot, 0)
    with pytest.raises(Forbidden):  # the person comes first: no 409 tells them about the state
        check_upload(OTHER_INSPECTOR, State.CLOSED, "evidence", slot, 0)
    legacy = Slot("evidence", None, None)  # declared before declarers were kept: the role rule applies
    check_upload(OTHER_INSPECTOR, State.RECTIFYING, "evidence", legacy, 0)


def test_an_undeclared_photo_follows_the_role_rule():
    with pytest.raises(Forbidden):
        check_upload(OFFICER, State.RECTIFYING, "evidence", None, 0)
    with pytest.raises(Forbidden):
        check_upload(SUPERVISOR, State.RECTIFYING, "rectification", None, 0)


# --- 5. grid workers report; enforcers set terms -----------------------------------------------


@pytest.mark.parametrize(
    "term",
    [
        {"deadline": TODAY + timedelta(days=5)},
        {"rectify_mode": "deadline"},
        {"major_basis": {"criterion": "gongmao_2023", "clause": "第四条"}},
    ],
)
def test_a_grid_worker_sets_no_terms(term):
    with pytest.raises(RuleViolation) as problem:
        check_report(GRID, {"level": "general", **term}, TODAY)
    assert set(problem.value.fields) == set(term)


def test_a_grid_worker_suggests_a_level_without_a_basis():
    assert check_report(GRID, {"level": "major"}, TODAY) is State.REPORTED


def test_confirm_always_sets_the_deadline_today_or_later():
    reported = facts(status=State.REPORTED, deadline=None, triaged=False)
    with pytest.raises(RuleViolation) as missing:
        decide(reported, INSPECTOR, Action.CONFIRM, {}, TODAY)
    assert "deadline" in missing.value.fields
    with pytest.raises(RuleViolation) as past:
        decide(reported, INSPECTOR, Action.CONFIRM, {"deadline": TODAY - timedelta(days=1)}, TODAY)
    assert set(past.value.fields) == {"deadline"}
    confirmed = decide(reported, INSPECTOR, Action.CONFIRM, {"deadline": TODAY, "category": "fire"}, TODAY)
    assert confirmed is State.RECTIFYING


# --- 6. untriaged stays hidden -------------------------------------------------------------------


def test_the_enterprise_never_sees_a_report_voided_in_triage():
    assert not can_see(OFFICER, facts(status=State.VOIDED, triaged=False))
    assert can_see(OFFICER, facts(status=State.VOIDED, triaged=True))  # an order it had, then withdrawn
    assert not can_see(OFFICER, facts(status=State.REPORTED, triaged=False))
    assert can_see(SUPERVISOR, facts(status=State.VOIDED, triaged=False))


# --- 7. the six elements of Order 16 Art. 15 ---------------------------------------------------


def test_the_plan_is_carried_out_by_the_deadline():
    major = facts(level=Level.MAJOR)
    on_time = {**PLAN, "time_limit": major.deadline}
    decide(major, OFFICER, Action.SUBMIT_PLAN, {"plan": on_time}, TODAY)
    with pytest.raises(RuleViolation) as late:
        decide(
            major,
            OFFICER,
            Action.SUBMIT_PLAN,
            {"plan": {**on_time, "time_limit": major.deadline + timedelta(1)}},
            TODAY,
        )
    assert late.value.fields == {"plan": {"time_limit": f"Must not be after {major.deadline.isoformat()}."}}
    with pytest.raises(RuleViolation):
        decide(major, OFFICER, Action.SUBMIT_PLAN, {"plan": {**on_time, "time_limit": TODAY - timedelta(1)}}, TODAY)


def test_an_overdue_major_finding_can_still_get_its_plan():
    """Past the deadline no date is 'by the deadline': the plan then only has to lie ahead, or the hazard would
    have no way to a plan and a fix (it stays overdue all the same)."""
    overdue = facts(level=Level.MAJOR, deadline=TODAY - timedelta(days=5))
    decide(overdue, OFFICER, Action.SUBMIT_PLAN, {"plan": {**PLAN, "time_limit": TODAY + timedelta(days=7)}}, TODAY)
    with pytest.raises(RuleViolation):
        decide(overdue, OFFICER, Action.SUBMIT_PLAN, {"plan": {**PLAN, "time_limit": TODAY - timedelta(1)}}, TODAY)


def test_an_incomplete_plan_blocks_the_rectification_of_a_major_finding():
    migrated = facts(level=Level.MAJOR, plan_complete=False)
    fix = {"measures": "已整改", "completed_on": TODAY}
    with pytest.raises(RuleViolation) as problem:
        decide(migrated, OFFICER, Action.SUBMIT_RECTIFICATION, fix, TODAY)
    assert "plan" in problem.value.fields
    assert "submit_rectification" not in allowed_actions(migrated, OFFICER)


# --- 8. dates that make sense -------------------------------------------------------------------


def test_a_fix_is_completed_between_the_observation_and_today():
    seen = facts()
    before = {"measures": "x", "completed_on": seen.observed_on - timedelta(days=1)}
    future = {"measures": "x", "completed_on": TODAY + timedelta(days=1)}
    for payload in (before, future):
        with pytest.raises(RuleViolation) as problem:
            decide(seen, OFFICER, Action.SUBMIT_RECTIFICATION, payload, TODAY)
        assert set(problem.value.fields) == {"completed_on"}
    decide(seen, OFFICER, Action.SUBMIT_RECTIFICATION, {"measures": "x", "completed_on": seen.observed_on}, TODAY)


def test_a_fix_on_the_spot_is_not_completed_before_it_was_seen():
    fix = {"measures": "当场清理", "completed_on": TODAY - timedelta(days=2), "photo_ids": [uuid.uuid4()]}
    body = {"enterprise_id": 7, "rectify_mode": "immediate", "rectification": fix}
    with pytest.raises(RuleViolation) as problem:
        check_report(INSPECTOR, body, TODAY, observed_on=TODAY - timedelta(days=1))
    assert problem.value.fields == {"rectification": {"completed_on": "Must not be before 2026-06-14."}}
    assert check_report(INSPECTOR, body, TODAY, observed_on=TODAY - timedelta(days=2)) is State.PENDING_REVIEW


def test_a_major_finding_is_never_immediate():
    basis = {"criterion": "gongmao_2023", "clause": "第四条(一)"}
    body = {"enterprise_id": 7, "level": "major", "major_basis": basis, "rectify_mode": "immediate"}
    with pytest.raises(RuleViolation) as problem:
        check_report(INSPECTOR, body, TODAY)
    assert set(problem.value.fields) == {"rectify_mode"}
    assert check_report(INSPECTOR, {**body, "rectify_mode": "deadline"}, TODAY) is State.RECTIFYING
