"""The delivery job: send the queued email and webhook deliveries that are due, each once.

A worker claims a batch in one short transaction (a lease: claimed_until, claimed_by) and commits before it sends,
so no transaction is open while a mail server or a robot takes its time. PostgreSQL claims with
`FOR UPDATE SKIP LOCKED`, so workers on several hosts take different rows without waiting for each other; SQLite's
claim is a single UPDATE, which takes the write lock first and waits its turn. A worker killed mid-send leaves its
rows claimed until the lease runs out; then any worker sends them (the email's Message-ID stays the same).

Each result is committed at once: sent, or tried again later with backoff, or after the last attempt `failed` with
the reason. A recipient who is no longer active, or no longer wants the channel, fails at once, not retried.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.models import Delivery, Finding, Notification, User
from app.notify import Channel, Message, SendFailed, channels_from_config, finding_link

log = logging.getLogger(__name__)
NOT_CONFIGURED = {"email": "SMTP_URL", "webhook": "WEBHOOK_URL"}
LEASE_MARGIN = timedelta(seconds=30)  # what one send may take at most (the SMTP timeout, 20 s, and some)


@dataclass(frozen=True)
class DeliverySettings:
    max_attempts: int = 6
    backoff: tuple[timedelta, ...] = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 360))
    lease: timedelta = timedelta(minutes=5)  # longer than a batch takes to send
    batch: int = 10
    base_url: str = ""  # APP_BASE_URL: links to the finding

    @classmethod
    def from_config(cls, config: Mapping) -> "DeliverySettings":
        minutes = [float(m) for m in str(config.get("DELIVERY_BACKOFF_MINUTES", "1,5,30,120,360")).split(",")]
        return cls(
            max_attempts=max(1, int(config.get("DELIVERY_MAX_ATTEMPTS", 6))),
            backoff=tuple(timedelta(minutes=m) for m in minutes) or cls.backoff,
            lease=timedelta(seconds=max(1, int(config.get("DELIVERY_LEASE_SECONDS", 300)))),
            base_url=config.get("APP_BASE_URL", ""),
        )

    def wait_after(self, attempts: int) -> timedelta:
        """How long after the `attempts`-th failure to try again: 1, 5, 30 minutes, 2 h, then 6 h each time."""
        return self.backoff[min(attempts, len(self.backoff)) - 1]


@dataclass
class DeliveryCounts:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel: str
    attempts: int
    message: Message
    refusal: str | None  # why it must not be sent at all (the recipient turned inactive, ...)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def run_deliver(
    session: Session,
    now: datetime,
    channels: Mapping[str, Channel] | None = None,
    settings: DeliverySettings | None = None,
    *,
    worker: str | None = None,
    stop: threading.Event | None = None,
) -> DeliveryCounts:
    """Send what is due at `now`, batch after batch, until nothing is; commits after each step (a job, not a
    request). `now` moves on with the wall clock while it runs. With `stop` set, it ends after the current
    message and hands the rest of its batch back at once."""
    if channels is None:
        channels = channels_from_config(current_app.config)
    settings = settings or DeliverySettings.from_config(current_app.config)
    worker = worker or worker_name()
    started = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    counts = DeliveryCounts()
    session.rollback()  # the claim must be its transaction's first statement (SQLite: the write lock first)
    while not (stop and stop.is_set()):
        claimed_at = clock()
        batch = claim(session, claimed_at, worker, settings)
        if not batch:
            break
        # Past this moment another worker may take what is left of the batch: hand it back and claim afresh,
        # rather than send a message someone else may be sending too.
        hold_until = claimed_at + settings.lease - min(LEASE_MARGIN, settings.lease / 2)
        for position, item in enumerate(batch):
            if (stop and stop.is_set()) or (position and clock() >= hold_until):  # the first always goes
                release(session, [rest.id for rest in batch[position:]], worker)
                break
            _deliver(session, item, channels, settings, worker, clock, counts)
    return counts


def claim(session: Session, now: datetime, worker: str, settings: DeliverySettings) -> list[_Claimed]:
    """Lease up to a batch of due rows to `worker` and commit; then read what to send (and commit that too)."""
    due = (
        select(Delivery.id)
        .where(
            Delivery.status == "queued",
            Delivery.next_attempt_at <= now,
            or_(Delivery.claimed_until.is_(None), Delivery.claimed_until <= now),
        )
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(settings.batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)  # rows another worker is claiming are skipped, not waited on
    statement = (
        update(Delivery)
        .where(Delivery.id.in_(due))
        .values(claimed_until=now + settings.lease, claimed_by=worker)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(session.scalars(statement))
    session.commit()
    if not ids:
        return []
    batch = _read(session, ids, settings)
    session.commit()  # no transaction stays open while we send
    return batch


def _read(session: Session, ids: list[int], settings: DeliverySettings) -> list[_Claimed]:
    query = (
        select(Delivery.id, Delivery.channel, Delivery.attempts, Notification, User, Finding.number, Finding.deadline)
        .join(Notification, Notification.id == Delivery.notification_id)
        .join(User, User.id == Notification.recipient_id)
        .join(Finding, Finding.id == Notification.finding_id)
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.id)
    )
    batch = []
    for delivery_id, channel, attempts, note, user, number, deadline in session.execute(query):
        message = Message(
            delivery_id=delivery_id,
            title=note.title,
            body=note.body,
            finding_number=number or str(note.finding_id)[:8],
            deadline=deadline,
            recipient_name=_robot_audience(session, note, user) if channel == "webhook" else _name(user),
            email=user.email,
            link=finding_link({"APP_BASE_URL": settings.base_url}, note.finding_id),
        )
        batch.append(_Claimed(delivery_id, channel, attempts, message, _refusal(user, channel)))
    return batch


def _name(user: User) -> str:
    return user.display_name or user.username


def _robot_audience(session: Session, note: Notification, queued_for: User) -> str:
    """Everyone the notice is for who chose the group robot: its one message in the group names them all."""
    query = (
        select(User)
        .join(Notification, Notification.recipient_id == User.id)
        .where(
            Notification.finding_id == note.finding_id,
            Notification.rule == note.rule,
            Notification.due_at == note.due_at,
            User.active,
        )
        .order_by(Notification.id)
    )
    names = [_name(u) for u in session.scalars(query) if "webhook" in (u.channels or [])]
    return "、".join(names) or _name(queued_for)


def _refusal(user: User, channel: str) -> str | None:
    if not user.active:
        return "the recipient is no longer active"
    if channel not in (user.channels or []):
        return f"the recipient no longer chose {channel}"
    if channel == "email" and not user.email:
        return "the recipient has no email address"
    return None


def _deliver(session, item: _Claimed, channels, settings, worker, clock, counts: DeliveryCounts) -> None:
    if item.refusal:
        _record_failure(session, item, item.refusal, clock(), settings, worker, final=True)
        counts.failed += 1
        return
    channel = channels.get(item.channel)
    try:
        if channel is None:
            raise SendFailed(f"the {item.channel} channel is not configured ({NOT_CONFIGURED[item.channel]})")
        channel.send(item.message)
    except Exception as error:  # SendFailed, or a bug in an adapter: either way, try again later
        if not isinstance(error, SendFailed):
            log.exception("delivery %s: the %s channel failed unexpectedly", item.id, item.channel)
        reason = str(error) if isinstance(error, SendFailed) else f"{type(error).__name__}: {error}"
        final = _record_failure(session, item, reason, clock(), settings, worker)
        if final:
            counts.failed += 1
        else:
            counts.retrying += 1
        return
    _record_sent(session, item.id, clock())
    counts.sent += 1


def _record_sent(session: Session, delivery_id: int, at: datetime) -> None:
    # Recorded even if the lease ran out meanwhile: the message did go out.
    values = {"status": "sent", "sent_at": at, "attempts": Delivery.attempts + 1, "last_error": None,
              "claimed_until": None, "claimed_by": None}  # fmt: skip
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "queued")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _record_failure(session, item: _Claimed, reason: str, at: datetime, settings, worker, final=False) -> bool:
    """attempts + 1 and the next try after the backoff, or `failed` after the last one; True when it is final."""
    attempts = item.attempts + 1
    final = final or attempts >= settings.max_attempts
    values = {"attempts": attempts, "last_error": reason[:2000], "claimed_until": None, "claimed_by": None}
    values.update({"status": "failed"} if final else {"next_attempt_at": at + settings.wait_after(attempts)})
    session.execute(
        update(Delivery)
        .where(Delivery.id == item.id, Delivery.status == "queued", Delivery.claimed_by == worker)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return final


def release(session: Session, ids: list[int], worker: str) -> None:
    """Hand claimed rows back unsent (a worker told to stop, a lease nearly out), so the next worker need not wait
    for the lease."""
    if not ids:
        return
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), Delivery.claimed_by == worker, Delivery.status == "queued")
        .values(claimed_until=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
