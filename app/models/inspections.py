"""检查清单, 专项行动 and 检查记录 (issue 14): the unit of field work and what it is measured against.

A checklist keeps every version it had: an edit writes a new version with its own item rows, and an inspection
points at the version it walked, so old records keep the items they answered. An item's id is the device's and
stays the same across versions of one checklist; the row behind it (checklist_items.id) is per version, and a
finding made by failing an item points at that row.

An inspection reaches the server submitted (a draft lives on the device) and its results are append-only, as
finding events are: triggers refuse UPDATE and DELETE of them (migration 0009). A later word on a submitted
inspection is an inspection note.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
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

METHODS_SQL = "('records','site','interview')"  # 查资料, 现场查看, 询问
RESULTS_SQL = "('pass','fail','na')"


class Checklist(db.Model):
    """检查清单: what the current version is; the versions hold the content."""

    __tablename__ = "checklists"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client, the idempotency key
    current_version: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    versions: Mapped[list["ChecklistVersion"]] = relationship(
        back_populates="checklist", order_by="ChecklistVersion.version"
    )


class ChecklistVersion(db.Model):
    __tablename__ = "checklist_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklists.id"))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... within the checklist
    name: Mapped[str] = mapped_column(String(200))
    sectors: Mapped[list] = mapped_column(JSON)  # sector codes (app/domain/sectors.py) it applies to
    request_hash: Mapped[str] = mapped_column(String(64))  # what the body said, to tell a retry from a clash
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    checklist: Mapped[Checklist] = relationship(back_populates="versions")
    items: Mapped[list["ChecklistItem"]] = relationship(back_populates="version", order_by="ChecklistItem.position")

    __table_args__ = (UniqueConstraint("checklist_id", "version", name="uq_checklist_versions_checklist_version"),)


class ChecklistItem(db.Model):
    """检查细则: one line of a version."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("checklist_versions.id"))
    item_id: Mapped[uuid.UUID] = mapped_column()  # the device's id, the same in every version of the checklist
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... the order an inspector walks them
    content: Mapped[str] = mapped_column(Text)  # 检查内容
    basis: Mapped[str] = mapped_column(Text)  # 依据: a clause of a standard or a regulation
    method: Mapped[str] = mapped_column(String(10))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))  # what a failed item files under
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("major_criteria.id"))  # failing it is 重大
    major_clause: Mapped[str | None] = mapped_column(String(100))  # the criterion's clause, e.g. 第四条第（一）项

    version: Mapped[ChecklistVersion] = relationship(back_populates="items")
    category: Mapped[Category] = relationship(lazy="joined")
    criterion: Mapped[MajorCriterion | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(f"method IN {METHODS_SQL}", name="method"),
        UniqueConstraint("version_id", "item_id", name="uq_checklist_items_version_item"),
    )


class Campaign(db.Model):
    """专项行动: a period, a scope, the checklists to use and the enterprises it targets."""

    __tablename__ = "campaigns"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client, the idempotency key
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    sectors: Mapped[list] = mapped_column(JSON)  # sector codes; empty: every sector
    targets_listed: Mapped[bool] = mapped_column(Boolean, default=False)  # the targets were a list, not the scope
    request_hash: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    areas: Mapped[list["CampaignArea"]] = relationship(order_by="CampaignArea.position")
    checklists: Mapped[list["CampaignChecklist"]] = relationship(order_by="CampaignChecklist.position")

    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates"),)


class CampaignArea(db.Model):
    __tablename__ = "campaign_areas"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    area: Mapped[Area] = relationship(lazy="joined")


class CampaignChecklist(db.Model):
    __tablename__ = "campaign_checklists"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    checklist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklists.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class CampaignTarget(db.Model):
    """An enterprise the campaign means to inspect, fixed when the campaign is made."""

    __tablename__ = "campaign_targets"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)

    enterprise: Mapped[Enterprise] = relationship()

    __table_args__ = (Index("ix_campaign_targets_enterprise_id", "enterprise_id"),)


class Inspection(db.Model):
    """检查记录: one visit to one enterprise with one checklist version."""

    __tablename__ = "inspections"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client, the idempotency key
    request_hash: Mapped[str] = mapped_column(String(64))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    area_path: Mapped[str] = mapped_column(String(255))  # the enterprise's, for the scope filters
    checklist_version_id: Mapped[int] = mapped_column(ForeignKey("checklist_versions.id"))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"))
    inspected_on: Mapped[date] = mapped_column(Date)
    enforcement: Mapped[bool] = mapped_column(Boolean)  # 执法检查: two inspectors at least
    status: Mapped[str] = mapped_column(String(10))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    enterprise: Mapped[Enterprise] = relationship()
    checklist_version: Mapped[ChecklistVersion] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    submitted_by: Mapped[User] = relationship()
    inspectors: Mapped[list["InspectionInspector"]] = relationship(order_by="InspectionInspector.position")
    results: Mapped[list["InspectionResult"]] = relationship(order_by="InspectionResult.position")

    __table_args__ = (
        CheckConstraint("status IN ('draft','submitted')", name="status"),
        Index("ix_inspections_submitted_at_id", "submitted_at", "id"),
        Index("ix_inspections_enterprise_id_inspected_on", "enterprise_id", "inspected_on"),
        Index("ix_inspections_campaign_id", "campaign_id"),
        Index("ix_inspections_area_path", "area_path", postgresql_ops={"area_path": "text_pattern_ops"}),
    )


class InspectionInspector(db.Model):
    """执法人员: a person who inspected, with the 执法证号 they showed."""

    __tablename__ = "inspection_inspectors"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    cert_no: Mapped[str | None] = mapped_column(String(50))

    user: Mapped[User] = relationship(lazy="joined")


class InspectionResult(db.Model):
    """One item's answer. Append-only: the migrations add triggers that refuse UPDATE and DELETE."""

    __tablename__ = "inspection_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    position: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(4))
    note: Mapped[str] = mapped_column(Text, default="")
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("findings.id"))  # the fail's finding

    item: Mapped[ChecklistItem] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(f"result IN {RESULTS_SQL}", name="result"),
        CheckConstraint("(result = 'fail') = (finding_id IS NOT NULL)", name="fail_finding"),
        UniqueConstraint("inspection_id", "item_id", name="uq_inspection_results_inspection_item"),
    )


class InspectionNote(db.Model):
    """A word added to a submitted inspection (a correction, a remark): its results never change."""

    __tablename__ = "inspection_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client, the idempotency key
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))  # the item it is about, if one
    text: Mapped[str] = mapped_column(Text)
    request_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="joined")
    item: Mapped[ChecklistItem | None] = relationship()
