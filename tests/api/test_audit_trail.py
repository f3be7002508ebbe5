"""Every change is an event with actor, role, times and from/to state; the history is append-only."""

from datetime import timedelta

import factories as f
import pytest
from helpers import event, jsonify, put_photo, real_today
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from app.domain.calendar import utcnow
from app.models import FindingEvent


def test_a_full_history_reads_back_in_order(client, session):
    world = f.World(session)
    grid, inspector, officer, supervisor = (
        world.user(r) for r in ("grid_worker", "inspector", "enterprise_officer", "supervisor")
    )
    tokens = {u.role: f.token_for(session, u) for u in (grid, inspector, officer, supervisor)}
    session.commit()
    today = real_today()
    body = jsonify(f.finding_data(world.enterprise, observed_at=utcnow()))
    for term in f.GRID_WORKER_LEAVES:
        body.pop(term, None)  # a grid worker reports what they saw; the confirm sets the terms
    created = client.post("/api/v1/findings", headers=tokens["grid_worker"], json=body)
    assert created.status_code == 201, created.json
    url = f"/api/v1/findings/{created.json['id']}/events"
    first_deadline, extended = today + timedelta(days=10), today + timedelta(days=20)
    steps = [
        ("inspector", "confirm", {"deadline": first_deadline}),
        ("enterprise_officer", "request_extension", {"new_deadline": extended, "reason": "配件"}),
        ("supervisor", "decide_extension", {"approved": True, "comment": "同意"}),
        ("enterprise_officer", "submit_rectification", {"measures": "清理通道", "completed_on": today}),
        ("supervisor", "reject", {"comment": "仍有杂物"}),
        ("enterprise_officer", "submit_rectification", {"measures": "彻底清理", "completed_on": today}),
        ("supervisor", "approve", {"on_site": False}),
    ]
    version = created.json["version"]
    after_photos = []
    for role, action, fields in steps:
        if action == "submit_rectification":
            after_photos.append(put_photo(client, tokens[role], created.json["id"]))
            fields = {**fields, "photo_ids": [after_photos[-1]]}
        response = client.post(url, json=event(action, version, **fields), headers=tokens[role])
        assert response.status_code == 201, (action, response.json)
        version = response.json["version"]
    final = client.get(f"/api/v1/findings/{created.json['id']}", headers=tokens["supervisor"]).json
    assert final["status"] == "closed" and final["deadline"] == extended.isoformat()
    assert final["extension_requests"][0]["status"] == "approved"
    assert final["extension_requests"][0]["granted_deadline"] == extended.isoformat()
    assert [(r["round"], r["photo_ids"], r["review"]["result"]) for r in final["rounds"]] == [
        (1, [after_photos[0]], "rejected"),
        (2, [after_photos[1]], "approved"),
    ]
    assert final["rounds"][0]["review"]["comment"] == "仍有杂物"

    history = client.get(url, headers=tokens["enterprise_officer"]).json["items"]
    actions = [a for _, a, _ in steps]
    actions[3:3] = ["photo_added"]  # each after-photo's arrival is recorded before the submission naming it
    actions[6:6] = ["photo_added"]
    assert [e["action"] for e in history] == ["report", *actions]
    assert [e["seq"] for e in history] == list(range(1, 11))
    assert [(e["from_state"], e["to_state"]) for e in history] == [
        (None, "reported"),
        ("reported", "rectifying"),
        ("rectifying", "rectifying"),
        ("rectifying", "rectifying"),
        ("rectifying", "rectifying"),
        ("rectifying", "pending_review"),
        ("pending_review", "rectifying"),
        ("rectifying", "rectifying"),
        ("rectifying", "pending_review"),
        ("pending_review", "closed"),
    ]
    assert [e["role"] for e in history] == ["grid_worker", "inspector", "enterprise_officer", "supervisor",
                                             "enterprise_officer", "enterprise_officer", "supervisor",
                                             "enterprise_officer", "enterprise_officer", "supervisor"]  # fmt: skip
    # The enterprise reads its history without the name of the grid worker who reported it (举报人保密).
    assert history[0]["actor"] == {"id": None, "username": None, "display_name": None, "role": "grid_worker",
                                   "unit": None}  # fmt: skip
    assert all(e["actor"]["id"] and e["received_at"] for e in history[1:])
    # A photo's arrival leaves the version alone, so an action queued behind it is not stale.
    assert [e["version"] for e in history] == [1, 2, 3, 4, 4, 5, 6, 6, 7, 8]
    assert history[1]["payload"]["deadline_change"] == {"from": None, "to": first_deadline.isoformat()}
    assert history[3]["payload"]["deadline_change"] == {"from": first_deadline.isoformat(), "to": extended.isoformat()}
    assert "deadline_change" not in history[6]["payload"]  # the rejection kept the deadline
    assert history[4]["payload"] == {"photo_id": after_photos[0], "kind": "rectification"}
    assert history[5]["payload"] == {
        "measures": "清理通道",
        "completed_on": today.isoformat(),
        "photo_ids": [after_photos[0]],
    }
    assert history[0]["location"]["lat"] == pytest.approx(24.51)
    supervisor_view = client.get(url, headers=tokens["supervisor"]).json["items"]
    assert supervisor_view[0]["actor"]["id"] == grid.id


@pytest.fixture
def one_event(session):
    world = f.World(session)
    finding = f.report(session, world.user("inspector"), f.finding_data(world.enterprise))
    session.commit()
    return finding


def test_events_cannot_be_updated_through_the_orm(session, one_event):
    stored = session.query(FindingEvent).filter_by(finding_id=one_event.id).one()
    stored.action = "approve"
    with pytest.raises(DatabaseError, match="append-only"):
        session.commit()
    session.rollback()


def test_events_cannot_be_deleted_through_the_orm(session, one_event):
    session.delete(session.query(FindingEvent).filter_by(finding_id=one_event.id).one())
    with pytest.raises(DatabaseError, match="append-only"):
        session.commit()
    session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        update(FindingEvent).values(payload={}),
        delete(FindingEvent),
        text("UPDATE finding_events SET to_state = 'closed'"),
    ],
)
def test_the_database_refuses_bulk_and_raw_changes(session, one_event, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(statement)
    session.rollback()
    assert session.query(FindingEvent).count() == 1


def test_the_api_offers_no_way_to_change_history(client, session, one_event):
    url = f"/api/v1/findings/{one_event.id}/events"
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url)
        assert response.status_code in (401, 404, 405)
        assert "error" in response.json
