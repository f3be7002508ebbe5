"""Reference lists the apps read: areas, categories, criteria, and the enterprises a user may pick."""

import math

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from app.domain.actors import Actor
from app.domain.geo import distance_m
from app.models import Area, Category, Enterprise, MajorCriterion
from app.services.lookups import enterprise_scope


def areas(session: Session, under: str | None = None) -> list[Area]:
    query = select(Area).options(joinedload(Area.parent)).order_by(Area.path)
    if under:
        root = session.scalar(select(Area.path).where(Area.code == under))
        query = query.where(Area.path.startswith(root or "\x00", autoescape=True))
    return list(session.scalars(query))


def categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).where(Category.active).order_by(Category.sort_order)))


def criteria(session: Session) -> list[MajorCriterion]:
    return list(session.scalars(select(MajorCriterion).order_by(MajorCriterion.sort_order)))


def enterprises(
    session: Session,
    actor: Actor,
    *,
    q: str | None,
    near: tuple[float, float] | None,
    limit: int,
    after_id: int | None = None,
) -> list[tuple[Enterprise, float | None]]:
    """Visible enterprises: nearest first when `near` is given, else by id (keyset on id)."""
    query = select(Enterprise).where(enterprise_scope(actor)).options(joinedload(Enterprise.area))
    if q:
        text = q.strip()
        query = query.where(
            or_(
                Enterprise.name.icontains(text, autoescape=True),
                Enterprise.credit_code.icontains(text.upper(), autoescape=True),
            )
        )
    if near is None:
        if after_id:
            query = query.where(Enterprise.id > after_id)
        return [(e, None) for e in session.scalars(query.order_by(Enterprise.id).limit(limit))]
    lat, lng = near
    # An equirectangular distance is plenty for ordering a city's enterprises, and runs on any database.
    scale = math.cos(math.radians(lat))
    squared = (Enterprise.lat - lat) * (Enterprise.lat - lat) + (
        (Enterprise.lng - lng) * scale * (Enterprise.lng - lng) * scale
    )
    query = query.where(Enterprise.lat.is_not(None)).order_by(squared, Enterprise.id).limit(limit)
    return [(e, distance_m(lat, lng, e.lat, e.lng)) for e in session.scalars(query)]
