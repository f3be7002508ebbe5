"""The in-app inbox: a person's own notifications, newest first, and marking them read. Flushes, never commits."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import Notification
from app.services.admin.audit import decode_cursor, encode_cursor  # the same (moment, id) keyset cursor


def inbox(
    session: Session, recipient_id: int, *, unread: bool = False, cursor: str | None = None, limit: int = 50
) -> tuple[list[Notification], str | None]:
    """Newest first, keyset paged on (created_at, id) by the inbox index; only the recipient's own."""
    query = (
        select(Notification)
        .where(Notification.recipient_id == recipient_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit + 1)
    )
    if unread:
        query = query.where(Notification.read_at.is_(None))
    if cursor:
        at, row_id = decode_cursor(cursor)
        query = query.where(
            or_(Notification.created_at < at, and_(Notification.created_at == at, Notification.id < row_id))
        )
    rows = list(session.scalars(query))
    page = rows[:limit]
    more = len(rows) > limit
    return page, (encode_cursor(page[-1].created_at, page[-1].id) if more else None)


def unread_count(session: Session, recipient_id: int) -> int:
    query = select(func.count()).where(Notification.recipient_id == recipient_id, Notification.read_at.is_(None))
    return session.scalar(query)


def mark_read(session: Session, recipient_id: int, *, now: datetime, ids: Iterable[int] | None = None) -> int:
    """Mark the recipient's unread notifications read (those of `ids`, or all of them); returns how many changed.
    Ids of someone else's notifications change nothing: the inbox does not say whose they are."""
    statement = (
        update(Notification)
        .where(Notification.recipient_id == recipient_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    changed = session.execute(statement).rowcount
    session.flush()
    return changed
