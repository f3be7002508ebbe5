"""Each guard of the lifecycle, on its own."""

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.actors import Actor, FindingFacts
from app.domain.errors import Forbidden, InvalidTransition, RuleViolation
from app.domain.guards import require_after_photo
from app.domain.lifecycle import allowed_actions, check_payload_fields, check_report, decide
from app.domain.terms import Action, Level, RectifyMode, Role, State

TODAY = date(2026, 6, 15)
INSPECTOR = Actor(id=1, role=Role.INSPECTOR, area_path="/1/")
GRID = Actor(id=2, role=Role.GRID_WORKER, area_path="/1/2/")
OFFICER = Actor(id=3, role=Role.ENTERPRISE_OFFICER, area_path="/1/2/", enterprise_id=7)
SUPERVISOR = Actor(id=4, role=Role.SUPERVISOR, area_path="/1/")
BASIS = {"criterion": "gongmao_2023", "clause": "第四条(一)"}
PHOTO = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")


def facts(**overrides) -> FindingFacts:
    base = FindingFacts(
        status=State.RECTIFYING,
        level=Level.GENERAL,
        rectify_mode=RectifyMode.DEADLINE,
        deadline=TODAY + timedelta(days=10),
        reporter_id=INSPECTOR.id,
        enterprise_id=7,
        area_path="/1/2/",
    )
    return replace(base, **overrides)


def fields_of(excinfo) -> dict:
    return excinfo.value.fields


# --- report -----------------------------------------------------------------------------


def test_major_report_needs_major_basis():
    with pytest.raises(RuleViolation) as e:
        check_report(INSPECTOR, {"level": "major", "enterprise_id": 7}, TODAY)
    assert "major_basis" in fields_of(e)
    assert (
        check_report(INSPECTOR, {"level": "major", "enterprise_id": 7, "major_basis": BASIS}, TODAY) is State.RECTIFYING
    )


def test_major_basis_needs_both_criterion_and_clause():
    with pytest.raises(RuleViolation) as e:
        check_report(INSPECTOR, {"level": "major", "enterprise_id": 7, "major_basis": {"criterion": "x"}}, TODAY)
    assert fields_of(e) == {"major_basis": {"clause": "This field is required."}}


def test_report_deadline_may_not_be_in_the_past():
    with pytest.raises(RuleViolation) as e:
        check_report(INSPECTOR, {"enterprise_id": 7, "deadline": TODAY - timedelta(days=1)}, TODAY)
    assert "deadline" in fields_of(e)
    assert check_report(INSPECTOR, {"enterprise_id": 7, "deadline": TODAY}, TODAY) is State.RECTIFYING


def test_report_start_state_depends_on_who_reports():
    assert check_report(GRID, {}, TODAY) is State.REPORTED
    assert check_report(INSPECTOR, {"enterprise_id": 7}, TODAY) is State.RECTIFYING
    fix = {"measures": "当场清理", "completed_on": TODAY, "photo_ids": [PHOTO]}
    immediate = {"enterprise_id": 7, "rectify_mode": "immediate", "rectification": fix}
    assert check_report(INSPECTOR, immediate, TODAY) is State.PENDING_REVIEW


def test_a_fix_on_the_spot_declares_its_after_photo():
    for photo_ids in (None, []):
        fix = {"measures": "当场清理", "completed_on": TODAY, "photo_ids": photo_ids}
        with pytest.raises(RuleViolation) as e:
            check_report(INSPECTOR, {"enterprise_id": 7, "rectify_mode": "immediate", "rectification": fix}, TODAY)
        assert set(fields_of(e)["rectification"]) == {"photo_ids"}


def test_a_rectification_needs_an_after_photo_that_has_arrived():
    with pytest.raises(RuleViolation) as e:
        require_after_photo(0)
    assert set(fields_of(e)) == {"photo_ids"}
    require_after_photo(1)  # one photo of the fix is enough


def test_only_reporters_report_and_only_inspectors_fix_on_the_spot():
    for actor in (OFFICER, SUPERVISOR):
        with pytest.raises(Forbidden):
            check_report(actor, {}, TODAY)
    fix = {"measures": "当场清理", "completed_on": TODAY}
    with pytest.raises(RuleViolation):
        check_report(GRID, {"rectify_mode": "immediate", "rectification": fix}, TODAY)
    with pytest.raises(RuleViolation):
        check_report(INSPECTOR, {"enterprise_id": 7, "rectification": fix}, TODAY)  # not immediate


