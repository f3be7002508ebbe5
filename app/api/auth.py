"""Sign in and out: server-side sessions for the PWA's cookie (with CSRF), expiring bearer tokens for scripts
and phones, login throttling per client address and per username, and the password change a reset asks for.

Every request's credential is checked by one statement (app.services.accounts): a session or token that was
ended, has expired or (a session) has been idle too long, or whose user was deactivated, is 401 at once. The
server-side session is the only thing that remembers a browser: Flask-Login's own remember cookie is never set
(and an old one is deleted), so a logout ends everything the browser held.
"""

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import marshmallow as ma
from flask import Flask, current_app, g, request, session
from flask_login import UserMixin, current_user, login_required

from app.api.errors import error_response
from app.api.fields import Text, id_field
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.domain.terms import Role
from app.extensions import db, limiter, login_manager
from app.models import User
from app.services.accounts import (
    SessionPolicy,
    account_for_session,
    account_for_token,
    authenticate,
    change_own_password,
    end_session,
    issue_token_row,
    live_tokens,
    needs_touch,
    revoke_credentials,
    revoke_token,
    start_session,
    token_of,
    touch,
)
from app.services.notifications import unread_count as unread_notifications

log = logging.getLogger(__name__)

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign in, sign out, who am I, tokens")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_EXEMPT = frozenset({"auth.login", "auth.token"})  # no session exists yet to forge
SESSION_KEY = "sid"  # the session's secret in the signed cookie; the database holds its SHA-256
# What a user whose password was reset may still do until they choose a new one.
PASSWORD_CHANGE_ALLOWS = frozenset(
    {"auth.me", "auth.logout", "auth.change_password", "auth.login", "auth.token", "api_docs", "api_docs_asset",
     "api-docs.openapi_json"}
)  # fmt: skip


class Credentials(ma.Schema):
    username = Text(required=True, min_length=1, max_length=50)
    password = Text(required=True, min_length=1, max_length=200)
    remember = ma.fields.Boolean(
        load_default=False, metadata={"description": "Keep the cookie when the browser closes (until it expires)"}
    )


class TokenRequest(ma.Schema):
    username = Text(required=True, min_length=1, max_length=50)
    password = Text(required=True, min_length=1, max_length=200)
    label = Text(max_length=100, load_default="", metadata={"description": "The device or script it is for"})


class PasswordChange(ma.Schema):
    current_password = Text(required=True, min_length=1, max_length=200)
    new_password = Text(
        required=True,
        max_length=200,
        metadata={"description": "At least 10 characters, not containing the username, not a common password"},
    )


class AreaOut(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()


class UserOut(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String()
    area = ma.fields.Nested(AreaOut, allow_none=True)
    enterprise = ma.fields.Nested(
        ma.Schema.from_dict({"id": ma.fields.Integer(), "name": ma.fields.String()}), allow_none=True
    )
    must_change_password = ma.fields.Boolean(
        metadata={"description": "After an admin's reset: everything but /me, logout and /auth/password is 403"}
    )


class SessionOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    csrf_token = ma.fields.String(
        allow_none=True, metadata={"description": "Send as X-CSRF-Token on unsafe requests"}
    )
    unread_notifications = ma.fields.Integer(metadata={"description": "/me only: your unread notifications"})


class TokenOut(ma.Schema):
    token = ma.fields.String(metadata={"description": "Shown once: only its hash is stored"})
    id = ma.fields.Integer()
    expires_at = ma.fields.AwareDateTime()
    user = ma.fields.Nested(UserOut)


class TokenInfo(ma.Schema):
    id = ma.fields.Integer()
    label = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    expires_at = ma.fields.AwareDateTime()
    last_used_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "Recorded at most every few minutes, not on every request"}
    )
    current = ma.fields.Boolean(metadata={"description": "The token this request was made with"})


class TokenList(ma.Schema):
    tokens = ma.fields.List(ma.fields.Nested(TokenInfo))


