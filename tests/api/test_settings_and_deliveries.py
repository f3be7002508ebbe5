"""Your channels (GET/PUT /me/settings): every bad input is 422 naming the field and changes nothing; and the
delivery queue for admins (GET /admin/deliveries, POST .../retry): newest first, by status, keyset paged, a failed
one queued again; 401 signed out, 403 for every other role."""

from datetime import timedelta

import factories as f
import pytest
from admin_support import OTHER_ROLES, Admin, fresh
from delivery_support import DUE, due_finding, notify, recipient
from sqlalchemy import select

from app.domain.calendar import utcnow
from app.models import Delivery, User

FIELDS = {"email", "channels", "available_channels"}
ROW_FIELDS = {"id", "notification_id", "finding_id", "title", "recipient", "channel", "status", "attempts",
              "last_error", "next_attempt_at", "sent_at", "created_at"}  # fmt: skip


@pytest.fixture
def me(app, session, world):
    app.config.update(SMTP_URL="smtp://127.0.0.1:2525", WEBHOOK_URL="")
    user = world.user("inspector")
    headers = f.token_for(session, user)
    session.commit()
    return {"id": user.id, "headers": headers}


def stored(session, user_id: int) -> tuple:
    user = fresh(session).get(User, user_id)
    return user.email, user.channels


def test_settings_need_a_sign_in(client):
    assert client.get("/api/v1/me/settings").status_code == 401
    refused = client.put("/api/v1/me/settings", json={"email": "a@example.cn"})
    assert refused.status_code == 401 and refused.json["error"]["code"] == "unauthorized"


def test_what_the_server_offers_is_listed_and_in_app_is_not(app, client, me):
    got = client.get("/api/v1/me/settings", headers=me["headers"])
    assert got.status_code == 200 and got.json == {"email": None, "channels": [], "available_channels": ["email"]}
    app.config.update(WEBHOOK_URL="https://oapi.dingtalk.com/robot/send?access_token=x")
    assert client.get("/api/v1/me/settings", headers=me["headers"]).json["available_channels"] == ["email", "webhook"]
    app.config.update(SMTP_URL="", WEBHOOK_URL="")
    assert client.get("/api/v1/me/settings", headers=me["headers"]).json["available_channels"] == []


