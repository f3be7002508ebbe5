"""Listing findings: filters, the caller's scope, and keyset pagination (no OFFSET, ever)."""

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, Uuid, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import OVERDUE_STATE
from app.domain.errors import RuleViolation
from app.models import Area, Category, Finding
from app.models.types import UTCDateTime
from app.services.lookups import finding_scope
from app.services.presenting import finding_rows, read_rows


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


def encode_cursor(finding) -> str:
    raw = json.dumps([finding.received_at.isoformat(), finding.id.hex]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        received_at, finding_id = json.loads(base64.urlsafe_b64decode(padded))
        moment = datetime.fromisoformat(received_at)
        if moment.tzinfo is None:
            raise ValueError("a cursor's time carries its offset")
        return moment.astimezone(UTC), uuid.UUID(hex=finding_id)
    except (ValueError, TypeError, OverflowError):  # JSONDecodeError is a ValueError
        raise RuleViolation("The cursor is not one this API handed out.", {"cursor": "Invalid cursor."}) from None


def list_findings(
    session: Session, actor: Actor, filters: FindingFilter, *, limit: int, cursor: str | None, today: date
) -> tuple[list, str | None]:
    """One page of finding rows (see presenting.finding_rows), newest first, and the next page's cursor."""
    query = _filtered(session, finding_rows().where(finding_scope(actor)), actor, filters, today)
    if cursor:
        received_at, finding_id = decode_cursor(cursor)
        # Typed binds: an untyped literal in a tuple comparison skips the UTC conversion of the column type.
        position = tuple_(literal(received_at, UTCDateTime()), literal(finding_id, Uuid()))
        query = query.where(tuple_(Finding.received_at, Finding.id) < position)
    query = query.order_by(Finding.received_at.desc(), Finding.id.desc()).limit(limit + 1)
    rows = read_rows(session, query)
    page, more = rows[:limit], len(rows) > limit
    return page, encode_cursor(page[-1]) if more and page else None


def _filtered(session: Session, query: Select, actor: Actor, f: FindingFilter, today: date) -> Select:
    if f.status:
        query = query.where(Finding.status.in_(f.status))
    if f.level:
        query = query.where(Finding.level == f.level)
    if f.category:
        query = query.where(Finding.category_id == _category_id(session, f.category))
    if f.enterprise_id is not None:
        query = query.where(Finding.enterprise_id == f.enterprise_id)
    if f.area:
        query = query.where(Finding.area_path.startswith(_area_path(session, f.area), autoescape=True))
    if f.overdue is not None:
        overdue = overdue_clause(today)
        query = query.where(overdue if f.overdue else ~overdue | Finding.deadline.is_(None))
    if f.reported_by_me:
        query = query.where(Finding.reporter_id == actor.id)
    if f.q:
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
    return query


def overdue_clause(today: date):
    """逾期 in SQL: the twin of domain.calendar.days_overdue, for every list, filter and count."""
    return (Finding.status == OVERDUE_STATE.value) & (Finding.deadline < today)


def _category_id(session: Session, code: str) -> int:
    category_id = session.scalar(select(Category.id).where(Category.code == code))
    if category_id is None:
        raise RuleViolation("Unknown category.", {"category": f"'{code}' is not a hazard category."})
    return category_id


def _area_path(session: Session, code: str) -> str:
    path = session.scalar(select(Area.path).where(Area.code == code))
    if path is None:
        raise RuleViolation("Unknown area.", {"area": f"'{code}' is not an area code."})
    return path