class TokenQuery(ma.Schema):
    user_id = id_field(in_query=True, metadata={"description": "Admins only: another user's tokens"})


class Ended(ma.Schema):
    ended = ma.fields.Integer(metadata={"description": "How many were live and are now ended"})


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _username_key() -> str:
    """Attempts are counted per username as well as per address, so spreading them over addresses does not help.
    Case is folded: Wang and wang share one counter."""
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return "username:" + (username.strip().lower()[:50] if isinstance(username, str) else "")


def _account_key() -> str:
    return f"account:{getattr(current_user, 'id', None) or request.remote_addr}"


@dataclass(frozen=True)
class AreaRef:
    code: str
    name: str
    level: str
    path: str


@dataclass(frozen=True)
class EnterpriseRef:
    id: int
    name: str


@dataclass(frozen=True, eq=False)
class Principal(UserMixin):
    """The signed-in user as a request sees it (current_user): one row read per request, not an ORM object,
    with what actor_for and /me need, and the credential it came with (("token" | "session", id))."""

    id: int
    username: str
    display_name: str
    role: str
    enterprise_id: int | None
    area: AreaRef | None
    enterprise: EnterpriseRef | None
    must_change_password: bool = False
    credential: tuple[str, int] | None = None

    @classmethod
    def from_account(cls, row, kind: str | None = None) -> "Principal | None":
        if row is None:
            return None
        area = None if row.area_code is None else AreaRef(row.area_code, row.area_name, row.area_level, row.area_path)
        enterprise = None if row.enterprise_id is None else EnterpriseRef(row.enterprise_id, row.enterprise_name)
        credential = (kind, row.credential_id) if kind and "credential_id" in row._fields else None
        return cls(
            row.id,
            row.username,
            row.display_name,
            row.role,
            row.enterprise_id,
            area,
            enterprise,
            bool(row.must_change_password),
            credential,
        )


def _session_policy() -> SessionPolicy:
    config = current_app.config
    return SessionPolicy(
        idle=timedelta(hours=config["SESSION_IDLE_HOURS"]), max_age=timedelta(days=config["SESSION_MAX_DAYS"])
    )


