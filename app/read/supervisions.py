"""The 挂牌督办 register: listings in the caller's area, newest first, keyset paged (no OFFSET).

Each row carries what the government watches: the finding's number and enterprise, its basis (criterion and
clause), the 督办期限 (the finding's deadline, moved only by an approved extension), the days left or overdue,
and the listing itself.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, bindparam, literal, select, tuple_
from sqlalchemy.orm import Session, aliased

from app.domain.actors import Actor
from app.domain.calendar import SHANGHAI, days_overdue
from app.domain.errors import Forbidden
from app.domain.terms import Role, State
from app.models import Area, Enterprise, Finding, MajorCriterion, Supervision, User
from app.models.types import UTCDateTime
from app.read import cursors
from app.read.filters import area_path, overdue_clause
from app.read.scope import finding_scope

# Who keeps the register: the regulators' responsible officials, and the administrators.
REGISTER_READERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

ListedBy = aliased(User, name="listed_by")
DelistedBy = aliased(User, name="delisted_by")


@dataclass(frozen=True)
class RegisterFilter:
    level: str | None = None
    status: str | None = None
    area: str | None = None
    overdue: bool | None = None
    year: int | None = None


def _listing_columns() -> tuple:
    s = Supervision
    return (
        s.id.label("supervision_id"),
        s.finding_id,
        s.level.label("supervision_level"),
        s.authority,
        s.document_no,
        s.leader,
        s.public,
        s.lead_department,
        s.status.label("supervision_status"),
        s.listed_at,
        s.listed_by_id,
        ListedBy.display_name.label("listed_by_name"),
        s.delisted_at,
        s.delisted_by_id,
        DelistedBy.display_name.label("delisted_by_name"),
        s.listed_event_id,
        s.delisted_event_id,
    )


_LISTINGS = (
    select(*_listing_columns())
    .join(ListedBy, ListedBy.id == Supervision.listed_by_id)
    .outerjoin(DelistedBy, DelistedBy.id == Supervision.delisted_by_id)
)
_REGISTER = (
    _LISTINGS.add_columns(
        Finding.number,
        Finding.title,
        Finding.status,
        Finding.deadline,
        Finding.major_clause,
        Finding.enterprise_id,
        Enterprise.name.label("enterprise_name"),
        Area.code.label("area_code"),
        Area.name.label("area_name"),
        MajorCriterion.code.label("criterion_code"),
        MajorCriterion.title.label("criterion_title"),
        MajorCriterion.document_number.label("criterion_document_number"),
    )
    .join(Finding, Finding.id == Supervision.finding_id)
    .join(Area, Area.id == Finding.area_id)
    .outerjoin(Enterprise, Enterprise.id == Finding.enterprise_id)
    .outerjoin(MajorCriterion, MajorCriterion.id == Finding.criterion_id)
)
_OF_FINDING = _LISTINGS.where(Supervision.finding_id == bindparam("finding_id")).order_by(Supervision.id.desc())


def listing(m) -> dict:
    """The listing part of a row (a register row, or a finding's own listing)."""
    delisted_by = None if m["delisted_by_id"] is None else {"id": m["delisted_by_id"], "name": m["delisted_by_name"]}
    return {
        "id": m["supervision_id"],
        "level": m["supervision_level"],
        "authority": m["authority"],
        "document_no": m["document_no"],
        "leader": m["leader"],
        "public": m["public"],
        "lead_department": m["lead_department"],
        "status": m["supervision_status"],
        "listed_at": m["listed_at"],
        "listed_by": {"id": m["listed_by_id"], "name": m["listed_by_name"]},
        "delisted_at": m["delisted_at"],
        "delisted_by": delisted_by,
    }


def current_supervision(session: Session, finding_id: uuid.UUID) -> dict | None:
    """The finding's latest listing (open, or ended by its approval), None if it was never listed."""
    row = session.connection().execute(_OF_FINDING, {"finding_id": finding_id}).first()
    return None if row is None else listing(row._mapping)


def days_left(status: State, deadline: date | None, today: date) -> int | None:
    """Whole days until the 督办期限 while the hazard is open and not yet overdue; None otherwise."""
    if deadline is None or status not in (State.RECTIFYING, State.PENDING_REVIEW) or deadline < today:
        return None
    return (deadline - today).days


def present_row(row, today: date) -> dict:
    m = row._mapping
    status = State(m["status"])
    late = days_overdue(status, m["deadline"], today)
    basis = enterprise = None
    if m["enterprise_id"] is not None:
        enterprise = {"id": m["enterprise_id"], "name": m["enterprise_name"]}
    if m["criterion_code"] is not None:
        basis = {
            "criterion": m["criterion_code"],
            "title": m["criterion_title"],
            "document_number": m["criterion_document_number"],
            "clause": m["major_clause"],
        }
    return {
        "finding": {
            "id": m["finding_id"],
            "number": m["number"],
            "title": m["title"],
            "status": m["status"],
            "enterprise": enterprise,
            "area": {"code": m["area_code"], "name": m["area_name"]},
            "major_basis": basis,
        },
        "deadline": m["deadline"],
        "overdue": late > 0,
        "days_overdue": late,
        "days_left": days_left(status, m["deadline"], today),
        "supervision": listing(m),
    }


REGISTER_CURSOR = ("register", ("moment", "int"))  # (listed_at, supervision id), newest first


def encode_cursor(row) -> str:
    return cursors.encode(*REGISTER_CURSOR, (row.listed_at, row.supervision_id))


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    listed_at, supervision_id = cursors.decode(*REGISTER_CURSOR, cursor)
    return listed_at, supervision_id


def register(
    session: Session, actor: Actor, filters: RegisterFilter, *, limit: int, cursor: str | None, today: date
) -> tuple[list[dict], str | None]:
    """One page of the register (newest listing first) and the next page's cursor."""
    if actor.role not in REGISTER_READERS:
        raise Forbidden("The register of listed hazards (挂牌督办) is kept by supervisors.")
    query = _filtered(session, _REGISTER.where(finding_scope(actor)), filters, today)
    if cursor:
        listed_at, supervision_id = decode_cursor(cursor)
        position = tuple_(literal(listed_at, UTCDateTime()), literal(supervision_id))
        query = query.where(tuple_(Supervision.listed_at, Supervision.id) < position)
    query = query.order_by(Supervision.listed_at.desc(), Supervision.id.desc()).limit(limit + 1)
    rows = session.connection().execute(query).all()
    page, more = rows[:limit], len(rows) > limit
    return [present_row(row, today) for row in page], encode_cursor(page[-1]) if more and page else None


def _filtered(session: Session, query: Select, f: RegisterFilter, today: date) -> Select:
    if f.level:
        query = query.where(Supervision.level == f.level)
    if f.status:
        query = query.where(Supervision.status == f.status)
    if f.area:
        query = query.where(Finding.area_path.startswith(area_path(session, f.area), autoescape=True))
    if f.overdue is not None:
        overdue = overdue_clause(today)
        query = query.where(overdue if f.overdue else ~overdue | Finding.deadline.is_(None))
    if f.year is not None:
        start, end = (datetime.combine(date(y, 1, 1), time(), SHANGHAI).astimezone(UTC) for y in (f.year, f.year + 1))
        query = query.where(Supervision.listed_at >= start, Supervision.listed_at < end)
    return query
