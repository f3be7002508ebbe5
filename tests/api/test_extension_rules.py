"""Issue 10, rules 1 and 2 over HTTP: an extension request never outlives its moment, a supervisor may grant an
earlier date than asked, a request after the deadline is 422, and a deadline moves only when someone moves it
(every move recorded as deadline_change {from, to})."""

import pytest
from rule_scene import (
    act,
    cast,
    days,
    detail,
    events_of,
    history,
    legacy_pending_request,
    rectifying,
    refused,
    step,
    submit,
    to_review,
)

from app.models import ExtensionRequest


def request_extension(client, c, finding_id, asked):
    response = act(client, c, "officer", finding_id, "request_extension", new_deadline=asked, reason="配件未到")
    assert response.status_code == 201 and response.json["extension_pending"] is True, response.json
    return response


def statuses(body) -> list[str]:
    return [r["status"] for r in body["extension_requests"]]


def cannot_decide(client, c, finding_id) -> None:
    """No request is pending: decide_extension is not offered and is refused as a transition."""
    body = detail(client, c, "supervisor", finding_id)
    assert body["extension_pending"] is False and "decide_extension" not in body["allowed_actions"]
    refused(act(client, c, "supervisor", finding_id, "decide_extension", approved=True), 409, "invalid_transition")


# --- rule 1: settled by the step that makes it moot ----------------------------------------------------------


