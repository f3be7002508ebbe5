"""In-app notifications (issue 12): what the deadline job tells each person, read in their inbox."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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