def test_a_major_hazard_cannot_be_fixed_on_the_spot():
    fix = {"measures": "当场更换", "completed_on": TODAY}
    data = {
        "enterprise_id": 7,
        "level": "major",
        "major_basis": BASIS,
        "rectify_mode": "immediate",
        "rectification": fix,
    }
    with pytest.raises(RuleViolation) as e:
        check_report(INSPECTOR, data, TODAY)
    assert "rectification" in fields_of(e)


def test_inspector_report_names_the_enterprise():
    with pytest.raises(RuleViolation) as e:
        check_report(INSPECTOR, {}, TODAY)
    assert "enterprise_id" in fields_of(e)


# --- actions ----------------------------------------------------------------------------


def test_confirm_needs_enterprise_and_deadline():
    reported = facts(status=State.REPORTED, enterprise_id=None, deadline=None, reporter_id=GRID.id)
    with pytest.raises(RuleViolation) as e:
        decide(reported, INSPECTOR, Action.CONFIRM, {}, TODAY)
    assert set(fields_of(e)) == {"enterprise_id", "deadline"}
    ok = {"enterprise_id": 7, "deadline": TODAY + timedelta(days=3)}
    assert decide(reported, INSPECTOR, Action.CONFIRM, ok, TODAY) is State.RECTIFYING
    with pytest.raises(RuleViolation):
        decide(reported, INSPECTOR, Action.CONFIRM, {**ok, "deadline": TODAY - timedelta(days=1)}, TODAY)
    with pytest.raises(RuleViolation) as e:
        decide(reported, INSPECTOR, Action.CONFIRM, {**ok, "level": "major"}, TODAY)
    assert "major_basis" in fields_of(e)


def test_approve_refuses_the_reporter_four_eyes():
    pending = facts(status=State.PENDING_REVIEW, reporter_id=SUPERVISOR.id)
    with pytest.raises(Forbidden):
        decide(pending, SUPERVISOR, Action.APPROVE, {}, TODAY)
    assert "approve" not in allowed_actions(pending, SUPERVISOR)
    assert "approve" in allowed_actions(facts(status=State.PENDING_REVIEW), SUPERVISOR)


def test_major_approval_needs_on_site_check():
    pending = facts(status=State.PENDING_REVIEW, level=Level.MAJOR, plan_complete=True)
    with pytest.raises(RuleViolation) as e:
        decide(pending, SUPERVISOR, Action.APPROVE, {"on_site": False}, TODAY)
    assert "on_site" in fields_of(e)
    assert decide(pending, SUPERVISOR, Action.APPROVE, {"on_site": True}, TODAY) is State.CLOSED
    assert decide(facts(status=State.PENDING_REVIEW), SUPERVISOR, Action.APPROVE, {}, TODAY) is State.CLOSED


def test_major_rectification_needs_complete_plan_first():
    fix = {"measures": "更换", "completed_on": TODAY}
    with pytest.raises(RuleViolation) as e:
        decide(facts(level=Level.MAJOR, plan_complete=False), OFFICER, Action.SUBMIT_RECTIFICATION, fix, TODAY)
    assert "plan" in fields_of(e)
    assert (
        decide(facts(level=Level.MAJOR, plan_complete=True), OFFICER, Action.SUBMIT_RECTIFICATION, fix, TODAY)
        is State.PENDING_REVIEW
    )


def test_plan_needs_all_six_elements_of_order_16_and_only_for_major():
    plan = {"measures": "m", "responsible": "r", "funds": "", "time_limit": TODAY, "contingency": "c"}
    with pytest.raises(RuleViolation) as e:
        decide(facts(level=Level.MAJOR), OFFICER, Action.SUBMIT_PLAN, {"plan": plan}, TODAY)
    required = "This element of the plan is required."
    assert fields_of(e) == {"plan": {"objective": required, "funds": required}}
    complete = {**plan, "objective": "消除隐患", "funds": "1万"}
    assert decide(facts(level=Level.MAJOR), OFFICER, Action.SUBMIT_PLAN, {"plan": complete}, TODAY)
    with pytest.raises(InvalidTransition):
        decide(facts(), OFFICER, Action.SUBMIT_PLAN, {"plan": {**plan, "funds": "1万"}}, TODAY)


