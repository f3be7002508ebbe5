"""Users, passwords, browser sessions and bearer tokens: how an account signs in, and how it is signed out.

A signed-in browser holds a random secret in its (signed) session cookie and a bearer client holds a token; the
database keeps only their SHA-256, so a copy of the database signs nobody in. Every request reads its account
with ONE prebuilt statement (run on the DB-API cursor: services.prepared) that also decides whether the
credential still counts: not revoked, not expired, not idle too long, its user active. Nothing is cached, so a
logout, a revocation or a deactivation ends access at the very next request, on every worker and host.

One exception keeps that promise: the create may let a bearer token in with the account row read for it in the
last minute (remembered_account, services.account_memory), because the create's own statement reads the account
again and writes nothing unless it is still exactly that row (services.create_pg, services.create_sqlite);
whatever else such a request answers is checked against a fresh read first (same_account). A revoked token, a
deactivated user or a changed account is refused by the very next create as by any request. What it costs is
memory: at most account_memory.MOST rows per worker.

The one thing kept loose is when a credential was last seen: `last_seen_at` / `last_used_at` are written at most
once per TOUCH_INTERVAL per credential (not a write per request), so they may lag by that much and an idle
timeout may end up to that much later than its nominal time.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.domain.calendar import utcnow
from app.domain.errors import RuleViolation
from app.domain.passwords import password_problem
from app.domain.terms import PERSON_ROLES, Role
from app.models import ApiToken, Area, Enterprise, User, UserSession
from app.services import account_memory
from app.services.prepared import Prepared, fetch_one

# Spend the same time on an unknown username as on a wrong password, so timing does not tell which.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")

TOKEN_DAYS = 90
SESSION_IDLE = timedelta(hours=12)
SESSION_MAX = timedelta(days=30)
TOUCH_INTERVAL = timedelta(minutes=5)  # how stale last_seen_at / last_used_at may get


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = SESSION_IDLE
    max_age: timedelta = SESSION_MAX


def hash_password(password: str, method: str = "scrypt") -> str:
    return generate_password_hash(password, method=method)


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    if user.role == Role.SYSTEM.value:  # its hash matches nothing; this says so twice
        return None
    return user


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


token_digest = digest  # the name the rest of the code base knew


# --- bearer tokens -------------------------------------------------------------------------------------------


def issue_token(
    session: Session, user: User, *, now: datetime, days: int = TOKEN_DAYS, label: str = ""
) -> str:
    """A new bearer token; only its digest is stored, so this is the one time it can be read."""
    return issue_token_row(session, user, now=now, days=days, label=label)[0]


def issue_token_row(
    session: Session, user: User, *, now: datetime, days: int = TOKEN_DAYS, label: str = ""
) -> tuple[str, ApiToken]:
    token = "clt_" + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id, token_hash=digest(token), created_at=now, expires_at=now + timedelta(days=days), label=label
    )
    session.add(row)
    session.flush()
    return token, row


def live_tokens(session: Session, user_id: int, *, now: datetime) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def revoke_token(session: Session, token_id: int, *, now: datetime) -> bool:
    """End one token; False when it had already ended (or never existed)."""
    done = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount > 0


def revoke_credentials(
    session: Session,
    user_id: int,
    *,
    now: datetime,
    tokens: bool = True,
    sessions: bool = True,
    keep_token: int | None = None,
    keep_session: int | None = None,
) -> int:
    """End the user's live tokens and/or browser sessions at once (the next request of each is 401), except the
    one the caller names to keep (its own, after a password change). Returns how many were ended. Deactivating
    a user (active = false) ends everything anyway; this is for keeping the account and ending its access."""
    ended = 0
    for model, wanted, keep in ((ApiToken, tokens, keep_token), (UserSession, sessions, keep_session)):
        if not wanted:
            continue
        statement = update(model).where(model.user_id == user_id, model.revoked_at.is_(None))
        if keep is not None:
            statement = statement.where(model.id != keep)
        done = session.execute(statement.values(revoked_at=now).execution_options(synchronize_session=False))
        ended += done.rowcount
    return ended


# --- browser sessions ----------------------------------------------------------------------------------------


def start_session(
    session: Session,
    user: User,
    *,
    now: datetime,
    remember: bool,
    policy: SessionPolicy = SessionPolicy(),
    user_agent: str = "",
) -> str:
    """A new server-side session; returns the secret for the cookie (only its digest is stored)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            secret_hash=digest(secret),
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.max_age,
            remember=remember,
            user_agent=user_agent[:200],
        )
    )
    session.flush()
    return secret


