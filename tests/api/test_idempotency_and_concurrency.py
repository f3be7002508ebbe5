"""Offline clients retry: creates and actions are idempotent on their client UUIDs; racing writers
get exactly one winner. Threads make real concurrent requests, each with its own session."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import factories as f
from concurrency import concurrently
from helpers import event, jsonify, real_today
from sqlalchemy import func, select

from app.domain.calendar import utcnow
from app.models import Finding, FindingCounter, FindingEvent


def new_body(world, **overrides):
    today = real_today()
    return jsonify(
        f.finding_data(world.enterprise, deadline=today + timedelta(days=7), observed_at=utcnow(), **overrides)
    )


def count(session, model, *where):
    session.commit()  # end the test's own transaction: a new one sees what the requests committed
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_create_retry_answers_200_with_the_same_finding(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = new_body(world)
    first = client.post("/api/v1/findings", json=body, headers=headers)
    again = client.post("/api/v1/findings", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] == body["id"]
    assert again.json["number"] == first.json["number"]
    assert count(session, Finding) == 1 and count(session, FindingEvent) == 1


def test_same_id_with_different_content_is_a_conflict(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = new_body(world)
    assert client.post("/api/v1/findings", json=body, headers=headers).status_code == 201
    clash = client.post("/api/v1/findings", json={**body, "title": "另一个隐患"}, headers=headers)
    assert clash.status_code == 409 and clash.json["error"]["code"] == "conflict"
    assert count(session, Finding) == 1
    assert session.get(Finding, uuid.UUID(body["id"])).title == body["title"]


def test_the_same_id_from_another_user_is_a_conflict_not_a_leak(client, session):
    world = f.World(session)
    mine, theirs = f.token_for(session, world.user("inspector")), f.token_for(session, world.user("inspector"))
    session.commit()
    body = new_body(world)
    assert client.post("/api/v1/findings", json=body, headers=mine).status_code == 201
    assert client.post("/api/v1/findings", json=body, headers=theirs).status_code == 409


def test_twenty_concurrent_creates_make_one_finding(app, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = new_body(world)
    responses = concurrently(20, lambda: app.test_client().post("/api/v1/findings", json=body, headers=headers))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 19 + [201], statuses
    assert {r.json["number"] for r in responses} == {responses[0].json["number"]}
    assert count(session, Finding) == 1 and count(session, FindingEvent) == 1
    assert count(session, FindingCounter) == 1
    assert session.scalar(select(FindingCounter.last)) == 1  # the losers' numbers were rolled back


def test_numbers_count_up_per_district_and_year(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("supervisor"))
    inspector = f.token_for(session, world.user("inspector", area=world.city))
    session.commit()
    numbers = [
        client.post("/api/v1/findings", json=new_body(world), headers=inspector).json["number"] for _ in range(3)
    ]
    other = client.post(
        "/api/v1/findings",
        json=jsonify(f.finding_data(world.far_enterprise, deadline=real_today() + timedelta(days=3))),
        headers=inspector,
    ).json["number"]
    year = real_today().year
    assert numbers == [f"YH-350206-{year}-00000{i}" for i in (1, 2, 3)]
    assert other == f"YH-350203-{year}-000001"
    assert client.get("/api/v1/findings", headers=headers).status_code == 200


def test_event_retry_applies_once(client, session):
    world = f.World(session)
    finding = f.report(
        session,
        world.user("inspector"),
        f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=5)),
        utcnow(),
    )
    headers = f.token_for(session, world.user("enterprise_officer"))
    session.commit()
    body = event("acknowledge", finding.version)
    url = f"/api/v1/findings/{finding.id}/events"
    first, again = client.post(url, json=body, headers=headers), client.post(url, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["version"] == first.json["version"] == finding.version + 1
    assert count(session, FindingEvent, FindingEvent.action == "acknowledge") == 1
    clash = client.post(url, json={**body, "action": "comment", "text": "x"}, headers=headers)
    assert clash.status_code == 409 and clash.json["error"]["code"] == "conflict"


def test_concurrent_replays_of_one_event_apply_once(app, session):
    world = f.World(session)
    finding = f.report(
        session,
        world.user("inspector"),
        f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=5)),
        utcnow(),
    )
    headers = f.token_for(session, world.user("enterprise_officer"))
    session.commit()
    body, url = event("acknowledge", finding.version), f"/api/v1/findings/{finding.id}/events"
    responses = concurrently(8, lambda: app.test_client().post(url, json=body, headers=headers))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert count(session, FindingEvent, FindingEvent.finding_id == finding.id) == 2


def pending_review_finding(session, world):
    today, now = real_today(), utcnow()
    finding = f.report(
        session, world.user("inspector"), f.finding_data(world.enterprise, deadline=today + timedelta(days=5)), now
    )
    return f.act(
        session,
        world.user("enterprise_officer"),
        finding,
        "submit_rectification",
        now,
        measures="已清理",
        completed_on=today,
    )


def test_approve_and_reject_at_once_one_wins(app, session):
    world = f.World(session)
    rounds = [pending_review_finding(session, world) for _ in range(5)]
    approver, rejecter = f.token_for(session, world.user("supervisor")), f.token_for(session, world.user("supervisor"))
    session.commit()
    for finding in rounds:
        url = f"/api/v1/findings/{finding.id}/events"
        calls = [
            (approver, event("approve", finding.version, on_site=True)),
            (rejecter, event("reject", finding.version, comment="照片不清楚")),
        ]
        barrier = threading.Barrier(2)

        def send(call, url=url, barrier=barrier):
            barrier.wait()
            return app.test_client().post(url, json=call[1], headers=call[0])

        with ThreadPoolExecutor(max_workers=2) as pool:
            responses = list(pool.map(send, calls))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 409], [r.json for r in responses]
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.json["error"]["code"] in {"stale", "invalid_transition"}
        winner = next(r for r in responses if r.status_code == 201)
        # report, the after-photo's photo_added, the submission, and the one decision that won
        assert count(session, FindingEvent, FindingEvent.finding_id == finding.id) == 4
        assert session.get(Finding, finding.id).status == winner.json["status"]


def test_stale_version_gets_409_with_the_current_finding(client, session):
    world = f.World(session)
    finding = pending_review_finding(session, world)
    headers = f.token_for(session, world.user("supervisor"))
    session.commit()
    stale = client.post(
        f"/api/v1/findings/{finding.id}/events",
        json=event("approve", finding.version - 1, on_site=True),
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale"
    assert stale.json["finding"]["version"] == finding.version
    assert stale.json["finding"]["status"] == "pending_review"
    assert "approve" in stale.json["finding"]["allowed_actions"]


def test_a_comment_does_not_make_queued_actions_stale(client, session):
    world = f.World(session)
    finding = pending_review_finding(session, world)
    seen = finding.version
    inspector, supervisor = (
        f.token_for(session, world.user("inspector")),
        f.token_for(session, world.user("supervisor")),
    )
    session.commit()
    url = f"/api/v1/findings/{finding.id}/events"
    assert client.post(url, json=event("comment", None, text="请尽快验收"), headers=inspector).status_code == 201
    assert client.post(url, json=event("approve", seen, on_site=True), headers=supervisor).status_code == 201
