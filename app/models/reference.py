"""Admin-editable reference lists: hazard categories and the major-hazard criteria."""

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MajorCriterion(db.Model):
    """重大事故隐患判定标准: an official document a major finding cites."""

    __tablename__ = "major_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    document_number: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    issuing_body: Mapped[str] = mapped_column(String(100), default="")  # 发布机关
    effective_on: Mapped[date | None] = mapped_column(Date)
    repealed_on: Mapped[date | None] = mapped_column(Date)  # a new major finding cannot cite it from this day
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: superseded, not citable by new findings