def end_session(session: Session, session_id: int, *, now: datetime) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


# --- the per-request read ------------------------------------------------------------------------------------

# Every request reads its signed-in user, so the statements are built once and run on the session's
# connection (the ORM's execution layer would double their cost for rows it adds nothing to): the user
# with the names of its home area and enterprise, only while the account is active, and only while the
# credential it came with still counts.
_ACCOUNT = (
    select(
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.enterprise_id,
        User.must_change_password,
        Area.code.label("area_code"),
        Area.name.label("area_name"),
        Area.level.label("area_level"),
        Area.path.label("area_path"),
        Enterprise.name.label("enterprise_name"),
    )
    .outerjoin(Area, Area.id == User.area_id)
    .outerjoin(Enterprise, Enterprise.id == User.enterprise_id)
    .where(User.active)
)
_ACCOUNT_BY_TOKEN = (
    _ACCOUNT.add_columns(ApiToken.id.label("credential_id"), ApiToken.last_used_at.label("seen_at"))
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > bindparam("now"),
    )
)
_ACCOUNT_BY_SESSION = (
    _ACCOUNT.add_columns(UserSession.id.label("credential_id"), UserSession.last_seen_at.label("seen_at"))
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        UserSession.secret_hash == bindparam("digest"),
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > bindparam("now"),
        UserSession.last_seen_at > bindparam("idle_since"),
    )
)
_ACCOUNT_BY_ID = _ACCOUNT.where(User.id == bindparam("user_id"))
_TOUCH_TOKEN = (
    update(ApiToken)
    .where(ApiToken.id == bindparam("credential_id"))
    .values(last_used_at=bindparam("now"))
)
_TOUCH_SESSION = (
    update(UserSession)
    .where(UserSession.id == bindparam("credential_id"))
    .values(last_seen_at=bindparam("now"))
)


# Run on the DB-API cursor (services.prepared): the read every request makes, without SQLAlchemy's execution
# layer, which cost more than the statement. The rows are named tuples of the same columns, converted alike.
ACCOUNT_BY_TOKEN, ACCOUNT_BY_SESSION = Prepared(_ACCOUNT_BY_TOKEN), Prepared(_ACCOUNT_BY_SESSION)


def _account_still():
    """1 when the token of :digest still lets in exactly the account :a0, :a1... (every column of
    _ACCOUNT_BY_TOKEN but seen_at), else 0: a column a statement of the create's can carry
    (services.create_sqlite), so a remembered account is read again at no cost of its own."""
    account = _ACCOUNT_BY_TOKEN.subquery("account")
    columns = list(_ACCOUNT_BY_TOKEN.selected_columns)[:-1]
    same = [account.c[c.key].is_not_distinct_from(bindparam(f"a{i}", type_=c.type)) for i, c in enumerate(columns)]
    return select(func.count()).select_from(account).where(*same).scalar_subquery()


ACCOUNT_STILL = _account_still()


def account_still_params(unverified: tuple) -> dict:
    """ACCOUNT_STILL's parameters for a remembered account (remembered_account's pair) but :now, which the
    statement carrying it has already."""
    key, account = unverified
    return {"digest": key, **{f"a{i}": value for i, value in enumerate(tuple(account)[:-1])}}


def account_for_token(session: Session, token: str, *, now: datetime | None = None):
    """The active account a live bearer token belongs to, as one row (see _ACCOUNT, plus credential_id and
    seen_at), or None for an unknown, revoked or expired token or a deactivated user."""
    now = now or utcnow()
    key = digest(token)
    row = fetch_one(session, ACCOUNT_BY_TOKEN, {"digest": key, "now": now})
    account_memory.remember(key, row._replace(seen_at=now) if row and needs_touch(row.seen_at, now) else row)
    return row


def remembered_account(token: str) -> tuple[str, tuple] | None:
    """(the token's digest, the account row read for it lately), for a caller whose own statement checks the
    account again before it writes (the create on PostgreSQL); None when there is none."""
    key = digest(token)
    row = account_memory.recall(key)
    return None if row is None else (key, row)