def test_rectification_needs_measures_and_a_past_completion_date():
    with pytest.raises(RuleViolation) as e:
        decide(facts(), OFFICER, Action.SUBMIT_RECTIFICATION, {}, TODAY)
    assert set(fields_of(e)) == {"measures", "completed_on"}
    with pytest.raises(RuleViolation):
        decide(
            facts(),
            OFFICER,
            Action.SUBMIT_RECTIFICATION,
            {"measures": "x", "completed_on": TODAY + timedelta(days=1)},
            TODAY,
        )


def test_inspector_submits_rectification_only_for_a_fix_on_the_spot():
    fix = {"measures": "x", "completed_on": TODAY}
    with pytest.raises(Forbidden):
        decide(facts(), INSPECTOR, Action.SUBMIT_RECTIFICATION, fix, TODAY)
    immediate = facts(rectify_mode=RectifyMode.IMMEDIATE)
    assert decide(immediate, INSPECTOR, Action.SUBMIT_RECTIFICATION, fix, TODAY) is State.PENDING_REVIEW


def test_extension_must_ask_for_a_later_date_once_at_a_time():
    f = facts()
    for new in (f.deadline, f.deadline - timedelta(days=1)):
        with pytest.raises(RuleViolation) as e:
            decide(f, OFFICER, Action.REQUEST_EXTENSION, {"new_deadline": new, "reason": "r"}, TODAY)
        assert "new_deadline" in fields_of(e)
    with pytest.raises(RuleViolation) as e:
        decide(f, OFFICER, Action.REQUEST_EXTENSION, {"new_deadline": f.deadline + timedelta(days=5)}, TODAY)
    assert "reason" in fields_of(e)
    with pytest.raises(InvalidTransition):
        decide(
            facts(extension_pending=True),
            OFFICER,
            Action.REQUEST_EXTENSION,
            {"new_deadline": f.deadline + timedelta(days=5), "reason": "r"},
            TODAY,
        )


def test_extension_decision_needs_a_pending_request_and_an_answer():
    with pytest.raises(InvalidTransition):
        decide(facts(), SUPERVISOR, Action.DECIDE_EXTENSION, {"approved": True}, TODAY)
    with pytest.raises(RuleViolation):
        decide(facts(extension_pending=True), SUPERVISOR, Action.DECIDE_EXTENSION, {}, TODAY)


def test_reject_needs_a_comment_and_a_future_new_deadline():
    pending = facts(status=State.PENDING_REVIEW)
    with pytest.raises(RuleViolation) as e:
        decide(pending, SUPERVISOR, Action.REJECT, {"comment": "  "}, TODAY)
    assert "comment" in fields_of(e)
    with pytest.raises(RuleViolation) as e:
        decide(pending, SUPERVISOR, Action.REJECT, {"comment": "c", "new_deadline": TODAY - timedelta(1)}, TODAY)
    assert "new_deadline" in fields_of(e)


def test_void_and_reopen_need_reasons_and_reopen_a_deadline():
    with pytest.raises(RuleViolation):
        decide(facts(), SUPERVISOR, Action.VOID, {}, TODAY)
    with pytest.raises(RuleViolation) as e:
        decide(facts(status=State.CLOSED), SUPERVISOR, Action.REOPEN, {"reason": "r"}, TODAY)
    assert "new_deadline" in fields_of(e)


def test_acknowledge_only_once():
    with pytest.raises(InvalidTransition):
        decide(facts(acknowledged=True), OFFICER, Action.ACKNOWLEDGE, {}, TODAY)


def test_comment_needs_text_and_actions_refuse_stray_fields():
    with pytest.raises(RuleViolation):
        decide(facts(), OFFICER, Action.COMMENT, {"text": ""}, TODAY)
    with pytest.raises(RuleViolation) as e:
        check_payload_fields(Action.APPROVE, {"on_site": True, "text": "x"})
    assert set(fields_of(e)) == {"text"}
