"""The quarterly table's query: every finding in the caller's scope observed in the quarter, as it stood at the
quarter's end, read back from its events (the rules of the cells are app/domain/quarterly.py).

"As it stood" is what the server had recorded by the quarter's end (events' received_at), so the table filed on
5 January and the one drawn again in June say the same: a closure recorded on 2 April is not in Q1's 已整改,
a void after the end does not take a finding out. A finding observed in the quarter whose report reached the
server only after the end (a phone offline over New Year) still counts, in the state its report gave it.
"""

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain.actors import Actor
from app.domain.calendar import local_today
from app.domain.errors import Forbidden
from app.domain.quarterly import Hazard, Heading, Table, quarter_bounds, tabulate
from app.domain.terms import Action, Role
from app.models import Area, Enterprise, Finding, FindingEvent, Supervision, User
from app.read.scope import finding_scope

# The regulators who file the table for their area, and an enterprise for its own (Order 16 Art. 14).
READERS = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.ENTERPRISE_OFFICER})

StateEvent = aliased(FindingEvent, name="state_event")
PlanEvent = aliased(FindingEvent, name="plan_event")
Listing = aliased(Supervision, name="listing")


def _last_seq(*conditions):
    """The seq of the finding's latest event that meets `conditions` (a subquery correlated to the finding)."""
    e = FindingEvent
    return (
        select(func.max(e.seq)).where(e.finding_id == Finding.id, *conditions).correlate(Finding).scalar_subquery()
    )


def _hazards_query(actor: Actor, start: datetime, end: datetime):
    e = FindingEvent
    state_seq = _last_seq(or_(e.received_at < end, e.seq == 1))  # the report itself, if it came late
    plan_seq = _last_seq(e.action == Action.SUBMIT_PLAN.value, e.received_at < end)
    listing_id = (
        select(func.max(Supervision.id))
        .where(Supervision.finding_id == Finding.id, Supervision.listed_at < end)
        .correlate(Finding)
        .scalar_subquery()
    )
    return (
        select(
            Finding.number,
            Finding.level,
            Enterprise.sector,
            StateEvent.to_state,
            PlanEvent.payload,
            Listing.level.label("listed"),
        )
        .outerjoin(Enterprise, Enterprise.id == Finding.enterprise_id)
        .join(StateEvent, and_(StateEvent.finding_id == Finding.id, StateEvent.seq == state_seq))
        .outerjoin(PlanEvent, and_(PlanEvent.finding_id == Finding.id, PlanEvent.seq == plan_seq))
        .outerjoin(Listing, Listing.id == listing_id)
        .where(finding_scope(actor), Finding.observed_at >= start, Finding.observed_at < end)
    )


def hazards(session: Session, actor: Actor, year: int, quarter: int) -> list[Hazard]:
    start, end = quarter_bounds(year, quarter)
    rows = session.connection().execute(_hazards_query(actor, start, end)).all()
    return [
        Hazard(
            number=r.number,
            sector=r.sector,
            level=r.level,
            state=r.to_state,
            plan=(r.payload or {}).get("plan"),
            listed=r.listed,
        )
        for r in rows
    ]


def heading(session: Session, actor: Actor, year: int, quarter: int, now: datetime) -> Heading:
    user = session.get(User, actor.id)
    filer = (user.display_name or user.username) if user else ""
    end = quarter_bounds(year, quarter)[1]
    base = {"year": year, "quarter": quarter, "as_of": min(end, now), "filed_on": local_today(now), "filer": filer}
    if actor.role is Role.ENTERPRISE_OFFICER:
        enterprise = session.get(Enterprise, actor.enterprise_id) if actor.enterprise_id else None
        if enterprise is None:
            raise Forbidden("This account belongs to no enterprise.")
        return Heading(**base, scope=enterprise.name, enterprise=enterprise.name, principal=enterprise.contact_name)
    area = session.scalar(select(Area.name).where(Area.path == actor.area_path)) if actor.area_path else None
    return Heading(**base, scope=area or "全部区域", unit=area)


def quarterly_table(session: Session, actor: Actor, year: int, quarter: int, now: datetime) -> tuple[Heading, Table]:
    """The table for the caller's scope, and its heading. Supervisors, admins and enterprise officers."""
    if actor.role not in READERS:
        raise Forbidden("The quarterly statistics table is filed by supervisors and by enterprises.")
    return heading(session, actor, year, quarter, now), tabulate(hazards(session, actor, year, quarter))
