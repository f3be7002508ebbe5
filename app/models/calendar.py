"""The official working-day calendar as data: each year's State Council notice, kept by an admin."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime


class HolidayYear(db.Model):
    """A year whose notice is loaded; a year without a row counts Monday to Friday (WorkCalendar.covers)."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200))  # the notice it was taken from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # who changed it is in admin_changes


class HolidayDay(db.Model):
    """A day the notice changes: `rest` (放假, weekend days inside a holiday included) or `work` (调休上班)."""

    __tablename__ = "holiday_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("holiday_years.year", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(40), default="", server_default="")

    __table_args__ = (CheckConstraint("kind IN ('rest','work')", name="kind"),)
