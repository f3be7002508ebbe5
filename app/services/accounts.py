"""Users, passwords and bearer tokens."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.domain.errors import RuleViolation
from app.domain.terms import Role
from app.models import ApiToken, Area, Enterprise, User

# Spend the same time on an unknown username as on a wrong password, so timing does not tell which.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


def hash_password(password: str, method: str = "scrypt") -> str:
    return generate_password_hash(password, method=method)


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, *, now: datetime) -> str:
    """A new bearer token; only its digest is stored, so this is the one time it can be read."""
    token = "clt_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), created_at=now))
    session.flush()
    return token


# Every request reads its signed-in user, so the statements are built once and run on the session's
# connection (the ORM's execution layer would double their cost for rows it adds nothing to): the user
# with the names of its home area and enterprise, only while the account is active.
_ACCOUNT = (
    select(
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.enterprise_id,
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
_ACCOUNT_BY_TOKEN = _ACCOUNT.join(ApiToken, ApiToken.user_id == User.id).where(
    ApiToken.token_hash == bindparam("digest")
)
_ACCOUNT_BY_ID = _ACCOUNT.where(User.id == bindparam("user_id"))


def account_for_token(session: Session, token: str):
    """The active account a bearer token belongs to, as one row (see _ACCOUNT), or None."""
    return session.connection().execute(_ACCOUNT_BY_TOKEN, {"digest": token_digest(token)}).first()


def account_by_id(session: Session, user_id: int):
    """The active account with this id, as one row (see _ACCOUNT), or None."""
    return session.connection().execute(_ACCOUNT_BY_ID, {"user_id": user_id}).first()


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
) -> User:
    problems = {}
    if role not in {r.value for r in Role}:
        problems["role"] = f"One of {', '.join(r.value for r in Role)}."
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
    if len(password) < 8:
        problems["password"] = "At least 8 characters."
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        problems["username"] = "Taken."
    if problems:
        raise RuleViolation("The user cannot be created.", problems)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=hash_password(password, hash_method),
        area_id=area.id if area else None,
        enterprise_id=enterprise.id if enterprise else None,
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user
