"""In-app notifications (issue 12): what the deadline job tells each person, read in their inbox."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime


class Notification(db.Model):
    """One notice to one recipient. The unique key is the notice's own (finding, rule, due moment) plus the
    recipient, so a job run twice, or on two hosts at once, writes each row once (INSERT ... ON CONFLICT)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"))
    rule: Mapped[str] = mapped_column(String(40))  # deadline_in_3_days, overdue, escalated_street, ...
    kind: Mapped[str] = mapped_column(String(20))  # reminder, overdue, escalation, triage: what the inbox shows
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the notice's due moment, part of the key
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("finding_id", "rule", "due_at", "recipient_id", name="uq_notifications_key"),
        Index("ix_notifications_inbox", "recipient_id", "created_at", "id"),  # newest first, keyset paged
    )


class Delivery(db.Model):
    """One notification sent through one channel (email, webhook), written in the notification's transaction.

    A worker claims a due row by setting `claimed_until` (a lease) and sends it outside any transaction; if the
    worker dies, the lease runs out and another worker sends it. A failure waits `next_attempt_at` (backoff) and,
    after the last attempt, ends as `failed` with `last_error`, which admins see."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("notification_id", "channel", name="uq_deliveries_notification_channel"),
        CheckConstraint("channel IN ('email','webhook')", name="channel"),
        CheckConstraint("status IN ('queued','sent','failed')", name="status"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )
