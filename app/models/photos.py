"""Photo evidence: the bytes stored once per SHA-256 (PhotoBlob), and each finding's photos (Photo).

A Photo row is made when a client declares it (at a create or a rectification) or when it arrives; its
blob is set when the bytes arrive, so a declared photo with no blob is one the client still owes.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime


class PhotoBlob(db.Model):
    __tablename__ = "photo_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))
    byte_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    display_width: Mapped[int] = mapped_column(Integer)
    display_height: Mapped[int] = mapped_column(Integer)
    thumb_width: Mapped[int] = mapped_column(Integer)
    thumb_height: Mapped[int] = mapped_column(Integer)
    # What the EXIF said, kept here and stripped from every served file (GPS in a photo is personal data).
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    exif_lng: Mapped[float | None] = mapped_column(Float)
    camera_make: Mapped[str | None] = mapped_column(String(100))
    camera_model: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Photo(db.Model):
    __tablename__ = "photos"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"))
    kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str | None] = mapped_column(ForeignKey("photo_blobs.sha256"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # only they may fill the slot
    round: Mapped[int | None] = mapped_column(Integer)  # the rectification round an after-photo proves
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    blob: Mapped[PhotoBlob | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("kind IN ('evidence','rectification')", name="kind"),
        Index("ix_photos_finding_id_kind", "finding_id", "kind"),
    )
