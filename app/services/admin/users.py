"""Accounts, as an admin keeps them: listed, created, edited (role, home area, enterprise, name), passwords
reset (the user must choose a new one at the next sign-in), deactivated (every session and token of theirs ends
at once, in the same transaction)."""

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from app.domain.accounts import account_problems, username_problem
from app.domain.actors import Actor
from app.domain.errors import NotFound, RuleViolation
from app.domain.passwords import password_problem
from app.domain.terms import PERSON_ROLES, Role
from app.models import Area, Enterprise, User
from app.services.accounts import create_user, hash_password, revoke_credentials
from app.services.admin.audit import changed, record

ROLES = tuple(r.value for r in PERSON_ROLES)


def snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "area": user.area.code if user.area else None,
        "enterprise": user.enterprise.credit_code if user.enterprise else None,
        "active": user.active,
    }


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, options=[joinedload(User.enterprise)])
    if user is None or user.role == Role.SYSTEM.value:
        raise NotFound("No such user.")
    return user


def list_users(
    session: Session,
    *,
    role: str | None = None,
    area: str | None = None,
    enterprise_id: int | None = None,
    active: bool | None = None,
    q: str | None = None,
    after_id: int | None = None,
    limit: int = 50,
) -> tuple[list[User], int | None]:
    """By id (keyset on it); `area` is a subtree: the users whose home area lies in it."""
    query = (
        select(User)
        .options(joinedload(User.enterprise))
        .where(User.role != Role.SYSTEM.value)  # the jobs' actor is nobody's to edit
        .order_by(User.id)
        .limit(limit + 1)
    )
    if role:
        query = query.where(User.role == role)
    if area:
        root = session.scalar(select(Area.path).where(Area.code == area))
        inside = select(Area.id).where(Area.path.startswith(root or "\x00", autoescape=True))
        query = query.where(User.area_id.in_(inside))
    if enterprise_id is not None:
        query = query.where(User.enterprise_id == enterprise_id)
    if active is not None:
        query = query.where(User.active.is_(active))
    if q:
        query = query.where(or_(User.username.icontains(q.strip(), autoescape=True),
                                User.display_name.icontains(q.strip(), autoescape=True)))  # fmt: skip
    if after_id:
        query = query.where(User.id > after_id)
    users = list(session.scalars(query).unique())
    return users[:limit], (users[limit - 1].id if len(users) > limit else None)


def _home_area(session: Session, code: str | None, problems: dict) -> Area | None:
    if not code:
        return None
    area = session.scalars(select(Area).where(Area.code == code)).first()
    if area is None:
        problems["area"] = f"No area with code {code}."
    elif not area.active:
        problems["area"] = "This area is deactivated."
    return area


def _enterprise(session: Session, enterprise_id: int | None, problems: dict) -> Enterprise | None:
    if enterprise_id is None:
        return None
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        problems["enterprise_id"] = "No enterprise with this id."
    elif not enterprise.active:
        problems["enterprise_id"] = "This enterprise is deactivated."
    return enterprise


def create_account(
    session: Session, actor: Actor | None, data: dict, *, now: datetime, hash_method: str = "scrypt"
) -> User:
    """data: username, password, role, area (code), enterprise_id, display_name, must_change_password (default
    true: the password an admin chose is for the first sign-in only)."""
    username, role, password = data.get("username") or "", data.get("role"), data.get("password") or ""
    problems = {}
    if (problem := username_problem(username)) is not None:
        problems["username"] = problem
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        problems["username"] = "Taken."
    if role not in ROLES:
        problems["role"] = f"One of {', '.join(ROLES)}."
    area = _home_area(session, data.get("area"), problems)
    enterprise = _enterprise(session, data.get("enterprise_id"), problems)
    if enterprise is not None and area is None and "area" not in problems:
        area = enterprise.area  # an officer's home is their enterprise's area unless said otherwise
    if role in ROLES:
        for key, message in account_problems(role, has_area=area is not None,
                                              has_enterprise=enterprise is not None).items():  # fmt: skip
            problems.setdefault(key, message)
    if (problem := password_problem(password, username)) is not None:
        problems["password"] = problem
    if problems:
        raise RuleViolation("The user cannot be created.", problems)
    user = create_user(
        session,
        username=username,
        password=password,
        role=role,
        now=now,
        area_code=area.code if area else None,
        credit_code=enterprise.credit_code if enterprise else None,
        display_name=(data.get("display_name") or "").strip(),
        hash_method=hash_method,
    )
    user.must_change_password = data.get("must_change_password", True)
    user.password_changed_at = now
    session.flush()
    record(session, actor, "user", user.username, "create", None, snapshot(user), now=now)
    return user


def update_account(
    session: Session, actor: Actor | None, user_id: int, data: dict, *, now: datetime, hash_method: str = "scrypt"
) -> User:
    """data: any of active, role, area (code or null), enterprise_id (or null), password, display_name."""
    user = get_user(session, user_id)
    before, problems = snapshot(user), {}
    role = data.get("role", user.role)
    if role not in ROLES:
        problems["role"] = f"One of {', '.join(ROLES)}."
    if actor is not None and actor.id == user.id:
        if data.get("active") is False:
            problems["active"] = "You cannot deactivate your own account."
        if role != user.role:
            problems["role"] = "You cannot change your own role."
    area = _home_area(session, data["area"], problems) if "area" in data else user.area
    if "enterprise_id" in data:
        enterprise = _enterprise(session, data["enterprise_id"], problems)
    else:  # an officer who becomes something else leaves the enterprise
        enterprise = user.enterprise if role == Role.ENTERPRISE_OFFICER.value else None
    if role in ROLES:
        for key, message in account_problems(role, has_area=area is not None,
                                              has_enterprise=enterprise is not None).items():  # fmt: skip
            problems.setdefault(key, message)
    if "password" in data and (problem := password_problem(data["password"] or "", user.username)) is not None:
        problems["password"] = problem
    if problems:
        raise RuleViolation("The user cannot be changed.", problems)
    user.role = role
    user.area, user.area_id = area, area.id if area else None
    user.enterprise, user.enterprise_id = enterprise, enterprise.id if enterprise else None
    if "display_name" in data:
        user.display_name = (data["display_name"] or "").strip() or user.username
    ended = None
    if "active" in data and data["active"] != user.active:
        user.active = data["active"]
        if not user.active:
            ended = end_access(session, user.id, now)
    session.flush()
    old, new = changed(before, snapshot(user))
    if new:
        action = "update" if "active" not in new else ("deactivate" if not user.active else "activate")
        record(session, actor, "user", user.username, action, old, {**new, **(ended or {})}, now=now)
    if "password" in data:
        _reset_password(session, actor, user, data["password"], now=now, hash_method=hash_method)
    return user


def _reset_password(session, actor, user: User, password: str, *, now: datetime, hash_method: str) -> None:
    """A password an admin set is for the next sign-in only; the sessions and tokens made with the old one end
    (the usual reason for a reset is a password someone else may know)."""
    user.password_hash = hash_password(password, hash_method)
    user.must_change_password = True
    user.password_changed_at = now
    ended = end_access(session, user.id, now)
    session.flush()
    record(session, actor, "user", user.username, "reset_password", None,
           {"must_change_password": True, **ended}, now=now)  # fmt: skip


def end_access(session: Session, user_id: int, now: datetime) -> dict:
    """Revoke every live session and bearer token of the user; says how many of each ended."""
    return {
        "sessions_ended": revoke_credentials(session, user_id, now=now, tokens=False),
        "tokens_revoked": revoke_credentials(session, user_id, now=now, sessions=False),
    }
