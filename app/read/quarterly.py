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


def _hazards_query(actor: Actor, start: datetime, end: datetime):
    """One grouped pass over the quarter's findings' events finds, per finding, its last event recorded before
    the end (or its report, if that came late) and its last plan by then; the rows then join those two events
    and the latest listing made by the end, and the findings are counted per cell in SQL. (Three correlated
    look-ups per finding, each row sent to Python, took 3.7-5.2 s at 250,000 findings on PostgreSQL; this about
    1 s.)"""
    e = FindingEvent
    before_end = e.received_at < end
    quarter = (
        select(
            Finding.id,
            Finding.number,
            Finding.level,
            Finding.enterprise_id,
            func.max(e.seq).filter(or_(before_end, e.seq == 1)).label("state_seq"),
            func.max(e.seq).filter(and_(before_end, e.action == Action.SUBMIT_PLAN.value)).label("plan_seq"),
        )
        .join(e, e.finding_id == Finding.id)
        .where(finding_scope(actor), Finding.observed_at >= start, Finding.observed_at < end)
        .group_by(Finding.id, Finding.number, Finding.level, Finding.enterprise_id)
        .subquery("quarter")
    )
    latest = (
        select(Supervision.finding_id, func.max(Supervision.id).label("listing_id"))
        .where(Supervision.listed_at < end)
        .group_by(Supervision.finding_id)
        .subquery("latest_listing")
    )
    listed = Listing.level.label("listed")
    return (
        select(
            func.count().label("count"),
            func.max(quarter.c.number).label("number"),
            quarter.c.level,
            Enterprise.sector,
            StateEvent.to_state,
            listed,
            PlanEvent.payload,
        )
        .select_from(quarter)
        .join(StateEvent, and_(StateEvent.finding_id == quarter.c.id, StateEvent.seq == quarter.c.state_seq))
        .outerjoin(PlanEvent, and_(PlanEvent.finding_id == quarter.c.id, PlanEvent.seq == quarter.c.plan_seq))
        .outerjoin(latest, latest.c.finding_id == quarter.c.id)
        .outerjoin(Listing, Listing.id == latest.c.listing_id)
        .outerjoin(Enterprise, Enterprise.id == quarter.c.enterprise_id)
        # the findings without a plan in as many rows as there are cells they fall in; each plan a row of its own
        # (its event's id is the key, so the payload may be selected beside it)
        .group_by(quarter.c.level, Enterprise.sector, StateEvent.to_state, listed, PlanEvent.id)
    )


def hazards(session: Session, actor: Actor, year: int, quarter: int) -> list[Hazard]:
    start, end = quarter_bounds(year, quarter)
    rows = session.connection().execute(_hazards_query(actor, start, end)).all()
    return [
        Hazard(r.number, r.sector, r.level, r.to_state, (r.payload or {}).get("plan"), r.listed, r.count)
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
