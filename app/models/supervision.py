"""挂牌督办: a major hazard's listing for supervision, from its listing to its delisting (摘牌) by the approval.

One listing is open per finding at a time (a partial unique index); a finding reopened and listed again keeps
both rows. Each end of a listing is an event in the finding's history, and the row points at it.
"""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.findings import Finding, FindingEvent
from app.models.types import UTCDateTime


class Supervision(db.Model):
    __tablename__ = "supervisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"))
    level: Mapped[str] = mapped_column(String(10))  # province 省级, city 市级, county 县级
    authority: Mapped[str] = mapped_column(String(200))  # 督办单位
    document_no: Mapped[str] = mapped_column(String(100))  # 文号, e.g. 厦安办督〔2026〕12号
    leader: Mapped[str] = mapped_column(String(100))  # 责任领导
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # 公开挂牌
    lead_department: Mapped[str | None] = mapped_column(String(200))  # 牵头单位
    status: Mapped[str] = mapped_column(String(10), default="listed")
    listed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    listed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    listed_event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("finding_events.id"))
    delisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delisted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delisted_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("finding_events.id"))

    finding: Mapped[Finding] = relationship()
    # Through these the flush writes the event before the row that points at it.
    listed_event: Mapped[FindingEvent] = relationship(foreign_keys=[listed_event_id])
    delisted_event: Mapped[FindingEvent | None] = relationship(foreign_keys=[delisted_event_id])

    __table_args__ = (
        CheckConstraint("level IN ('province','city','county')", name="level"),
        CheckConstraint("status IN ('listed','delisted')", name="status"),
        # the register, newest listing first, is a keyset walk of this index
        Index("ix_supervisions_listed_at_id", "listed_at", "id"),
        Index(
            "uq_supervisions_open_listing",
            "finding_id",
            unique=True,
            sqlite_where=text("status = 'listed'"),
            postgresql_where=text("status = 'listed'"),
        ),
        Index("ix_supervisions_finding_id", "finding_id"),
    )
