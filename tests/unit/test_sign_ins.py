"""app/extensions.SignIns answers Flask-Login's session-protection question as Flask-Login does: with protection
off, never failed (and without hashing the client); with it on, by Flask-Login's own rule."""

import pytest
from flask import Flask, session
from flask_login import LoginManager

from app.extensions import SignIns


def _answer(manager_class, mode, stored_id):
    app = Flask(__name__)
    app.secret_key = "k"
    manager = manager_class()
    manager.init_app(app)
    manager.session_protection = mode
    hashed = []
    original = manager._session_identifier_generator
    manager._session_identifier_generator = lambda: hashed.append(1) or original()
    with app.test_request_context("/", headers={"User-Agent": "phone"}, environ_base={"REMOTE_ADDR": "10.0.0.8"}):
        if stored_id is not None:
            session.update({"_user_id": "7", "_id": stored_id, "_fresh": True})
        failed = manager._session_protection_failed()
        return failed, dict(session), bool(hashed)


@pytest.mark.parametrize("mode", [None, "basic", "strong"])
@pytest.mark.parametrize("stored_id", [None, "another client's"])
def test_the_answer_and_the_session_left_are_flask_logins(mode, stored_id):
    ours, theirs = _answer(SignIns, mode, stored_id), _answer(LoginManager, mode, stored_id)
    assert ours[:2] == theirs[:2]
    if mode == "strong" and stored_id:
        assert ours[0] is True  # the rule itself ran: a session from another client is cleared
    assert ours[2] is (mode is not None)  # the client hashed only when protection is on
