"""Listing findings: the caller's scope, the filters, an order, and keyset pagination (no OFFSET, ever)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, Uuid, func, literal, tuple_
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.models import Finding
from app.models.types import UTCDateTime
from app.read import cursors
from app.read.filters import FindingFilter, filtered
from app.read.rows import finding_rows, read_rows
from app.read.scope import finding_scope

# A deadline-less finding sorts after every dated one, whichever way the deadline is sorted.
NO_DEADLINE_LAST = {True: date(9999, 12, 31), False: date(1, 1, 1)}


@dataclass(frozen=True)
class Order:
    """One order of the list: a column (or expression), its direction, and how its cursor writes the value."""

    key: str
    expression: object
    column_type: object
    kind: str
    ascending: bool

    @property
    def tag(self) -> str:
        return f"findings:{'' if self.ascending else '-'}{self.key}"


def _deadline(ascending: bool):
    return func.coalesce(Finding.deadline, literal(NO_DEADLINE_LAST[ascending], Date()))


ORDERS = {
    f"{'' if up else '-'}{key}": Order(key, expression, column_type, kind, up)
    for up in (True, False)
    for key, expression, column_type, kind in (
        ("received_at", Finding.received_at, UTCDateTime(), "moment"),
        ("observed_at", Finding.observed_at, UTCDateTime(), "moment"),
        ("deadline", _deadline(up), Date(), "date"),
    )
}
DEFAULT_ORDER = "-received_at"


def list_findings(
    session: Session,
    actor: Actor,
    filters: FindingFilter,
    *,
    limit: int,
    cursor: str | None,
    today: date,
    sort: str = DEFAULT_ORDER,
) -> tuple[list, str | None]:
    """One page of finding rows (see read.rows) in the order `sort` names, and the next page's cursor."""
    order = ORDERS[sort]
    query = filtered(session, finding_rows().where(finding_scope(actor)), actor, filters, today)
    key = tuple_(order.expression, Finding.id)
    if cursor:
        value, finding_id = cursors.decode(order.tag, (order.kind, "uuid"), cursor)
        # Typed binds: an untyped literal in a tuple comparison skips the UTC conversion of the column type.
        position = tuple_(literal(value, order.column_type), literal(finding_id, Uuid()))
        query = query.where(key > position if order.ascending else key < position)
    if order.ascending:
        query = query.order_by(order.expression, Finding.id)
    else:
        query = query.order_by(order.expression.desc(), Finding.id.desc())
    rows = read_rows(session, query.limit(limit + 1))
    page, more = rows[:limit], len(rows) > limit
    return page, encode_cursor(page[-1], sort) if more and page else None


def encode_cursor(row, sort: str = DEFAULT_ORDER) -> str:
    """The cursor that resumes after `row` (a finding row, or anything with its columns) in the order `sort`."""
    order = ORDERS[sort]
    m = row._mapping if hasattr(row, "_mapping") else {"received_at": row.received_at, "id": row.id}
    value = m[order.key]
    if order.key == "deadline" and value is None:
        value = NO_DEADLINE_LAST[order.ascending]
    return cursors.encode(order.tag, (order.kind, "uuid"), (value, m["id"]))
