"""Cookie sessions with CSRF for the PWA, hashed bearer tokens for scripts, rate-limited logins."""

from datetime import timedelta

import factories as f
import pytest
from helpers import jsonify, real_today
from sqlalchemy import select

from app import create_app
from app.domain.calendar import utcnow
from app.models import ApiToken


@pytest.fixture
def inspector(session):
    world = f.World(session)
    user = world.user("inspector")
    session.commit()
    return world, user


def login(client, username, password=f.PASSWORD):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def new_finding(world):
    return jsonify(f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=3), observed_at=utcnow()))


def test_login_starts_a_session_and_me_answers(client, inspector):
    _, user = inspector
    response = login(client, user.username)
    assert response.status_code == 200
    assert response.json["user"]["role"] == "inspector" and response.json["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json["user"]["username"] == user.username
    assert me.json["user"]["area"]["code"] == "350206"


def test_cookie_writes_need_the_csrf_token(client, inspector):
    world, user = inspector
    csrf = login(client, user.username).json["csrf_token"]
    refused = client.post("/api/v1/findings", json=new_finding(world))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "csrf_failed"
    wrong = client.post("/api/v1/findings", json=new_finding(world), headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    accepted = client.post("/api/v1/findings", json=new_finding(world), headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_logout_ends_the_session(client, inspector):
    _, user = inspector
    csrf = login(client, user.username).json["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    gone = client.get("/api/v1/me")
    assert gone.status_code == 401 and gone.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("username,password", [("nobody", f.PASSWORD), (None, "wrong password")])
def test_wrong_credentials_are_401_without_saying_which(client, inspector, username, password):
    _, user = inspector
    response = login(client, username or user.username, password)
    assert response.status_code == 401
    assert response.json["error"]["message"] == "Wrong username or password."


def test_bearer_token_works_everywhere_without_csrf_and_is_stored_hashed(client, session, inspector):
    world, user = inspector
    issued = client.post("/api/v1/auth/token", json={"username": user.username, "password": f.PASSWORD})
    assert issued.status_code == 201
    token = issued.json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json["user"]["id"] == user.id
    assert client.post("/api/v1/findings", json=new_finding(world), headers=headers).status_code == 201
    session.commit()
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert stored and token not in stored and all(len(h) == 64 for h in stored)


@pytest.mark.parametrize("header", ["Bearer clt_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer"])
def test_bad_bearer_tokens_are_401(client, inspector, header):
    response = client.get("/api/v1/findings", headers={"Authorization": header})
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_a_bearer_token_wins_over_a_cookie(client, session, inspector):
    world, user = inspector
    other = world.user("supervisor")
    headers = f.token_for(session, other)
    session.commit()
    login(client, user.username)
    assert client.get("/api/v1/me", headers=headers).json["user"]["role"] == "supervisor"


def test_deactivated_users_cannot_sign_in(client, session, inspector):
    _, user = inspector
    user.active = False
    session.commit()
    assert login(client, user.username).status_code == 401


def test_deactivating_an_account_ends_its_sessions_and_tokens(client, session, inspector):
    _, user = inspector
    headers = f.token_for(session, user)
    session.commit()
    assert login(client, user.username).status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    user.active = False
    session.commit()
    assert client.get("/api/v1/me").status_code == 401  # the cookie session
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # the bearer token
    assert client.get("/api/v1/findings").status_code == 401


def test_login_attempts_are_rate_limited(database_url, session, inspector):
    _, user = inspector
    limited = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "LOGIN_RATE_LIMIT": "3 per minute"})
    client = limited.test_client()
    statuses = [login(client, user.username, "wrong").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    blocked = login(client, user.username)
    assert blocked.status_code == 429 and blocked.json["error"]["code"] == "rate_limited"
    assert "Retry-After" in blocked.headers


def test_unauthenticated_api_calls_are_401_json(client):
    for path in ("/api/v1/findings", "/api/v1/enterprises", "/api/v1/categories", "/api/v1/me"):
        response = client.get(path)
        assert response.status_code == 401 and response.is_json


def test_unknown_api_paths_are_json_404_and_the_docs_are_served(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and spec.json["openapi"].startswith("3.")
    assert {"/api/v1/findings", "/api/v1/findings/{finding_id}/events"} <= set(spec.json["paths"])
    assert "bearer" in spec.json["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"openapi.json" in docs.data
    assert client.get("/").status_code == 200
