"""Bearer tokens expire, record their last use (throttled), and can be listed and revoked by their owner, by an
admin and by an operator; logging out with one revokes it."""

from datetime import timedelta

import factories as f
from sqlalchemy import select, update

from app.cli import tokens as tokens_cli
from app.domain.calendar import utcnow
from app.models import ApiToken, UserSession
from app.services.accounts import TOUCH_INTERVAL


def issue(client, user, **extra):
    response = client.post("/api/v1/auth/token", json={"username": user.username, "password": f.PASSWORD, **extra})
    assert response.status_code == 201, response.json
    return response.json


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def row(session, token_id) -> ApiToken:
    """The token as stored now; the read's transaction ends at once, as a request's would."""
    session.rollback()
    found = session.get(ApiToken, token_id)
    session.commit()
    return found


def test_a_token_expires_after_token_days(client, session, inspector):
    issued = issue(client, inspector, label="巡查手机")
    stored = row(session, issued["id"])
    lifetime = stored.expires_at - stored.created_at
    assert lifetime == timedelta(days=90) and stored.label == "巡查手机"
    assert issued["expires_at"].startswith(stored.expires_at.isoformat()[:16])
    assert client.get("/api/v1/me", headers=bearer(issued["token"])).status_code == 200
    session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    expired = client.get("/api/v1/me", headers=bearer(issued["token"]))
    assert expired.status_code == 401 and expired.json["error"]["code"] == "unauthorized"


def test_token_days_is_configurable(database_url, session, inspector):
    from testbed import FAST_SETTINGS, IsolatedClient

    from app import create_app

    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url, "TOKEN_DAYS": 7})
    app.test_client_class = IsolatedClient
    stored = row(session, issue(app.test_client(), inspector)["id"])
    assert stored.expires_at - stored.created_at == timedelta(days=7)


def test_a_revoked_token_is_401_at_once(client, session, inspector):
    issued = issue(client, inspector)
    session.execute(update(ApiToken).values(revoked_at=utcnow()))  # what an admin's revocation does
    session.commit()
    assert client.get("/api/v1/findings", headers=bearer(issued["token"])).status_code == 401


def test_last_use_is_recorded_once_every_few_minutes(client, session, inspector):
    issued = issue(client, inspector)
    assert row(session, issued["id"]).last_used_at is None
    before = utcnow()
    assert client.get("/api/v1/me", headers=bearer(issued["token"])).status_code == 200
    first = row(session, issued["id"]).last_used_at
    assert first is not None and first >= before.replace(microsecond=0)
    for _ in range(3):
        assert client.get("/api/v1/findings", headers=bearer(issued["token"])).status_code == 200
    assert row(session, issued["id"]).last_used_at == first  # no write per request
    stale = utcnow() - TOUCH_INTERVAL - timedelta(seconds=5)
    session.execute(update(ApiToken).values(last_used_at=stale))
    session.commit()
    assert client.get("/api/v1/me", headers=bearer(issued["token"])).status_code == 200
    assert row(session, issued["id"]).last_used_at > stale + timedelta(seconds=5)


def test_a_write_request_records_its_use_as_well(client, session, world, inspector):
    from helpers import jsonify, real_today

    issued = issue(client, inspector)
    body = jsonify(f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=3), observed_at=utcnow()))
    assert client.post("/api/v1/findings", json=body, headers=bearer(issued["token"])).status_code == 201
    assert row(session, issued["id"]).last_used_at is not None


def test_owners_list_their_live_tokens(client, session, world, inspector):
    mine = issue(client, inspector, label="phone")
    other = issue(client, inspector, label="script")
    gone = issue(client, inspector, label="old")
    session.execute(update(ApiToken).where(ApiToken.id == gone["id"]).values(revoked_at=utcnow()))
    someone_else = world.user("inspector")
    session.commit()
    issue(client, someone_else)
    listed = client.get("/api/v1/auth/tokens", headers=bearer(mine["token"]))
    assert listed.status_code == 200
    tokens = listed.json["tokens"]
    assert [t["id"] for t in tokens] == [other["id"], mine["id"]]  # newest first; revoked and others' not there
    assert [t["current"] for t in tokens] == [False, True]
    assert [t["label"] for t in tokens] == ["script", "phone"]
    assert set(tokens[0]) == {"id", "label", "created_at", "expires_at", "last_used_at", "current"}  # no secret


