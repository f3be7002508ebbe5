"""What a caller may see, in SQL: the twins of domain.visibility's rules. A test holds each pair together.

Every read of findings or enterprises (a list, a count, a statistic, an export, a look-up by id) takes its rows
through one of these, so no path can show more than another.
"""

from sqlalchemy import and_, false, or_, true

from app.domain.actors import Actor
from app.domain.terms import Role, State
from app.models import Enterprise, Finding


def finding_scope(actor: Actor):
    """The SQL twin of domain.visibility.can_see."""
    if actor.role is Role.ADMIN:
        return true()
    in_area = Finding.area_path.startswith(actor.area_path, autoescape=True) if actor.area_path else false()
    if actor.role in (Role.INSPECTOR, Role.SUPERVISOR):
        return in_area
    if actor.role is Role.GRID_WORKER:
        return or_(Finding.reporter_id == actor.id, in_area)
    if actor.role is Role.ENTERPRISE_OFFICER and actor.enterprise_id is not None:
        # triaged is false while reported and stays false for a report voided in triage
        return and_(
            Finding.enterprise_id == actor.enterprise_id, Finding.status != State.REPORTED.value, Finding.triaged
        )
    return false()


def enterprise_scope(actor: Actor):
    """The SQL twin of domain.visibility.can_see_enterprise."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.ENTERPRISE_OFFICER:
        return Enterprise.id == actor.enterprise_id
    if actor.area_path:
        return Enterprise.area_path.startswith(actor.area_path, autoescape=True)
    return false()
