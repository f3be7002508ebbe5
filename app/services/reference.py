"""Reference lists the apps read: areas, categories, criteria, and the enterprises a user may pick."""

import math
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from app.domain.actors import Actor
from app.domain.geo import distance_m
from app.domain.reference_rules import citable
from app.domain.terms import Role
from app.models import Area, Category, Enterprise, MajorCriterion
from app.read.scope import enterprise_scope


def areas(session: Session, under: str | None = None) -> list[Area]:
    query = select(Area).options(joinedload(Area.parent)).order_by(Area.path)
    if under:
        root = session.scalar(select(Area.path).where(Area.code == under))
        query = query.where(Area.path.startswith(root or "\x00", autoescape=True))
    return list(session.scalars(query))


def categories(session: Session, *, include_inactive: bool = False) -> list[Category]:
    query = select(Category).order_by(Category.sort_order, Category.id)
    return list(session.scalars(query if include_inactive else query.where(Category.active)))


def criteria(session: Session, *, citable_on: date | None = None) -> list[MajorCriterion]:
    """Every criterion, or only those a new major finding may cite on `citable_on`."""
    every = session.scalars(select(MajorCriterion).order_by(MajorCriterion.sort_order, MajorCriterion.id))
    if citable_on is None:
        return list(every)
    return [c for c in every if citable(c.active, c.effective_on, c.repealed_on, citable_on)]


def enterprises(
    session: Session,
    actor: Actor,
    *,
    q: str | None,
    near: tuple[float, float] | None,
    limit: int,
    after_id: int | None = None,
    include_inactive: bool = False,
) -> list[tuple[Enterprise, float | None]]:
    """Visible enterprises: nearest first when `near` is given, else by id (keyset on id). Deactivated ones only
    for an admin who asks."""
    query = select(Enterprise).where(enterprise_scope(actor)).options(joinedload(Enterprise.area))
    if not (include_inactive and actor.role is Role.ADMIN):
        query = query.where(Enterprise.active)
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
