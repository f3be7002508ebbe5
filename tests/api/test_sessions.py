"""Browser sessions end when they should: at logout (a copied cookie and a remembered one included), after the
idle and absolute limits, when revoked or deactivated; and a reset password must be changed before anything."""

import hashlib
from datetime import timedelta

import factories as f
import pytest
from flask_login.utils import encode_cookie
from sqlalchemy import select, update

from app.domain.calendar import utcnow
from app.models import ApiToken, User, UserSession
from app.services.accounts import TOUCH_INTERVAL


def login(client, username, password=f.PASSWORD, remember=False):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password, "remember": remember})


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    """Another browser holding a copy of the cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def session_row(session, user) -> UserSession:
    session.expire_all()
    return session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()


def test_login_keeps_only_the_hash_of_a_random_secret(client, session, inspector):
    assert login(client, inspector.username).status_code == 200
    row = session_row(session, inspector)
    payload = client.get_cookie("session").value
    assert row.secret_hash not in payload and len(row.secret_hash) == 64
    # the secret itself is in the (signed, not encrypted) cookie; the row holds its SHA-256 only
    app = client.application
    data = app.session_interface.get_signing_serializer(app).loads(payload)
    assert hashlib.sha256(data["sid"].encode()).hexdigest() == row.secret_hash
    assert "_user_id" not in data  # Flask-Login's id-in-the-cookie is not what signs anyone in
    now = utcnow()
    assert row.revoked_at is None and row.remember is False
    assert timedelta(days=29) < row.expires_at - now <= timedelta(days=30)


def test_logout_with_remember_ends_the_session_and_the_old_cookie_jar_gets_401(app, client, session, inspector):
    response = login(client, inspector.username, remember=True)
    assert response.status_code == 200
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token=") for c in cookies), "no Flask-Login remember cookie any more"
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "Expires=" in session_cookie and "HttpOnly" in session_cookie  # remembered: outlives the browser
    jar = cookie_of(client)
    csrf = client.get("/api/v1/me").json["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    old_jar = with_cookie(app, jar)
    refused = old_jar.get("/api/v1/me")
    assert refused.status_code == 401 and refused.json["error"]["code"] == "unauthorized"
    assert old_jar.get("/api/v1/findings").status_code == 401
    assert session_row(session, inspector).revoked_at is not None


def test_a_session_without_remember_is_a_browser_session_cookie(client, inspector):
    response = login(client, inspector.username)
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires=" not in session_cookie


def test_a_copied_session_cookie_is_refused_after_logout(app, client, inspector):
    csrf = login(client, inspector.username).json["csrf_token"]
    copy = with_cookie(app, cookie_of(client))
    assert copy.get("/api/v1/me").status_code == 200  # the copy works while the session lives
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert copy.get("/api/v1/me").status_code == 401
    assert copy.get("/api/v1/findings").status_code == 401


def test_an_idle_session_ends_after_the_idle_limit(client, session, inspector):
    assert login(client, inspector.username).status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    row = session_row(session, inspector)
    session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=11, minutes=50)))
    session.commit()
    assert client.get("/api/v1/me").status_code == 200  # 11 h 50 min idle: still in
    session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=12, minutes=1)))
    session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert row.id == session_row(session, inspector).id


def test_the_idle_limit_is_configurable(database_url, session, inspector, tmp_path):
    from testbed import FAST_SETTINGS, IsolatedClient

    from app import create_app

    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_IDLE_HOURS": 0.5})
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert login(client, inspector.username).status_code == 200
    session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_a_used_session_ends_at_its_absolute_limit(client, session, inspector):
    assert login(client, inspector.username, remember=True).status_code == 200
    session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()  # last_seen_at is fresh: only the absolute limit ends it
    assert client.get("/api/v1/me").status_code == 401


def test_last_seen_is_written_every_few_minutes_not_on_every_request(client, session, inspector):
    assert login(client, inspector.username).status_code == 200
    first = session_row(session, inspector).last_seen_at
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200
    assert session_row(session, inspector).last_seen_at == first  # fresh: no write
    stale = utcnow() - TOUCH_INTERVAL - timedelta(seconds=5)
    session.execute(update(UserSession).values(last_seen_at=stale))
    session.commit()
    before = utcnow()
    assert client.get("/api/v1/findings").status_code == 200
    assert session_row(session, inspector).last_seen_at >= before  # one write, after the request


def test_a_revoked_session_is_401_at_once(client, session, inspector):
    assert login(client, inspector.username).status_code == 200
    session.execute(update(UserSession).values(revoked_at=utcnow()))  # what an admin's "sign out" does
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_deactivation_kills_live_sessions_and_tokens(client, session, inspector):
    headers = f.token_for(session, inspector)
    session.commit()
    assert login(client, inspector.username).status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    session.execute(update(User).where(User.id == inspector.id).values(active=False))
    session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_old_flask_login_remember_cookie_signs_no_one_in_and_is_deleted(app, client, session, inspector):
    """Cookies from before server-side sessions: remember_token=<user id>|<hmac>. Flask-Login would read it
    and skip the request loader; now it proves nothing, and a bearer token sent with it still counts."""
    with app.test_request_context():
        legacy = encode_cookie(str(inspector.id))
    client.set_cookie("remember_token", legacy)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    deleted = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert deleted and "Expires=Thu, 01 Jan 1970" in deleted[0]
    headers = f.token_for(session, inspector)
    session.commit()
    again = app.test_client()
    again.set_cookie("remember_token", legacy)
    assert again.get("/api/v1/me", headers=headers).status_code == 200


def test_logout_also_deletes_any_remember_cookie(app, client, inspector):
    csrf = login(client, inspector.username, remember=True).json["csrf_token"]
    response = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("session=;") for c in cookies)  # the session cookie is deleted


# --- a password reset must be followed by a change --------------------------------------------------------


@pytest.fixture
def reset_user(session, inspector):
    session.execute(update(User).where(User.id == inspector.id).values(must_change_password=True))
    session.commit()
    return inspector


def test_a_reset_password_blocks_everything_but_me_logout_and_the_change(client, session, world, reset_user):
    response = login(client, reset_user.username)
    assert response.status_code == 200 and response.json["user"]["must_change_password"] is True
    csrf = response.json["csrf_token"]
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json["user"]["must_change_password"] is True
    for path in ("/api/v1/findings", "/api/v1/enterprises", "/api/v1/sync", "/api/v1/auth/tokens"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert refused.json["error"]["code"] == "password_change_required"
    assert client.get("/api/v1/docs").status_code == 200 and client.get("/api/v1/openapi.json").status_code == 200
    write = client.post("/api/v1/findings", json={}, headers={"X-CSRF-Token": csrf})
    assert write.status_code == 403 and write.json["error"]["code"] == "password_change_required"
    bearer = f.token_for(session, reset_user)
    session.commit()
    assert client.get("/api/v1/findings", headers=bearer).json["error"]["code"] == "password_change_required"


def test_the_password_change_checks_both_passwords(client, reset_user):
    csrf = login(client, reset_user.username).json["csrf_token"]

    def change(current, new):
        body = {"current_password": current, "new_password": new}
        return client.post("/api/v1/auth/password", json=body, headers={"X-CSRF-Token": csrf})

    wrong = change("not my password", "a much better passphrase")
    assert wrong.status_code == 422 and "current_password" in wrong.json["error"]["fields"]
    for weak in ("short", "1234567890", f"{reset_user.username}-and-more", f.PASSWORD):
        refused = change(f.PASSWORD, weak)
        assert refused.status_code == 422, weak
        assert set(refused.json["error"]["fields"]) == {"new_password"}, weak
    unprotected = client.post("/api/v1/auth/password", json={"current_password": f.PASSWORD, "new_password": "x" * 12})
    assert unprotected.status_code == 403 and unprotected.json["error"]["code"] == "csrf_failed"
    assert client.get("/api/v1/findings").status_code == 403  # still blocked


def test_changing_the_password_lifts_the_block_and_ends_every_other_credential(app, client, session, reset_user):
    other_browser = app.test_client()
    assert login(other_browser, reset_user.username).status_code == 200
    phone = f.token_for(session, reset_user)
    session.commit()
    csrf = login(client, reset_user.username).json["csrf_token"]
    before = utcnow()
    body = {"current_password": f.PASSWORD, "new_password": "a much better passphrase"}
    changed = client.post("/api/v1/auth/password", json=body, headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 200 and changed.json["user"]["must_change_password"] is False
    assert client.get("/api/v1/findings").status_code == 200  # this session goes on
    assert other_browser.get("/api/v1/me").status_code == 401  # the others end
    assert client.get("/api/v1/me", headers=phone).status_code == 401
    session.expire_all()
    user = session.get(User, reset_user.id)
    assert user.must_change_password is False and user.password_changed_at >= before.replace(microsecond=0)
    assert user.password_hash.startswith("scrypt:")
    fresh = app.test_client()
    assert login(fresh, reset_user.username).status_code == 401
    assert login(fresh, reset_user.username, "a much better passphrase").status_code == 200


def test_a_bearer_client_changes_its_password_and_keeps_its_token(client, session, inspector):
    mine, spare = f.token_for(session, inspector), f.token_for(session, inspector)
    session.commit()
    body = {"current_password": f.PASSWORD, "new_password": "a much better passphrase"}
    changed = client.post("/api/v1/auth/password", json=body, headers=mine)
    assert changed.status_code == 200 and changed.json["csrf_token"] is None
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    assert client.get("/api/v1/me", headers=spare).status_code == 401
    revoked = session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_not(None))).all()
    assert len(revoked) == 1
