"""Turning a stored user into the domain's Actor."""

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
