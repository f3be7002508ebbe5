"""The enforcement documents (issue 14): who issues them, their gap-free 文号 counters, and the documents themselves.

A document row and its PDF never change: triggers refuse UPDATE and DELETE of `documents` (migration 0011). A
correction is a new row (a new 文号) that names the one it `supersedes`; the copy the enterprise signed for
(签收) is a new row of edition `signed` with the same 文号 that supersedes the one issued. Whether a document
is current is read from whether another supersedes it, so nothing is ever written back to the old row.
"""

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.types import UTCDateTime

KINDS_SQL = "('inspection_record','rectification_order','review_opinion')"


class IssuingAuthority(db.Model):
    """The 执法机关 whose name heads a document and whose short form opens its 文号: 厦门市湖里区应急管理局, 厦湖.

    Keyed by the area it serves: an issuer's documents are the authority's of their home area or of its nearest
    ancestor that has one (a street's inspector issues under the district's name). Seeded for the demo's city
    and districts (migration 0011); a deployment edits the rows for its own areas."""

    __tablename__ = "issuing_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(10))  # 厦湖: the 文号's 机关代字
    review_body: Mapped[str] = mapped_column(String(100))  # 行政复议机关, named in the order's remedies


class DocumentSequence(db.Model):
    """The last serial given per (authority, kind, year): one row, locked by the issuing transaction's upsert, so
    a rolled-back issue gives its number back and two at once never get the same one."""

    __tablename__ = "document_sequences"

    authority_id: Mapped[int] = mapped_column(ForeignKey("issuing_authorities.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Document(db.Model):
    __tablename__ = "documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the client's, or made from what it is about
    request_hash: Mapped[str] = mapped_column(String(64))  # what the request said, to tell a retry from a clash
    kind: Mapped[str] = mapped_column(String(30))
    edition: Mapped[str] = mapped_column(String(10))  # issued, or signed (the 签收 copy)
    authority_id: Mapped[int] = mapped_column(ForeignKey("issuing_authorities.id"))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60))  # 文号
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"))
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("findings.id"))
    review_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("finding_events.id"))  # what it answers
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    area_path: Mapped[str] = mapped_column(String(255))  # the enterprise's, for the scope filters
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(Integer)
    facts: Mapped[dict] = mapped_column(JSON)  # what it was drawn from (app/domain/documents.py Facts)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)

    issued_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS_SQL}", name="kind"),
        CheckConstraint("edition IN ('issued','signed')", name="edition"),
        CheckConstraint("inspection_id IS NOT NULL OR finding_id IS NOT NULL", name="subject"),
        UniqueConstraint("number", "edition", name="uq_documents_number_edition"),
        UniqueConstraint("supersedes_id", name="uq_documents_supersedes_id"),  # one successor each
        Index("ix_documents_inspection_id", "inspection_id"),
        Index("ix_documents_finding_id", "finding_id"),
        Index("ix_documents_sha256", "sha256"),
    )