def same_account(session: Session, key: str, row, *, now: datetime) -> bool:
    """Whether the token of digest `key` still lets in exactly the account `row` (a fresh read); forgets the
    remembered row when not."""
    fresh = fetch_one(session, ACCOUNT_BY_TOKEN, {"digest": key, "now": now})
    return account_memory.still(key, row, fresh)


def account_for_session(session: Session, secret: str, *, now: datetime, policy: SessionPolicy = SessionPolicy()):
    """The active account of a live browser session, as one row (like account_for_token), or None for a session
    that was ended, has passed its absolute limit, or has been idle longer than the policy allows."""
    params = {"digest": digest(secret), "now": now, "idle_since": now - policy.idle}
    return fetch_one(session, ACCOUNT_BY_SESSION, params)


def account_by_id(session: Session, user_id: int):
    """The active account with this id, as one row (see _ACCOUNT), or None."""
    return session.connection().execute(_ACCOUNT_BY_ID, {"user_id": user_id}).first()


def needs_touch(seen_at: datetime | None, now: datetime) -> bool:
    return seen_at is None or now - seen_at >= TOUCH_INTERVAL


def touch(session: Session, kind: str, credential_id: int, *, now: datetime) -> None:
    """Record that a token was used / a session was seen (the caller commits)."""
    statement = _TOUCH_TOKEN if kind == "token" else _TOUCH_SESSION
    session.connection().execute(statement, {"credential_id": credential_id, "now": now})


# --- passwords -----------------------------------------------------------------------------------------------


def change_own_password(
    session: Session,
    user: User,
    *,
    current_password: str,
    new_password: str,
    now: datetime,
    hash_method: str,
    keep_token: int | None = None,
    keep_session: int | None = None,
) -> int:
    """The user's own password change: the current one proves who they are, the new one must pass the rule.
    Every other session and token of the user ends (a thief who knew the old password is out); the one the
    change was made with is kept. Returns how many credentials were ended."""
    if not check_password_hash(user.password_hash, current_password):
        raise RuleViolation("The current password is wrong.", {"current_password": "Wrong password."})
    problem = password_problem(new_password, user.username)
    if problem is None and new_password == current_password:
        problem = "Choose a password different from the current one."
    if problem:
        raise RuleViolation("The new password will not do.", {"new_password": problem})
    set_password(session, user, new_password, now=now, hash_method=hash_method)
    return revoke_credentials(session, user.id, now=now, keep_token=keep_token, keep_session=keep_session)


def set_password(session: Session, user: User, password: str, *, now: datetime, hash_method: str) -> None:
    """Store a password that has passed the rule; the user no longer has to change it."""
    user.password_hash = hash_password(password, hash_method)
    user.must_change_password = False
    user.password_changed_at = now
    session.flush()


# --- users ---------------------------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    now: datetime,
    area_code: str | None = None,
    credit_code: str | None = None,
    display_name: str = "",
    hash_method: str = "scrypt",
    password_hash: str | None = None,
) -> User:
    """A new user. `password` must pass the rule (app.domain.passwords); `password_hash`, when given, is its
    hash made beforehand (the demo seed hashes one random password once for the staff who never sign in)."""
    problems = {}
    if role not in {r.value for r in PERSON_ROLES}:
        problems["role"] = f"One of {', '.join(r.value for r in PERSON_ROLES)}."
    area = session.scalars(select(Area).where(Area.code == area_code)).first() if area_code else None
    if area_code and area is None:
        problems["area"] = f"No area with code {area_code}."
    if role != Role.ADMIN and area is None and "area" not in problems:
        problems["area"] = "Every user except an admin has a home area."
    enterprise = None
    if role == Role.ENTERPRISE_OFFICER:
        enterprise = session.scalars(select(Enterprise).where(Enterprise.credit_code == credit_code)).first()
        if enterprise is None:
            problems["enterprise"] = "An enterprise officer belongs to one enterprise: give its credit code."
    weak = password_problem(password, username)
    if weak:
        problems["password"] = weak
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        problems["username"] = "Taken."
    if problems:
        raise RuleViolation("The user cannot be created.", problems)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=password_hash or hash_password(password, hash_method),
        area_id=area.id if area else None,
        enterprise_id=enterprise.id if enterprise else None,
        active=True,
        created_at=now,
        must_change_password=False,
        password_changed_at=now,
    )
    session.add(user)
    session.flush()
    return user
