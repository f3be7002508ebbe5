"""Turning a stored user into the domain's Actor."""

from sqlalchemy import select

from app.domain.actors import Actor
from app.domain.terms import Role
from app.models import User


def actor_for(user: User) -> Actor:
    """`user` is a User or the request's signed-in Principal: both carry id, role, area.path, enterprise_id."""
    return Actor(
        id=user.id,
        role=Role(user.role),
        area_path=user.area.path if user.area else None,
        enterprise_id=user.enterprise_id,
    )


def system_actor(session) -> Actor:
    """The jobs' own actor: the one `system` user migration 0006 made, so a job's events name an actor too."""
    user_id = session.scalar(select(User.id).where(User.role == Role.SYSTEM.value).order_by(User.id).limit(1))
    if user_id is None:
        raise LookupError("No system user: run the migrations (flask db upgrade).")
    return Actor(id=user_id, role=Role.SYSTEM)