@login_manager.request_loader
def _load_principal(req) -> Principal | None:
    """A bearer token when the request sends one (it wins over a cookie), else the cookie's session."""
    now = utcnow()
    header = req.headers.get("Authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        remembered = g.get("unverified_account")  # a create reads it again in its own statement (api.findings)
        kind, row = "token", remembered[1] if remembered else account_for_token(db.session, token.strip(), now=now)
    else:
        secret = session.get(SESSION_KEY)
        if not isinstance(secret, str):
            return None
        kind, row = "session", account_for_session(db.session, secret, now=now, policy=_session_policy())
        if row is None:
            session.clear()  # ended, expired or idle: the browser may as well forget it
    principal = Principal.from_account(row, kind)
    if principal is not None and needs_touch(row.seen_at, now):
        g.touch_credential = (kind, row.credential_id, now)
    g.bearer = kind == "token" and principal is not None
    return principal


@login_manager.unauthorized_handler
def _unauthorized():
    return error_response(401, "unauthorized", "Sign in, or send a valid bearer token.")


def init_app(app: Flask) -> None:
    """The request hooks of signing in: no Flask-Login session protection or remember cookie (the server-side
    session replaces both), CSRF for cookie sessions, the password-change gate, and the throttled touch."""
    login_manager.session_protection = None
    app.before_request(_forget_remember_cookie)
    app.before_request(check_csrf)
    app.before_request(_require_password_change)
    app.after_request(_record_use)


def _forget_remember_cookie():
    """A remember cookie from before server-side sessions proves nothing any more; Flask-Login deletes it when
    the session says "clear" (and would otherwise read it instead of asking our loader)."""
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"


def csrf_token() -> str:
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def check_csrf():
    """Cookie sessions must prove the request came from our page; bearer requests carry their proof."""
    if request.method in SAFE_METHODS or request.endpoint in CSRF_EXEMPT or not request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated or g.get("bearer"):
        return None
    sent = request.headers.get("X-CSRF-Token", "")
    if not hmac.compare_digest(sent, session.get("csrf_token", "")):
        return error_response(403, "csrf_failed", "Missing or wrong X-CSRF-Token header; read it from /api/v1/me.")
    return None


def _require_password_change():
    if not request.path.startswith("/api/") or request.endpoint in PASSWORD_CHANGE_ALLOWS:
        return None
    if not request.headers.get("Authorization") and SESSION_KEY not in session:
        return None  # nobody signed in: nothing to read
    if current_user.is_authenticated and current_user.must_change_password:
        return error_response(
            403,
            "password_change_required",
            "Your password was reset: choose a new one (POST /api/v1/auth/password) before anything else.",
        )
    return None


def _record_use(response):
    """Write last_used_at / last_seen_at when they are more than a few minutes old, in a transaction of its own
    after the answer is made (a read request commits nothing of its own; a write one has committed already)."""
    pending = g.pop("touch_credential", None)
    if pending is None:
        return response
    kind, credential_id, now = pending
    try:
        db.session.rollback()
        touch(db.session, kind, credential_id, now=now)
        db.session.commit()
    except Exception:
        log.warning("could not record the use of %s %s", kind, credential_id, exc_info=True)
        db.session.rollback()
    return response


def _refused():
    return error_response(401, "invalid_credentials", "Wrong username or password.")


@blp.route("/auth/login", methods=["POST"])
@limiter.shared_limit(_login_limit, scope="login-address")
@limiter.shared_limit(_login_limit, scope="login-username", key_func=_username_key)
@blp.arguments(Credentials)
@blp.response(200, SessionOut)
def login(credentials):
    """Start a cookie session (the PWA's way in). It ends at logout, after SESSION_IDLE_HOURS without a request,
    or SESSION_MAX_DAYS after it began, whichever comes first; `remember` keeps the cookie across browser
    restarts until then. Attempts are limited per client address and per username (429 with Retry-After)."""
    user = authenticate(db.session, credentials["username"], credentials["password"])
    if user is None:
        return _refused()
    secret = start_session(
        db.session,
        user,
        now=utcnow(),
        remember=credentials["remember"],
        policy=_session_policy(),
        user_agent=request.headers.get("User-Agent", ""),
    )
    db.session.commit()
    session.clear()
    session[SESSION_KEY] = secret
    session.permanent = credentials["remember"]  # the cookie's Expires: PERMANENT_SESSION_LIFETIME = the max age
    return {"user": user, "csrf_token": csrf_token()}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
def logout():
    """End what this request signed in with: the cookie session (for good: a copy of the cookie is refused), or
    the bearer token it sent."""
    credential = current_user.credential if current_user.is_authenticated else None
    if credential is not None:
        kind, credential_id = credential
        if kind == "token":
            revoke_token(db.session, credential_id, now=utcnow())
        else:
            end_session(db.session, credential_id, now=utcnow())
        db.session.commit()
    session.clear()
    session["_remember"] = "clear"  # Flask-Login deletes a remember cookie from before server-side sessions


@blp.route("/me")
@login_required
@blp.response(200, SessionOut)
def me():
    """Who is signed in, and the CSRF token for this session."""
    unread = unread_notifications(db.session, current_user.id)
    return {"user": current_user, "csrf_token": None if g.get("bearer") else csrf_token(),
            "unread_notifications": unread}  # fmt: skip


@blp.route("/auth/password", methods=["POST"])
@login_required
@limiter.limit(_login_limit, key_func=_account_key)
@blp.arguments(PasswordChange)
@blp.response(200, SessionOut)
def change_password(body):
    """Change your own password (required after an admin's reset). The new one must be at least 10 characters,
    not contain the username and not be a common password (422 `fields.new_password`). Every other session and
    token of yours ends; the one you sent this with goes on working."""
    user = db.session.get(User, current_user.id)
    kind, credential_id = current_user.credential or (None, None)
    change_own_password(
        db.session,
        user,
        current_password=body["current_password"],
        new_password=body["new_password"],
        now=utcnow(),
        hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        keep_token=credential_id if kind == "token" else None,
        keep_session=credential_id if kind == "session" else None,
    )
    db.session.commit()
    return {"user": user, "csrf_token": None if g.get("bearer") else csrf_token()}



@blp.route("/auth/token", methods=["POST"])
@limiter.shared_limit(_login_limit, scope="login-address")
@limiter.shared_limit(_login_limit, scope="login-username", key_func=_username_key)
@blp.arguments(TokenRequest)
@blp.response(201, TokenOut)
def token(credentials):
    """Issue a bearer token for scripts, integrations and the PWA. It expires after TOKEN_DAYS (default 90);
    `POST /auth/logout` with it, or `DELETE /auth/tokens/{id}`, ends it sooner. Throttled like /auth/login,
    with which it shares its counters."""
    user = authenticate(db.session, credentials["username"], credentials["password"])
    if user is None:
        return _refused()
    issued, row = issue_token_row(
        db.session, user, now=utcnow(), days=current_app.config["TOKEN_DAYS"], label=credentials["label"]
    )
    db.session.commit()
    return {"token": issued, "id": row.id, "expires_at": row.expires_at, "user": user}


def _is_admin() -> bool:
    return current_user.role == Role.ADMIN.value


def _forbidden():
    return error_response(403, "forbidden", "Only an admin may manage another user's tokens and sessions.")


@blp.route("/auth/tokens")
@login_required
@blp.arguments(TokenQuery, location="query")
@blp.response(200, TokenList)
def list_tokens(query):
    """Your live bearer tokens (not the tokens themselves: only their hashes are kept). An admin may ask for
    another user's with `user_id`."""
    user_id = query.get("user_id", current_user.id)
    if user_id != current_user.id and not _is_admin():
        return _forbidden()
    current = current_user.credential[1] if current_user.credential and g.get("bearer") else None
    rows = live_tokens(db.session, user_id, now=utcnow())
    return {"tokens": [_token_info(row, current) for row in rows]}


def _token_info(row, current: int | None) -> dict:
    return {
        "id": row.id,
        "label": row.label,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "last_used_at": row.last_used_at,
        "current": row.id == current,
    }


@blp.route("/auth/tokens/<int:token_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def revoke_one_token(token_id):
    """End one of your tokens (an admin: anyone's). Its next request is 401. Someone else's token is 404."""
    row = token_of(db.session, token_id)
    if row is None or (row.user_id != current_user.id and not _is_admin()):
        return error_response(404, "not_found", "No such token.")
    revoke_token(db.session, token_id, now=utcnow())
    db.session.commit()


@blp.route("/users/<int:user_id>/tokens", methods=["DELETE"])
@login_required
@blp.response(200, Ended)
def revoke_user_tokens(user_id):
    """Admins: end every bearer token of a user (a lost phone, a leaked script) without deactivating them."""
    return _end_for_user(user_id, tokens=True, sessions=False)


@blp.route("/users/<int:user_id>/sessions", methods=["DELETE"])
@login_required
@blp.response(200, Ended)
def revoke_user_sessions(user_id):
    """Admins: end every browser session of a user: each browser must sign in again."""
    return _end_for_user(user_id, tokens=False, sessions=True)


def _end_for_user(user_id: int, *, tokens: bool, sessions: bool):
    if not _is_admin():
        return _forbidden()
    if db.session.get(User, user_id) is None:
        return error_response(404, "not_found", "No such user.")
    ended = revoke_credentials(db.session, user_id, now=utcnow(), tokens=tokens, sessions=sessions)
    db.session.commit()
    return {"ended": ended}
