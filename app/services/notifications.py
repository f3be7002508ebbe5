"""Notifications: written once per (notice, recipient), their email and webhook deliveries queued in the same
transaction (so a process that dies after the commit loses nothing), and the in-app inbox: a person's own
notifications, newest first, marked read. Flushes, never commits."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import Delivery, Notification, User
from app.read import cursors
from app.services.bulk import among, insert_rows

CHANNELS = ("email", "webhook")  # besides in-app, which every notification is
INBOX_CURSOR = ("inbox", ("moment", "int"))  # (created_at, id), newest first
KEY = ["finding_id", "rule", "due_at", "recipient_id"]  # uq_notifications_key
RETURNED = ("id", "recipient_id", "finding_id", "rule", "due_at")


def write_notifications(session: Session, rows: list[dict], now: datetime) -> int:
    """INSERT ... ON CONFLICT DO NOTHING on the notification's key, and a queued delivery for each channel the
    recipient chose; returns how many notifications are new. A second run, a second host, or the same event
    replayed writes nothing twice, and queues nothing twice."""
    if not rows:
        return 0
    session.flush()  # the statements below are Core ones, which do not autoflush: the findings they name first
    written = insert_rows(session, Notification.__table__, rows, on_conflict=KEY, returning=RETURNED)
    _queue_deliveries(session, written, now)
    session.flush()
    return len(written)


def _queue_deliveries(session: Session, written: list[tuple], now: datetime) -> None:
    """Email goes to each recipient who chose it. A group robot posts into one group, so a notice goes there once,
    however many of its recipients chose the robot: queued on the first of them, naming them all when sent
    (app/jobs/deliver.py)."""
    recipients = {row[1] for row in written}
    chosen = {}
    for these in among(session, User.id, sorted(recipients)):
        query = select(User.id, User.channels, User.email).where(these)
        for user_id, channels, email in session.execute(query):
            chosen[user_id] = [c for c in CHANNELS if c in (channels or []) and (c != "email" or email)]
    robot_told = set()
    deliveries = []
    for notification_id, recipient, finding_id, rule, due_at in sorted(written):
        for channel in chosen.get(recipient, ()):
            if channel == "webhook":
                if (finding_id, rule, due_at) in robot_told:
                    continue
                robot_told.add((finding_id, rule, due_at))
            deliveries.append({"notification_id": notification_id, "channel": channel, "status": "queued",
                               "attempts": 0, "next_attempt_at": now, "created_at": now})  # fmt: skip
    insert_rows(session, Delivery.__table__, deliveries)


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
        at, row_id = cursors.decode(*INBOX_CURSOR, cursor)
        query = query.where(
            or_(Notification.created_at < at, and_(Notification.created_at == at, Notification.id < row_id))
        )
    rows = list(session.scalars(query))
    page = rows[:limit]
    more = len(rows) > limit
    return page, (cursors.encode(*INBOX_CURSOR, (page[-1].created_at, page[-1].id)) if more else None)


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