def test_choosing_email_with_an_address(client, session, me):
    body = {"email": " zhang.san@example.cn ", "channels": ["email", "email"]}
    put = client.put("/api/v1/me/settings", json=body, headers=me["headers"])
    assert put.status_code == 200, put.json
    assert put.json == {"email": "zhang.san@example.cn", "channels": ["email"], "available_channels": ["email"]}
    assert client.get("/api/v1/me/settings", headers=me["headers"]).json == put.json
    assert stored(session, me["id"]) == ("zhang.san@example.cn", ["email"])
    # a field left out stays; email off, the address kept; then the address cleared
    assert client.put("/api/v1/me/settings", json={"channels": []}, headers=me["headers"]).json["email"] is not None
    cleared = client.put("/api/v1/me/settings", json={"email": ""}, headers=me["headers"])
    assert cleared.status_code == 200 and cleared.json["email"] is None
    assert stored(session, me["id"]) == (None, [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"email": "zhang@"}, "email"),
        ({"email": "a" * 250 + "@example.cn"}, "email"),
        ({"email": 12}, "email"),
        ({"email": "zhang\x00@example.cn"}, "email"),
        ({"channels": ["sms"]}, "channels"),
        ({"channels": ["in_app"]}, "channels"),
        ({"channels": ["webhook"]}, "channels"),  # not set up on this server
        ({"channels": "email"}, "channels"),
        ({"channels": [1]}, "channels"),
        ({"channels": None}, "channels"),
        ({"channels": ["email"]}, "email"),  # no address yet
        ({"email": None, "channels": ["email"]}, "email"),
        ({"email": "   ", "channels": ["email"]}, "email"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_setting_is_422_naming_the_field_and_changes_nothing(client, session, me, body, field):
    answer = client.put("/api/v1/me/settings", json=body, headers=me["headers"])
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["code"] == "validation_error" and field in answer.json["error"]["fields"]
    assert stored(session, me["id"]) == (None, None)


def test_dropping_the_address_while_email_is_chosen_is_refused(client, session, me):
    body = {"email": "li.si@example.cn", "channels": ["email"]}
    assert client.put("/api/v1/me/settings", json=body, headers=me["headers"]).status_code == 200
    refused = client.put("/api/v1/me/settings", json={"email": None}, headers=me["headers"])
    assert refused.status_code == 422 and "email" in refused.json["error"]["fields"]
    assert stored(session, me["id"]) == ("li.si@example.cn", ["email"])


# --- the admin's view of the queue -----------------------------------------------------------------------------


@pytest.fixture
def queue(session):
    admin = Admin(session)
    finding = due_finding(session, admin.world)
    officer = recipient(admin.world, session, channels=("email", "webhook"))
    for hours in range(3):  # three notifications, two deliveries each
        notify(session, finding, [officer], now=DUE + timedelta(hours=hours))
    ids = list(session.scalars(select(Delivery.id).order_by(Delivery.id)))
    states = {ids[0]: ("sent", None), ids[1]: ("failed", "webhook errcode 93000: invalid webhook url"),
              ids[2]: ("failed", "SMTP 554 rejected"), ids[4]: ("queued", "webhook answered HTTP 502")}  # fmt: skip
    for row_id, (status, error) in states.items():
        delivery = session.get(Delivery, row_id)
        delivery.status, delivery.last_error, delivery.attempts = status, error, 1 if status != "failed" else 6
        delivery.sent_at = DUE if status == "sent" else None
    session.commit()
    return {"admin": admin, "ids": ids, "officer": officer.username}


def test_admins_see_deliveries_newest_first_by_status_and_paged(client, queue):
    headers, ids = queue["admin"].headers, queue["ids"]
    everything = client.get("/api/v1/admin/deliveries", headers=headers)
    assert everything.status_code == 200
    assert [d["id"] for d in everything.json["items"]] == ids[::-1] and everything.json["next_cursor"] is None
    row = everything.json["items"][-1]
    assert set(row) == ROW_FIELDS and row["recipient"] == queue["officer"] and row["status"] == "sent"
    assert row["channel"] == "email" and row["sent_at"] is not None and row["title"].startswith("隐患 ")
    failed = client.get("/api/v1/admin/deliveries?status=failed", headers=headers).json["items"]
    assert [(d["id"], d["attempts"], d["last_error"]) for d in failed] == [
        (ids[2], 6, "SMTP 554 rejected"), (ids[1], 6, "webhook errcode 93000: invalid webhook url")]  # fmt: skip
    queued = client.get("/api/v1/admin/deliveries?status=queued", headers=headers).json["items"]
    assert [d["id"] for d in queued] == [ids[5], ids[4], ids[3]]
    first = client.get("/api/v1/admin/deliveries?limit=4", headers=headers).json
    rest = client.get(f"/api/v1/admin/deliveries?limit=4&cursor={first['next_cursor']}", headers=headers).json
    assert [d["id"] for d in first["items"] + rest["items"]] == ids[::-1] and rest["next_cursor"] is None
    for bad in ("status=lost", "limit=0", "limit=201"):
        refused = client.get(f"/api/v1/admin/deliveries?{bad}", headers=headers)
        assert refused.status_code == 422, bad
    refused = client.get("/api/v1/admin/deliveries?cursor=bm9wZQ", headers=headers)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_cursor"


def test_a_failed_delivery_is_queued_again_by_an_admin(client, session, queue):
    headers, ids = queue["admin"].headers, queue["ids"]
    retried = client.post(f"/api/v1/admin/deliveries/{ids[1]}/retry", headers=headers)
    assert retried.status_code == 200, retried.json
    assert (retried.json["status"], retried.json["attempts"]) == ("queued", 0)
    assert retried.json["last_error"] == "webhook errcode 93000: invalid webhook url"  # why, until the next try
    row = fresh(session).get(Delivery, ids[1])
    assert row.status == "queued" and row.attempts == 0 and row.next_attempt_at <= utcnow()  # due at once
    for other in (ids[0], ids[1], ids[4]):  # sent, now queued, queued between attempts
        refused = client.post(f"/api/v1/admin/deliveries/{other}/retry", headers=headers)
        assert refused.status_code == 409, refused.json
    for missing in (ids[-1] + 100, 2**40):
        assert client.post(f"/api/v1/admin/deliveries/{missing}/retry", headers=headers).status_code == 404


def test_only_an_admin_sees_or_retries_deliveries(client, session, queue):
    failed = queue["ids"][2]
    for method, url in (("GET", "/api/v1/admin/deliveries"), ("POST", f"/api/v1/admin/deliveries/{failed}/retry")):
        assert client.open(url, method=method).status_code == 401
        for role in OTHER_ROLES:
            refused = client.open(url, method=method, headers=queue["admin"].role_headers[role])
            assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden", role
    assert fresh(session).get(Delivery, failed).status == "failed"


def test_the_openapi_document_describes_them(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "Admins only" in paths["/api/v1/admin/deliveries"]["get"]["description"]
    assert "Admins only" in paths["/api/v1/admin/deliveries/{delivery_id}/retry"]["post"]["description"]
    assert {"get", "put"} <= set(paths["/api/v1/me/settings"])
