"""Areas (one tree, with a materialised path) and the enterprises that sit in them."""

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    # "/350200/350206/350206001/": every subtree query is a prefix match on an index.
    path: Mapped[str] = mapped_column(String(255), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # deactivated, never deleted while referenced

    parent: Mapped["Area | None"] = relationship(remote_side=[id])

    __table_args__ = (CheckConstraint("level IN ('city','district','street','community','grid')", name="level"),)


class Enterprise(db.Model):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    sector: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    area_path: Mapped[str] = mapped_column(String(255))  # copied from the area for cheap scope filters
    contact_name: Mapped[str] = mapped_column(String(50), default="")  # 主要负责人
    contact_phone: Mapped[str] = mapped_column(String(30), default="")  # 联系电话
    scale: Mapped[str | None] = mapped_column(String(20))  # 规模: large, medium, small, micro
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    area: Mapped[Area] = relationship()

    __table_args__ = (Index("ix_enterprises_area_path", "area_path"),)
