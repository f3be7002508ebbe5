"""Issue 10, rules 7 and 8 over HTTP: a major hazard's treatment plan has Order 16 Art. 15's six elements (its
time limit not after the deadline; a plan migrated from the five-element form must be completed before the
rectification), and dates make sense (completed_on between the observation day and today, no immediate major
hazard, the number's year the local year of observed_at)."""

import uuid
from datetime import UTC, datetime

import factories as f
import pytest
from helpers import real_today
from rule_scene import (
    act,
    cast,
    create,
    days,
    detail,
    events_of,
    major,
    put,
    rectifying,
    refused,
    step,
    submit,
)
from sqlalchemy import update

from app.domain.calendar import SHANGHAI, utcnow
from app.domain.guards import PLAN_ELEMENTS
from app.models import Finding, RectificationPlan


def plan(**overrides) -> dict:
    return {**f.PLAN, "time_limit": days(14), **overrides}


# --- rule 7: the six elements -------------------------------------------------------------------------------


@pytest.mark.parametrize("element", PLAN_ELEMENTS)
def test_a_plan_missing_any_of_the_six_elements_is_422(client, session, element):
    c = cast(session)
    finding = major(c)
    incomplete = {k: v for k, v in plan().items() if k != element}
    before = events_of(session, finding)
    error = refused(act(client, c, "officer", finding, "submit_plan", plan=incomplete), 422, "validation_error")
    assert set(error["fields"]) == {"plan"} and set(error["fields"]["plan"]) == {element}
    body = detail(client, c, "officer", finding)
    assert body["plan_complete"] is False and body["plan"] is None and events_of(session, finding) == before


def test_a_blank_objective_is_missing_too(client, session):
    c = cast(session)
    finding = major(c)
    response = act(client, c, "officer", finding, "submit_plan", plan=plan(objective="   "))
    assert set(refused(response, 422, "validation_error")["fields"]["plan"]) == {"objective"}


@pytest.mark.parametrize("time_limit", [31, -1])  # after the deadline (30 days away), or in the past
def test_a_plan_time_limit_after_the_deadline_or_past_is_422(client, session, time_limit):
    c = cast(session)
    finding = major(c, deadline=days(30))
    response = act(client, c, "officer", finding, "submit_plan", plan=plan(time_limit=days(time_limit)))
    error = refused(response, 422, "validation_error")
    assert set(error["fields"]) == {"plan"} and set(error["fields"]["plan"]) == {"time_limit"}
    assert detail(client, c, "officer", finding)["plan_complete"] is False


def test_a_complete_plan_by_the_deadline_is_shown_with_all_six_elements(client, session):
    c = cast(session)
    finding = major(c, deadline=days(30))
    sent = plan(time_limit=days(30))  # on the deadline itself
    accepted = act(client, c, "officer", finding, "submit_plan", plan=sent)
    assert accepted.status_code == 201, accepted.json
    body = detail(client, c, "supervisor", finding)
    assert body["plan_complete"] is True
    assert "submit_rectification" in detail(client, c, "officer", finding)["allowed_actions"]
    shown = {k: body["plan"][k] for k in PLAN_ELEMENTS}
    assert shown == {**sent, "time_limit": days(30).isoformat()} and body["plan"]["submitted_at"]


def test_a_plan_migrated_without_its_objective_blocks_the_rectification_until_completed(client, session):
    c = cast(session)
    finding = major(c, deadline=days(30))
    step(c, "officer", finding, "submit_plan", plan=plan())
    # What migration 0003 makes of a five-element plan: the objective empty, the plan no longer complete.
    session.execute(update(RectificationPlan).where(RectificationPlan.finding_id == finding).values(objective=""))
    session.execute(update(Finding).where(Finding.id == finding).values(plan_complete=False))
    session.commit()
    body = detail(client, c, "officer", finding)
    assert body["plan_complete"] is False and body["plan"]["objective"] == ""
    assert body["plan"]["measures"] == f.PLAN["measures"] and "submit_rectification" not in body["allowed_actions"]

    photo = put(client, c, "officer", finding, kind="rectification").json["id"]
    before = events_of(session, finding)
    error = refused(submit(client, c, finding, photo_ids=[photo]), 422, "validation_error")
    assert set(error["fields"]) == {"plan"}
    assert detail(client, c, "officer", finding)["status"] == "rectifying" and events_of(session, finding) == before

    completed = act(client, c, "officer", finding, "submit_plan", plan=plan())
    assert completed.status_code == 201 and completed.json["plan_complete"] is True, completed.json
    assert completed.json["plan"]["objective"] == f.PLAN["objective"]
    submitted = submit(client, c, finding, photo_ids=[photo])
    assert submitted.status_code == 201 and submitted.json["status"] == "pending_review", submitted.json


