"""The administrative audit: who changed what reference data or account, when, from what to what."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime


class AdminChange(db.Model):
    __tablename__ = "admin_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: an operator's command line
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    entity: Mapped[str] = mapped_column(String(20))  # user, area, enterprise, category, criterion, token
    entity_key: Mapped[str] = mapped_column(String(64))  # its id, code or credit code
    action: Mapped[str] = mapped_column(String(20))  # create, update, deactivate, import, revoke, reset_password
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_admin_changes_at_id", "at", "id"),)
