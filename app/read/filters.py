"""The list filters: one definition of each, shared by the list, the statistics, the exports and the map.

A test (tests/api/test_filter_parity.py) holds the list's rows and the statistics' counts of every filter to each
other, so no screen can count what another does not list.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import OVERDUE_STATE, SHANGHAI
from app.domain.errors import RuleViolation
from app.models import Area, Category, Finding


@dataclass(frozen=True)
class FindingFilter:
    status: tuple[str, ...] = ()
    level: str | None = None
    category: str | None = None
    enterprise_id: int | None = None
    area: str | None = None
    overdue: bool | None = None
    reported_by_me: bool = False
    q: str | None = None
    updated_since: datetime | None = None
    observed_from: date | None = None  # 发现时间 on or after this day, in Asia/Shanghai
    observed_to: date | None = None  # ... and on or before this one


def filtered(session: Session, query: Select, actor: Actor, f: FindingFilter, today: date) -> Select:
    """`query` (over findings) narrowed by every filter set in `f`. Scope is not a filter: callers add it."""
    if f.status:
        query = query.where(Finding.status.in_(f.status))
    if f.level:
        query = query.where(Finding.level == f.level)
    if f.category:
        query = query.where(Finding.category_id == _category_id(session, f.category))
    if f.enterprise_id is not None:
        query = query.where(Finding.enterprise_id == f.enterprise_id)
    if f.area:
        query = query.where(Finding.area_path.startswith(area_path(session, f.area), autoescape=True))
    if f.overdue is not None:
        overdue = overdue_clause(today)
        query = query.where(overdue if f.overdue else ~overdue | Finding.deadline.is_(None))
    if f.reported_by_me:
        query = query.where(Finding.reporter_id == actor.id)
    if f.q and f.q.strip():
        pattern = f"%{f.q.strip()}%"
        query = query.where(
            or_(
                Finding.title.ilike(pattern),
                Finding.description.ilike(pattern),
                Finding.number.ilike(pattern),
                Finding.address.ilike(pattern),
            )
        )
    if f.updated_since:
        query = query.where(Finding.updated_at > f.updated_since)
    if f.observed_from:
        query = query.where(Finding.observed_at >= local_midnight(f.observed_from))
    if f.observed_to:
        query = query.where(Finding.observed_at < local_midnight(f.observed_to + timedelta(days=1)))
    return query


def overdue_clause(today: date):
    """逾期 in SQL: the twin of domain.calendar.days_overdue, for every list, filter, count and export."""
    return (Finding.status == OVERDUE_STATE.value) & (Finding.deadline < today)


def local_midnight(day: date) -> datetime:
    """The start of `day` in Asia/Shanghai, as the UTC moment the columns hold."""
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC)


def date_range_problem(observed_from: date | None, observed_to: date | None) -> dict | None:
    if observed_from and observed_to and observed_from > observed_to:
        return {"to": "The end of the range comes before its start."}
    return None


def _category_id(session: Session, code: str) -> int:
    category_id = session.scalar(select(Category.id).where(Category.code == code))
    if category_id is None:
        raise RuleViolation("Unknown category.", {"category": f"'{code}' is not a hazard category."})
    return category_id


def area_path(session: Session, code: str) -> str:
    path = session.scalar(select(Area.path).where(Area.code == code))
    if path is None:
        raise RuleViolation("Unknown area.", {"area": f"'{code}' is not an area code."})
    return path
