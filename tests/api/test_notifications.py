"""The in-app inbox: only your own, newest first and keyset paged, marked read by ids or all, counted in /me."""

from datetime import timedelta

import factories as f
import pytest
from helpers import jsonify, real_today

from app.domain.calendar import utcnow
from app.models import Notification


@pytest.fixture
def inbox(session, world):
    officer, other = world.user("enterprise_officer"), world.user("enterprise_officer")
    # a grid worker's report waits for triage and so tells nobody: the inbox holds only the rows made here
    finding = f.report(session, world.user("grid_worker"), f.finding_data(world.enterprise))
    rows = {}
    for who, n in [(officer, 0), (officer, 1), (officer, 2), (other, 3)]:
        note = Notification(recipient_id=who.id, finding_id=finding.id, rule=f"rule{n}", kind="reminder",
                            due_at=f.NOW, title=f"隐患 {finding.number} 第{n}条", body="请按期整改。",
                            created_at=f.NOW + timedelta(minutes=n))  # fmt: skip
        session.add(note)
        session.flush()
        rows[n] = note.id
    headers = {"officer": f.token_for(session, officer), "other": f.token_for(session, other)}
    session.commit()
    return {"headers": headers, "ids": rows, "finding": finding}


def test_the_inbox_is_yours_only_newest_first_and_paged(client, inbox):
    ids, headers = inbox["ids"], inbox["headers"]
    first = client.get("/api/v1/notifications?limit=2", headers=headers["officer"]).get_json()
    assert [n["id"] for n in first["items"]] == [ids[2], ids[1]]
    item = first["items"][0]
    assert set(item) == {"id", "kind", "finding_id", "title", "body", "created_at", "read_at"}
    assert item["finding_id"] == str(inbox["finding"].id) and item["read_at"] is None
    rest = client.get(f"/api/v1/notifications?limit=2&cursor={first['next_cursor']}", headers=headers["officer"])
    assert [n["id"] for n in rest.get_json()["items"]] == [ids[0]] and rest.get_json()["next_cursor"] is None
    theirs = client.get("/api/v1/notifications", headers=headers["other"]).get_json()["items"]
    assert [n["id"] for n in theirs] == [ids[3]]


def test_marking_read_by_ids_and_all_and_the_count_in_me(client, inbox):
    ids, headers = inbox["ids"], inbox["headers"]
    assert client.get("/api/v1/me", headers=headers["officer"]).get_json()["unread_notifications"] == 3
    # someone else's id changes nothing
    marked = client.post("/api/v1/notifications/read", json={"ids": [ids[1], ids[3]]}, headers=headers["officer"])
    assert marked.status_code == 200 and marked.get_json() == {"marked": 1, "unread": 2}
    unread = client.get("/api/v1/notifications?unread=true", headers=headers["officer"]).get_json()["items"]
    assert [n["id"] for n in unread] == [ids[2], ids[0]]
    assert client.get("/api/v1/me", headers=headers["other"]).get_json()["unread_notifications"] == 1
    everything = client.post("/api/v1/notifications/read", json={"all": True}, headers=headers["officer"])
    assert everything.get_json() == {"marked": 2, "unread": 0}
    assert client.get("/api/v1/me", headers=headers["officer"]).get_json()["unread_notifications"] == 0
    assert client.get("/api/v1/me", headers=headers["other"]).get_json()["unread_notifications"] == 1
    read = client.get("/api/v1/notifications", headers=headers["officer"]).get_json()["items"]
    assert all(n["read_at"] for n in read)


@pytest.mark.parametrize(
    "body",
    [{}, {"all": False}, {"ids": []}, {"ids": ["x"]}, {"ids": [1], "all": True}, {"ids": 5}, {"every": True}],
)
def test_a_bad_body_is_422_with_fields(client, inbox, body):
    answer = client.post("/api/v1/notifications/read", json=body, headers=inbox["headers"]["officer"])
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"]


def test_a_bad_cursor_is_400_invalid_cursor(client, inbox):
    answer = client.get("/api/v1/notifications?cursor=nonsense", headers=inbox["headers"]["officer"])
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_cursor"


def test_signed_out_is_401(client, inbox):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read", json={"all": True}).status_code == 401


def test_an_order_is_in_the_officers_inbox_the_moment_its_create_commits(client, session, world):
    """No job in between: the inspector's POST writes the officer's notification in its own transaction."""
    inspector, officer = world.user("inspector"), world.user("enterprise_officer")
    headers = {"inspector": f.token_for(session, inspector), "officer": f.token_for(session, officer)}
    session.commit()
    assert client.get("/api/v1/me", headers=headers["officer"]).get_json()["unread_notifications"] == 0
    body = f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow())
    created = client.post("/api/v1/findings", json=jsonify(body), headers=headers["inspector"])
    assert created.status_code == 201, created.get_json()
    assert client.get("/api/v1/me", headers=headers["officer"]).get_json()["unread_notifications"] == 1
    (item,) = client.get("/api/v1/notifications", headers=headers["officer"]).get_json()["items"]
    assert (item["kind"], item["finding_id"]) == ("order", created.get_json()["id"])
    assert item["title"] == f"新的整改要求：隐患 {created.get_json()['number']}"
    # the same create sent again (a phone's retry) tells nobody twice
    again = client.post("/api/v1/findings", json=jsonify(body), headers=headers["inspector"])
    assert again.status_code == 200
    assert client.get("/api/v1/me", headers=headers["officer"]).get_json()["unread_notifications"] == 1
    assert client.get("/api/v1/me", headers=headers["inspector"]).get_json()["unread_notifications"] == 0