# --- rule 8: dates that make sense --------------------------------------------------------------------------


@pytest.mark.parametrize("completed_on", [-4, 1])  # the day before it was seen; tomorrow
def test_a_rectification_completed_before_the_observation_day_or_after_today_is_422(client, session, completed_on):
    c = cast(session)
    finding = rectifying(c, observed_days_ago=3)
    photo = put(client, c, "officer", finding, kind="rectification").json["id"]
    before = events_of(session, finding)
    response = submit(client, c, finding, photo_ids=[photo], completed_on=days(completed_on))
    assert set(refused(response, 422, "validation_error")["fields"]) == {"completed_on"}
    body = detail(client, c, "officer", finding)
    assert body["status"] == "rectifying" and body["rounds"] == [] and events_of(session, finding) == before
    on_the_day = submit(client, c, finding, photo_ids=[photo], completed_on=days(-3))
    assert on_the_day.status_code == 201, on_the_day.json


@pytest.mark.parametrize("completed_on", [-1, 1])
def test_a_fix_on_the_spot_completed_before_it_was_seen_or_after_today_is_422(client, session, completed_on):
    c = cast(session)
    fix = {"measures": "当场清理", "completed_on": days(completed_on), "photo_ids": [str(uuid.uuid4())]}
    body = f.finding_data(
        c.world.enterprise, rectify_mode="immediate", deadline=real_today(), observed_at=utcnow(), rectification=fix
    )
    error = refused(create(client, c, "inspector", body), 422, "validation_error")
    assert set(error["fields"]) == {"rectification"} and set(error["fields"]["rectification"]) == {"completed_on"}
    session.rollback()
    assert session.query(Finding).count() == 0


@pytest.mark.parametrize("with_fix", [False, True])
def test_a_major_hazard_is_never_immediate(client, session, with_fix):
    c = cast(session)
    fix = {"rectification": {"measures": "当场处置", "completed_on": real_today(), "photo_ids": [str(uuid.uuid4())]}}
    body = f.major_data(
        c.world.enterprise,
        rectify_mode="immediate",
        deadline=real_today(),
        observed_at=utcnow(),
        **(fix if with_fix else {}),
    )
    error = refused(create(client, c, "inspector", body), 422, "validation_error")
    assert set(error["fields"]) == {"rectification" if with_fix else "rectify_mode"}
    session.rollback()
    assert session.query(Finding).count() == 0


def test_the_number_year_is_the_local_year_of_the_observation_across_new_year(client, session, monkeypatch):
    c = cast(session)
    sent = datetime(2026, 1, 2, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)  # back in signal on 2 January
    monkeypatch.setattr("app.api.findings.utcnow", lambda: sent)
    district = c.world.district.code
    cases = [
        ("2025-12-31T23:30:00+08:00", f"YH-{district}-2025-000001"),  # New Year's Eve in Xiamen
        ("2025-12-31T16:30:00+00:00", f"YH-{district}-2026-000001"),  # still 2025 in UTC, 00:30 on 1 January here
        ("2025-12-31T15:59:00+00:00", f"YH-{district}-2025-000002"),
    ]
    for observed_at, number in cases:
        body = f.finding_data(c.world.enterprise, observed_at=datetime.fromisoformat(observed_at))
        created = create(client, c, "inspector", body)
        assert created.status_code == 201, created.json
        assert created.json["number"] == number, observed_at
        assert created.json["received_at"].startswith("2026-01-02")
