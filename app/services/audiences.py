"""Who an audience of issue 12's table is, in people: one definition for the deadline job and for the notices
events cause (a finding's officers are the same people whichever of the two tells them)."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import ancestor_paths
from app.domain.terms import Role
from app.models import Area, User
from app.services.bulk import among


def officers_by_enterprise(session: Session, enterprise_ids) -> dict[int, set[int]]:
    """The active safety officers of each enterprise, in one query (per 900 on SQLite), not one per enterprise
    (1,389 queries and 1.0 s of a 2.8 s deadline run with 4,000 findings due)."""
    officers: dict[int, set[int]] = defaultdict(set)
    for these in among(session, User.enterprise_id, sorted({i for i in enterprise_ids if i is not None})):
        officer = (User.role == Role.ENTERPRISE_OFFICER.value) & User.active
        query = select(User.id, User.enterprise_id).where(these, officer)
        for user_id, enterprise_id in session.execute(query):
            officers[enterprise_id].add(user_id)
    return officers


def supervisors_over(session: Session, area_path: str) -> set[int]:
    """The supervisors who may decide on a finding in `area_path`: those whose home area is it or contains it."""
    query = (
        select(User.id)
        .join(Area, Area.id == User.area_id)
        .where(Area.path.in_(ancestor_paths(area_path)), User.role == Role.SUPERVISOR.value, User.active)
    )
    return set(session.scalars(query))
