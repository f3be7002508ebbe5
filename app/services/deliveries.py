"""Channels besides in-app: each person's choice (an email address, the channels they want), and the delivery queue
as admins see it (newest first, by status) with a retry for a failed one. Flushes, never commits."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import InvalidTransition, NotFound, RuleViolation
from app.models import Delivery, Notification, User
from app.read import cursors
from app.services.notifications import CHANNELS

STATUSES = ("queued", "sent", "failed")
INT32_MAX = 2**31 - 1  # an id the column can hold; a larger one in a URL is simply not found
MISSING = object()


@dataclass(frozen=True)
class ChannelSettings:
    email: str | None
    channels: list[str]
    available_channels: list[str]


def settings_of(user: User, available: list[str]) -> ChannelSettings:
    chosen = [c for c in CHANNELS if c in (user.channels or [])]
    return ChannelSettings(user.email, chosen, list(available))


def update_settings(
    session: Session, user: User, available: list[str], *, email=MISSING, channels=MISSING
) -> ChannelSettings:
    """Set the address and the channels (either left out: unchanged). Refuses, naming the field, an unknown or
    unavailable channel and email chosen without an address; nothing is written then."""
    new_email = user.email if email is MISSING else ((email or "").strip() or None)
    new_channels = (user.channels or []) if channels is MISSING else channels
    problems = {}
    unknown = [c for c in new_channels if c not in CHANNELS]
    unavailable = [c for c in new_channels if c in CHANNELS and c not in available]
    if channels is not MISSING and unknown:
        problems["channels"] = f"Unknown channel: {', '.join(unknown)}. Choose from {', '.join(CHANNELS)}."
    elif channels is not MISSING and unavailable:
        problems["channels"] = f"Not available on this server: {', '.join(unavailable)}."
    elif "email" in new_channels and not new_email:
        problems["email"] = "An email address is needed to receive email."
    if problems:
        raise RuleViolation("Some fields are not valid: " + ", ".join(sorted(problems)) + ".", problems)
    user.email = new_email
    user.channels = [c for c in CHANNELS if c in new_channels]  # one order, no repeats
    session.flush()
    return settings_of(user, available)


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    notification_id: int
    finding_id: object
    title: str
    recipient: str  # the username
    channel: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    sent_at: datetime | None
    created_at: datetime


def list_deliveries(
    session: Session, *, status: str | None = None, cursor: str | None = None, limit: int = 50
) -> tuple[list[DeliveryRow], str | None]:
    """Newest first (by id, the order rows were queued in), keyset paged on the id."""
    query = (
        select(Delivery, Notification.finding_id, Notification.title, User.username)
        .join(Notification, Notification.id == Delivery.notification_id)
        .join(User, User.id == Notification.recipient_id)
        .order_by(Delivery.id.desc())
        .limit(limit + 1)
    )
    if status:
        query = query.where(Delivery.status == status)
    if cursor:
        query = query.where(Delivery.id < _decode(cursor))
    rows = [_row(*r) for r in session.execute(query)]
    page = rows[:limit]
    return page, (_encode(page[-1].id) if len(rows) > limit else None)


def retry_delivery(session: Session, delivery_id: int, now: datetime) -> DeliveryRow:
    """Queue a failed delivery again, due now, with its attempts counted from zero; last_error stays until the
    next attempt, so the admin still sees why it failed."""
    delivery = session.get(Delivery, delivery_id) if 0 < delivery_id <= INT32_MAX else None
    if delivery is None:
        raise NotFound("No such delivery.")
    if delivery.status != "failed":
        raise InvalidTransition(f"Only a failed delivery can be retried; this one is {delivery.status}.")
    delivery.status, delivery.attempts, delivery.next_attempt_at = "queued", 0, now
    delivery.claimed_until = delivery.claimed_by = None
    session.flush()
    note = session.get(Notification, delivery.notification_id)
    return _row(delivery, note.finding_id, note.title, session.get(User, note.recipient_id).username)


def _row(delivery: Delivery, finding_id, title: str, username: str) -> DeliveryRow:
    d = delivery
    return DeliveryRow(d.id, d.notification_id, finding_id, title, username, d.channel, d.status, d.attempts,
                       d.last_error, d.next_attempt_at, d.sent_at, d.created_at)  # fmt: skip


DELIVERY_CURSOR = ("deliveries", ("int",))  # the id, newest first


def _encode(row_id: int) -> str:
    return cursors.encode(*DELIVERY_CURSOR, (row_id,))


def _decode(cursor: str) -> int:
    return cursors.decode(*DELIVERY_CURSOR, cursor)[0]