def test_a_submission_withdraws_the_pending_request_and_it_cannot_be_decided_after(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    request_extension(client, c, finding, days(20))
    too_early = submit(client, c, finding, completed_on=days(1))  # refused: the request is still pending after it
    refused(too_early, 422, "validation_error")
    assert statuses(detail(client, c, "officer", finding)) == ["pending"]
    submitted = submit(client, c, finding)
    assert submitted.status_code == 201, submitted.json
    body = submitted.json
    assert body["status"] == "pending_review" and body["extension_pending"] is False
    assert body["deadline"] == days(7).isoformat()
    [request] = body["extension_requests"]
    assert request["status"] == "withdrawn" and request["granted_deadline"] is None and request["decided_at"]
    assert request["requested_deadline"] == days(20).isoformat()
    last = history(client, c, "officer", finding)[-1]
    assert last["action"] == "submit_rectification"
    assert last["payload"]["extension_settled"] == {"status": "withdrawn", "requested_deadline": days(20).isoformat()}
    assert "deadline_change" not in last["payload"]
    cannot_decide(client, c, finding)

    approved = act(client, c, "supervisor", finding, "approve", on_site=False)
    assert approved.status_code == 201, approved.json
    assert approved.json["status"] == "closed" and approved.json["extension_pending"] is False
    assert statuses(approved.json) == ["withdrawn"] and approved.json["deadline"] == days(7).isoformat()
    assert "extension_settled" not in history(client, c, "supervisor", finding)[-1]["payload"]
    cannot_decide(client, c, finding)
    assert detail(client, c, "supervisor", finding)["deadline"] == days(7).isoformat()


@pytest.mark.parametrize(
    "action,fields,state",
    [
        ("approve", {"on_site": False}, "closed"),
        ("reject", {"comment": "仍有杂物"}, "rectifying"),
    ],
)
def test_a_review_lapses_a_request_left_pending_from_before(client, session, action, fields, state):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    to_review(c, finding)
    legacy_pending_request(c, finding, days(25))
    assert detail(client, c, "supervisor", finding)["extension_pending"] is True
    refused(act(client, c, "supervisor", finding, "decide_extension", approved=True), 409, "invalid_transition")

    response = act(client, c, "supervisor", finding, action, **fields)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == state and body["extension_pending"] is False and statuses(body) == ["lapsed"]
    assert body["extension_requests"][0]["granted_deadline"] is None and body["deadline"] == days(7).isoformat()
    last = history(client, c, "supervisor", finding)[-1]
    assert last["action"] == action
    assert last["payload"]["extension_settled"] == {"status": "lapsed", "requested_deadline": days(25).isoformat()}
    cannot_decide(client, c, finding)
    session.rollback()
    assert session.query(ExtensionRequest).filter_by(finding_id=finding, status="pending").count() == 0


def test_a_reopen_lapses_a_pending_request_and_records_the_deadline_it_sets(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    to_review(c, finding)
    step(c, "supervisor", finding, "approve", on_site=False)
    legacy_pending_request(c, finding, days(25))
    reopened = act(client, c, "supervisor", finding, "reopen", reason="复查发现反弹", new_deadline=days(3))
    assert reopened.status_code == 201, reopened.json
    body = reopened.json
    assert body["status"] == "rectifying" and body["extension_pending"] is False and statuses(body) == ["lapsed"]
    assert body["deadline"] == days(3).isoformat() and body["reopen_reason"] == "复查发现反弹"
    payload = history(client, c, "supervisor", finding)[-1]["payload"]
    assert payload["extension_settled"] == {"status": "lapsed", "requested_deadline": days(25).isoformat()}
    assert payload["deadline_change"] == {"from": days(7).isoformat(), "to": days(3).isoformat()}
    cannot_decide(client, c, finding)
    # The lapsed request does not block a new one: the officer may ask again, against the new deadline.
    again = request_extension(client, c, finding, days(10))
    assert statuses(again.json) == ["lapsed", "pending"]


def test_a_void_withdraws_the_pending_request(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    request_extension(client, c, finding, days(20))
    voided = act(client, c, "supervisor", finding, "void", reason="重复上报")
    assert voided.status_code == 201, voided.json
    assert voided.json["status"] == "voided" and voided.json["extension_pending"] is False
    assert statuses(voided.json) == ["withdrawn"] and voided.json["deadline"] == days(7).isoformat()
    payload = history(client, c, "supervisor", finding)[-1]["payload"]
    assert payload["extension_settled"] == {"status": "withdrawn", "requested_deadline": days(20).isoformat()}
    cannot_decide(client, c, finding)


# --- rule 1: the decision, and the date it grants ------------------------------------------------------------


def test_a_supervisor_may_grant_an_earlier_date_than_the_one_asked_for(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    request_extension(client, c, finding, days(21))
    granted = act(client, c, "supervisor", finding, "decide_extension", approved=True, granted_deadline=days(14))
    assert granted.status_code == 201, granted.json
    body = granted.json
    assert body["deadline"] == days(14).isoformat() and body["extension_pending"] is False
    [request] = body["extension_requests"]
    assert (request["status"], request["previous_deadline"], request["requested_deadline"]) == (
        "approved",
        days(7).isoformat(),
        days(21).isoformat(),
    )
    assert request["granted_deadline"] == days(14).isoformat() and request["decided_at"]
    last = history(client, c, "supervisor", finding)[-1]
    assert last["action"] == "decide_extension" and last["payload"]["granted_deadline"] == days(14).isoformat()
    assert last["payload"]["deadline_change"] == {"from": days(7).isoformat(), "to": days(14).isoformat()}


def test_an_approval_without_a_granted_date_grants_the_one_asked_for(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    request_extension(client, c, finding, days(21))
    granted = act(client, c, "supervisor", finding, "decide_extension", approved=True, comment="同意")
    assert granted.status_code == 201, granted.json
    assert granted.json["deadline"] == days(21).isoformat()
    assert granted.json["extension_requests"][0]["granted_deadline"] == days(21).isoformat()
    payload = history(client, c, "supervisor", finding)[-1]["payload"]
    assert payload["deadline_change"] == {"from": days(7).isoformat(), "to": days(21).isoformat()}


def test_a_refusal_keeps_the_deadline_and_grants_nothing(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    request_extension(client, c, finding, days(21))
    refusal = act(client, c, "supervisor", finding, "decide_extension", approved=False, comment="理由不充分")
    assert refusal.status_code == 201, refusal.json
    assert refusal.json["deadline"] == days(7).isoformat() and statuses(refusal.json) == ["refused"]
    assert refusal.json["extension_requests"][0]["granted_deadline"] is None
    assert "deadline_change" not in history(client, c, "supervisor", finding)[-1]["payload"]


@pytest.mark.parametrize(
    "approved,granted",
    [
        (True, 22),  # later than the date asked for
        (True, 7),  # not later than the current deadline
        (True, 5),  # earlier than the current deadline
        (False, 14),  # a refusal grants no date
    ],
)
def test_a_granted_date_outside_the_request_or_with_a_refusal_is_422(client, session, approved, granted):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    request_extension(client, c, finding, days(21))
    before = events_of(session, finding)
    response = act(
        client, c, "supervisor", finding, "decide_extension", approved=approved, granted_deadline=days(granted)
    )
    error = refused(response, 422, "validation_error")
    assert set(error["fields"]) == {"granted_deadline"}
    body = detail(client, c, "supervisor", finding)  # nothing half-written
    assert body["deadline"] == days(7).isoformat() and body["extension_pending"] is True
    assert statuses(body) == ["pending"] and body["extension_requests"][0]["granted_deadline"] is None
    assert events_of(session, finding) == before


# --- rule 1: a request comes before the term runs out ---------------------------------------------------------


def test_an_extension_asked_after_the_deadline_has_passed_is_422(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(-1), observed_days_ago=3)
    shown = detail(client, c, "officer", finding)
    assert shown["overdue"] is True and "request_extension" not in shown["allowed_actions"]
    before = events_of(session, finding)
    response = act(client, c, "officer", finding, "request_extension", new_deadline=days(10), reason="配件未到")
    error = refused(response, 422, "validation_error")
    assert set(error["fields"]) == {"new_deadline"} and days(-1).isoformat() in error["fields"]["new_deadline"]
    body = detail(client, c, "officer", finding)
    assert body["extension_pending"] is False and body["extension_requests"] == []
    assert body["deadline"] == days(-1).isoformat() and events_of(session, finding) == before


def test_an_extension_asked_on_the_last_day_is_taken(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(0), observed_days_ago=3)
    assert "request_extension" in detail(client, c, "officer", finding)["allowed_actions"]
    asked = request_extension(client, c, finding, days(10))
    assert statuses(asked.json) == ["pending"] and asked.json["deadline"] == days(0).isoformat()


# --- rule 2: reject keeps the deadline unless a new one is sent ---------------------------------------------


def test_a_rejection_keeps_the_deadline_unless_it_sends_a_new_one(client, session):
    c = cast(session)
    finding = rectifying(c, deadline=days(7))
    to_review(c, finding)
    kept = act(client, c, "supervisor", finding, "reject", comment="仍有杂物")
    assert kept.status_code == 201, kept.json
    assert kept.json["status"] == "rectifying" and kept.json["deadline"] == days(7).isoformat()
    last = history(client, c, "supervisor", finding)[-1]
    assert last["action"] == "reject" and last["payload"] == {"comment": "仍有杂物"}

    assert submit(client, c, finding).status_code == 201
    moved = act(client, c, "supervisor", finding, "reject", comment="需重新整改", new_deadline=days(3))
    assert moved.status_code == 201, moved.json
    assert moved.json["deadline"] == days(3).isoformat()
    payload = history(client, c, "supervisor", finding)[-1]["payload"]
    assert payload["deadline_change"] == {"from": days(7).isoformat(), "to": days(3).isoformat()}
    assert payload["new_deadline"] == days(3).isoformat()
