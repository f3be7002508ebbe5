"""The administrative audit: every change an admin (or an operator's command) makes is one AdminChange row,
written in the same transaction as the change, saying who, when, what entity and key, and before → after."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.models import AdminChange, User
from app.read import cursors

ENTITIES = ("user", "area", "enterprise", "category", "criterion", "token", "holidays")
_INSERT = insert(AdminChange.__table__)


def actor_id(actor: Actor | None) -> int | None:
    return actor.id if actor is not None else None


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only what differs, on both sides: the audit says what moved, not the whole record again."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    session: Session,
    actor: Actor | None,
    entity: str,
    key: str,
    action: str,
    before: dict | None,
    after: dict | None,
    *,
    now: datetime,
) -> None:
    record_many(session, actor, entity, action, [(key, before, after)], now=now)


def record_many(
    session: Session,
    actor: Actor | None,
    entity: str,
    action: str,
    changes: Iterable[tuple[str, dict | None, dict | None]],
    *,
    now: datetime,
) -> int:
    """One row per (key, before, after), in one executemany; returns how many were written."""
    rows = [
        {"actor_id": actor_id(actor), "at": now, "entity": entity, "entity_key": str(key)[:64], "action": action,
         "before": before, "after": after}
        for key, before, after in changes
    ]  # fmt: skip
    if rows:
        session.connection().execute(_INSERT, rows)
    return len(rows)


AUDIT_CURSOR = ("audit", ("moment", "int"))  # (at, id), newest first


def encode_cursor(at: datetime, row_id: int) -> str:
    return cursors.encode(*AUDIT_CURSOR, (at, row_id))


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    at, row_id = cursors.decode(*AUDIT_CURSOR, cursor)
    return at, row_id


def changes(
    session: Session,
    *,
    entity: str | None = None,
    actor: str | None = None,
    key: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[dict], str | None]:
    """Newest first, by keyset on (at, id); `actor` is a username, or "-" for the operators' command line."""
    query = (
        select(AdminChange, User.username, User.display_name)
        .outerjoin(User, User.id == AdminChange.actor_id)
        .order_by(AdminChange.at.desc(), AdminChange.id.desc())
        .limit(limit + 1)
    )
    if entity:
        query = query.where(AdminChange.entity == entity)
    if key:
        query = query.where(AdminChange.entity_key == key)
    if actor == "-":
        query = query.where(AdminChange.actor_id.is_(None))
    elif actor:
        query = query.where(User.username == actor)
    if cursor:
        at, row_id = decode_cursor(cursor)
        query = query.where(or_(AdminChange.at < at, and_(AdminChange.at == at, AdminChange.id < row_id)))
    rows = session.execute(query).all()
    page = rows[:limit]
    items = [
        {
            "id": change.id,
            "at": change.at,
            "actor": None if change.actor_id is None else {"id": change.actor_id, "username": name,
                                                           "display_name": display},
            "entity": change.entity,
            "key": change.entity_key,
            "action": change.action,
            "before": change.before,
            "after": change.after,
        }
        for change, name, display in page
    ]  # fmt: skip
    more = len(rows) > limit
    return items, (encode_cursor(page[-1][0].at, page[-1][0].id) if more else None)