def test_owners_revoke_their_own_tokens_and_nobody_elses(client, session, world, inspector):
    mine, spare = issue(client, inspector), issue(client, inspector)
    someone_else = world.user("inspector")
    session.commit()
    theirs = issue(client, someone_else)
    assert client.delete(f"/api/v1/auth/tokens/{spare['id']}", headers=bearer(mine["token"])).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(spare["token"])).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(mine["token"])).status_code == 200
    foreign = client.delete(f"/api/v1/auth/tokens/{theirs['id']}", headers=bearer(mine["token"]))
    assert foreign.status_code == 404  # as if it did not exist
    assert client.delete("/api/v1/auth/tokens/999999", headers=bearer(mine["token"])).status_code == 404
    assert client.get("/api/v1/me", headers=bearer(theirs["token"])).status_code == 200
    listing = client.get(f"/api/v1/auth/tokens?user_id={someone_else.id}", headers=bearer(mine["token"]))
    assert listing.status_code == 403


def test_admins_list_and_revoke_anyones_tokens(client, session, world, inspector):
    admin = world.user("admin")
    session.commit()
    root = issue(client, admin)
    victim = issue(client, inspector)
    listed = client.get(f"/api/v1/auth/tokens?user_id={inspector.id}", headers=bearer(root["token"]))
    assert listed.status_code == 200 and [t["id"] for t in listed.json["tokens"]] == [victim["id"]]
    assert client.delete(f"/api/v1/auth/tokens/{victim['id']}", headers=bearer(root["token"])).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(victim["token"])).status_code == 401


def test_admins_end_all_tokens_or_sessions_of_a_user(app, client, session, world, inspector):
    admin = world.user("admin")
    session.commit()
    root = issue(client, admin)
    phones = [issue(client, inspector) for _ in range(2)]
    browser = app.test_client()
    assert (
        browser.post("/api/v1/auth/login", json={"username": inspector.username, "password": f.PASSWORD}).status_code
        == 200
    )
    peer = bearer(phones[0]["token"])
    assert client.delete(f"/api/v1/users/{inspector.id}/tokens", headers=peer).status_code == 403
    ended = client.delete(f"/api/v1/users/{inspector.id}/tokens", headers=bearer(root["token"]))
    assert ended.status_code == 200 and ended.json == {"ended": 2}
    assert all(client.get("/api/v1/me", headers=bearer(p["token"])).status_code == 401 for p in phones)
    assert browser.get("/api/v1/me").status_code == 200  # tokens only
    ended = client.delete(f"/api/v1/users/{inspector.id}/sessions", headers=bearer(root["token"]))
    assert ended.status_code == 200 and ended.json == {"ended": 1}
    assert browser.get("/api/v1/me").status_code == 401
    assert client.delete("/api/v1/users/999999/tokens", headers=bearer(root["token"])).status_code == 404
    assert client.get("/api/v1/me", headers=bearer(root["token"])).status_code == 200


def test_logout_with_a_bearer_token_revokes_that_token_only(client, session, inspector):
    first, second = issue(client, inspector), issue(client, inspector)
    assert client.post("/api/v1/auth/logout", headers=bearer(first["token"])).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(first["token"])).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(second["token"])).status_code == 200
    assert row(session, first["id"]).revoked_at is not None


def test_operators_revoke_a_users_tokens_from_the_command_line(app, client, session, inspector):
    phones = [issue(client, inspector) for _ in range(2)]
    browser = app.test_client()
    assert (
        browser.post("/api/v1/auth/login", json={"username": inspector.username, "password": f.PASSWORD}).status_code
        == 200
    )
    runner = app.test_cli_runner()
    listed = runner.invoke(tokens_cli, ["list", inspector.username])
    assert listed.exit_code == 0 and len(listed.output.strip().splitlines()) == 2
    done = runner.invoke(tokens_cli, ["revoke", inspector.username])
    assert done.exit_code == 0, done.output
    assert f"ended 2 tokens of {inspector.username}" in done.output
    assert all(client.get("/api/v1/me", headers=bearer(p["token"])).status_code == 401 for p in phones)
    assert browser.get("/api/v1/me").status_code == 200
    everything = runner.invoke(tokens_cli, ["revoke", inspector.username, "--sessions"])
    assert "ended 1 tokens and sessions" in everything.output
    assert browser.get("/api/v1/me").status_code == 401
    session.expire_all()
    assert session.scalars(select(UserSession.revoked_at)).one() is not None
    unknown = runner.invoke(tokens_cli, ["revoke", "nobody"])
    assert unknown.exit_code != 0 and "no user nobody" in unknown.output


def test_the_command_line_issues_tokens_with_a_label_and_lifetime(app, client, session, inspector):
    runner = app.test_cli_runner()
    made = runner.invoke(tokens_cli, ["create", inspector.username, "--label", "nightly export", "--days", "2"])
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    stored = session.scalars(select(ApiToken)).one()
    assert stored.label == "nightly export" and stored.expires_at - stored.created_at == timedelta(days=2)
