"""The finding (隐患), its append-only history, its extension requests and its plan.

The finding row is a projection of its events, updated in the same transaction as each event.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.geography import Area, Enterprise
from app.models.reference import Category, MajorCriterion
from app.models.types import UTCDateTime

STATES_SQL = "('reported','rectifying','pending_review','closed','voided')"


class Finding(db.Model):
    __tablename__ = "findings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client, the idempotency key
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))  # what the create said, to tell a retry from a clash

    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    area_path: Mapped[str] = mapped_column(String(255))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    level: Mapped[str] = mapped_column(String(10))
    nature: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    location_source: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(300), default="")

    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    rectify_mode: Mapped[str] = mapped_column(String(10))
    deadline: Mapped[date | None] = mapped_column(Date)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("major_criteria.id"))
    major_clause: Mapped[str | None] = mapped_column(String(100))

    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    events_count: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extension_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the finding first becomes an order to the enterprise (rectifying); a report voided during triage
    # never is, and the enterprise never sees it.
    triaged: Mapped[bool] = mapped_column(Boolean, default=True)
    rectification_round: Mapped[int] = mapped_column(Integer, default=0)  # submissions so far: round 1, 2, ...
    after_photos_owed: Mapped[int] = mapped_column(Integer, default=0)  # declared for this round, not arrived

    rectification_measures: Mapped[str | None] = mapped_column(Text)
    rectified_on: Mapped[date | None] = mapped_column(Date)
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    review_on_site: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    # 挂牌督办: the level of the open listing (province, city, county), null when not listed now; the listings
    # themselves, open and ended, are the supervisions table.
    supervision_level: Mapped[str | None] = mapped_column(String(10))
    # made by failing a checklist item during an inspection (migration 0009); null for a finding reported alone
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    checklist_item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))

    enterprise: Mapped[Enterprise | None] = relationship()
    area: Mapped[Area] = relationship()
    category: Mapped[Category] = relationship()
    criterion: Mapped[MajorCriterion | None] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    plan: Mapped["RectificationPlan | None"] = relationship(back_populates="finding", uselist=False)
    extension_requests: Mapped[list["ExtensionRequest"]] = relationship(
        back_populates="finding", order_by="ExtensionRequest.id"
    )

    # The version is set by the services, one step per state-changing event; SQLAlchemy adds
    # "WHERE version = <old>" to every UPDATE, so a lost update becomes an error, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    __table_args__ = (
        CheckConstraint(f"status IN {STATES_SQL}", name="status"),
        CheckConstraint("level IN ('general','major')", name="level"),
        CheckConstraint("rectify_mode IN ('deadline','immediate')", name="rectify_mode"),
        CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat"),
        CheckConstraint("lng IS NULL OR (lng BETWEEN -180 AND 180)", name="lng"),
        Index("ix_findings_received_at_id", "received_at", "id"),
        Index("ix_findings_updated_at_id", "updated_at", "id"),
        Index("ix_findings_area_path", "area_path", postgresql_ops={"area_path": "text_pattern_ops"}),
        Index("ix_findings_status_deadline", "status", "deadline"),
        # the deadline job's reports waiting for triage (migration 0008): read by their status and received_at
        Index("ix_findings_status_received_at", "status", "received_at"),
        # the statistics' one pass read from the index alone (migration 0010; app/read/stats.py)
        Index("ix_findings_stats", "area_path", "status", "level", "supervision_level", "extension_pending",
              "deadline", postgresql_ops={"area_path": "text_pattern_ops"}),
    )


class FindingEvent(db.Model):
    """One action on a finding. Append-only: the migrations add triggers that refuse UPDATE and DELETE."""

    __tablename__ = "finding_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client, the idempotency key
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"))
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3... within the finding: the order of the history
    action: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    client_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)  # the finding's version after this event
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    request_hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("finding_id", "seq", name="uq_finding_events_finding_id_seq"),)


class ExtensionRequest(db.Model):
    """延期申请: asked by the enterprise, decided by a supervisor."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    previous_deadline: Mapped[date | None] = mapped_column(Date)
    requested_deadline: Mapped[date] = mapped_column(Date)
    granted_deadline: Mapped[date | None] = mapped_column(Date)  # set on approval; may be earlier than asked
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)

    finding: Mapped[Finding] = relationship(back_populates="extension_requests")

    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','refused','withdrawn','lapsed')", name="status"),
    )


class RectificationPlan(db.Model):
    """治理方案 of a major finding: Order 16 Art. 15's six elements. Each submission is also an event."""

    __tablename__ = "rectification_plans"

    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"), primary_key=True)
    objective: Mapped[str] = mapped_column(Text, default="")  # empty in plans made before the sixth element
    measures: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200))
    funds: Mapped[str] = mapped_column(String(200))
    time_limit: Mapped[date] = mapped_column(Date)
    contingency: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    finding: Mapped[Finding] = relationship(back_populates="plan")


class FindingCounter(db.Model):
    """The last human number handed out per district and year (YH-350203-2026-000123)."""

    __tablename__ = "finding_counters"

    district_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
