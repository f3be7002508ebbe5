"""Sessions for the PWA (cookie + CSRF), bearer tokens for scripts."""

import hmac
import secrets
from dataclasses import dataclass

import marshmallow as ma
from flask import current_app, g, request, session
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from app.api.errors import error_response
from app.api.fields import Text
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.extensions import db, limiter, login_manager
from app.services.accounts import account_by_id, account_for_token, authenticate, issue_token

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign in, sign out, who am I")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_EXEMPT = frozenset({"auth.login", "auth.token"})  # no session exists yet to forge


class Credentials(ma.Schema):
    username = Text(required=True, min_length=1, max_length=50)
    password = Text(required=True, min_length=1, max_length=200)
    remember = ma.fields.Boolean(load_default=False)


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


class SessionOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    csrf_token = ma.fields.String(metadata={"description": "Send as X-CSRF-Token on unsafe requests"})


class TokenOut(ma.Schema):
    token = ma.fields.String(metadata={"description": "Shown once: only its hash is stored"})
    user = ma.fields.Nested(UserOut)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


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
    with what actor_for and /me need. A deactivated account is not found, so its sessions and tokens end."""

    id: int
    username: str
    display_name: str
    role: str
    enterprise_id: int | None
    area: AreaRef | None
    enterprise: EnterpriseRef | None

    @classmethod
    def from_account(cls, row) -> "Principal | None":
        if row is None:
            return None
        area = None if row.area_code is None else AreaRef(row.area_code, row.area_name, row.area_level, row.area_path)
        enterprise = None if row.enterprise_id is None else EnterpriseRef(row.enterprise_id, row.enterprise_name)
        return cls(row.id, row.username, row.display_name, row.role, row.enterprise_id, area, enterprise)


@login_manager.user_loader
def _load_session_user(user_id: str) -> Principal | None:
    if request.headers.get("Authorization"):
        return None  # an explicit bearer token wins over a cookie
    return Principal.from_account(account_by_id(db.session, int(user_id)))


@login_manager.request_loader
def _load_bearer_user(req) -> Principal | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    principal = Principal.from_account(account_for_token(db.session, token.strip()))
    g.bearer = principal is not None
    return principal


@login_manager.unauthorized_handler
def _unauthorized():
    return error_response(401, "unauthorized", "Sign in, or send a valid bearer token.")


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


@blp.route("/auth/login", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(Credentials)
@blp.response(200, SessionOut)
def login(credentials):
    """Start a cookie session (the PWA's way in)."""
    user = authenticate(db.session, credentials["username"], credentials["password"])
    if user is None:
        return error_response(401, "invalid_credentials", "Wrong username or password.")
    session.clear()
    login_user(user, remember=credentials["remember"])
    return {"user": user, "csrf_token": csrf_token()}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
def logout():
    """End the cookie session."""
    logout_user()
    session.clear()


@blp.route("/me")
@login_required
@blp.response(200, SessionOut)
def me():
    """Who is signed in, and the CSRF token for this session."""
    return {"user": current_user, "csrf_token": None if g.get("bearer") else csrf_token()}


@blp.route("/auth/token", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(Credentials)
@blp.response(201, TokenOut)
def token(credentials):
    """Issue a bearer token for scripts and integrations."""
    user = authenticate(db.session, credentials["username"], credentials["password"])
    if user is None:
        return error_response(401, "invalid_credentials", "Wrong username or password.")
    issued = issue_token(db.session, user, now=utcnow())
    db.session.commit()
    return {"token": issued, "user": user}
