"""app/cookie_session: the session each request gets, and the response's cookie and Vary headers, are Flask's
own, for requests with no cookie, a good one, a forged one, and for sessions read, written and cleared."""

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

from app.cookie_session import CookieSessionInterface

ACTIONS = {
    "nothing": lambda: None,
    "read": lambda: session.get("user"),
    "write": lambda: session.update(user="7"),
    "clear": lambda: session.clear(),
}


def _app(interface, secret="s3cret") -> Flask:
    app = Flask(__name__)
    app.secret_key = secret
    app.session_interface = interface

    @app.post("/<action>")
    def act(action):
        ACTIONS[action]()
        return {"session": dict(session), "kind": type(session._get_current_object()).__name__}

    return app


def _cookie_of(app) -> str:
    client = app.test_client()
    client.post("/write")
    return client.get_cookie("session").value


def _answer(app, action: str, cookie: str | None):
    client = app.test_client()
    if cookie is not None:
        client.set_cookie("session", cookie)
    response = client.post(f"/{action}")
    return response.get_json(), response.headers.getlist("Set-Cookie"), response.headers.get("Vary")


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("cookie", ["none", "good", "forged", "empty"])
def test_every_request_gets_what_flasks_own_session_gives(action, cookie):
    ours, flasks = _app(CookieSessionInterface()), _app(SecureCookieSessionInterface())
    value = {"none": None, "good": _cookie_of(flasks), "forged": _cookie_of(_app(SecureCookieSessionInterface(),
             "other")), "empty": ""}[cookie]  # fmt: skip
    expected = _answer(flasks, action, value)
    assert _answer(ours, action, value) == expected
    if cookie == "good" and action == "read":
        assert expected[0]["session"] == {"user": "7"}  # the cookie was read, not ignored by both


def test_without_a_secret_key_there_is_no_session_as_in_flask():
    for interface in (CookieSessionInterface(), SecureCookieSessionInterface()):
        answer, cookies, _vary = _answer(_app(interface, secret=None), "nothing", None)
        assert (answer["kind"], cookies) == ("NullSession", [])
