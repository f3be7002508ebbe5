"""The 台账's rows: every finding a filter selects in the caller's scope, newest received first, read in batches
(a server-side cursor on PostgreSQL, yield_per on SQLite), never all at once: an export of any size holds one
batch in memory. The filters and the scope are the list's own (read.filters, read.scope)."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from app.domain.actors import Actor
from app.domain.terms import ExtensionStatus, Role
from app.models import Area, Enterprise, ExtensionRequest, Finding, User
from app.read.filters import FindingFilter, area_path, filtered
from app.read.rows import finding_rows
from app.read.scope import finding_scope
from app.services.bulk import among
from app.services.reference_cache import reference_lists

BATCH = 1000  # rows fetched at a time: the memory an export holds, whatever its length
Reviewer = aliased(User, name="reviewer")

# finding_rows' columns, the enterprise's sector and the name of whoever last reviewed it (验收人)
_LEDGER_ROWS = (
    finding_rows()
    .add_columns(
        Enterprise.sector.label("enterprise_sector"),
        func.coalesce(func.nullif(Reviewer.display_name, ""), Reviewer.username).label("reviewer_name"),
    )
    .outerjoin(Reviewer, Reviewer.id == Finding.reviewed_by_id)
)


@dataclass(frozen=True)
class LedgerRow:
    finding: Mapping  # finding_rows' columns, enterprise_sector, reviewer_name
    approved: tuple  # its approved extensions as (previous deadline, granted deadline), oldest first


@dataclass(frozen=True)
class Scope:
    """Whose ledger it is, for the file's name: an area, an enterprise, or everything (an admin)."""

    name: str  # 湖里区, the enterprise's name, 全部
    tag: str  # the same in ASCII for the plain filename: the area's code, the credit code, "all"


@dataclass
class Ledger:
    rows: Iterator[LedgerRow]  # streamed: iterate once, inside the request
    scope: Scope
    categories: Mapping[int, Mapping]
    criteria: Mapping[int, Mapping]
    area_names: Mapping[str, str]  # code -> name, for the 所在区域 column


def open_ledger(
    session: Session, actor: Actor, filters: FindingFilter, today: date, *, located_only: bool = False
) -> Ledger:
    """The ledger of `filters` for `actor`. Everything that can refuse (an unknown category or area) is checked
    here, before the first row is read, so a bad filter is a 422 and never a broken download."""
    statement = ledger_statement(session, actor, filters, today, located_only=located_only)
    refs = reference_lists(session)
    return Ledger(
        rows=_stream(session, statement, with_extensions=not located_only),
        scope=scope_of(session, actor, filters),
        categories=refs.categories,
        criteria=refs.criteria,
        area_names=dict(session.connection().execute(select(Area.code, Area.name)).all()),
    )


def ledger_statement(
    session: Session, actor: Actor, filters: FindingFilter, today: date, *, located_only: bool = False
) -> Select:
    query = filtered(session, _LEDGER_ROWS.where(finding_scope(actor)), actor, filters, today)
    if located_only:
        query = query.where(Finding.lat.is_not(None), Finding.lng.is_not(None))
    # the list's default order, and its index: newest received first, the id breaking ties
    return query.order_by(Finding.received_at.desc(), Finding.id.desc())


def _stream(session: Session, statement: Select, *, with_extensions: bool) -> Iterator[LedgerRow]:
    result = session.connection().execute(statement.execution_options(yield_per=BATCH))
    try:
        for batch in result.partitions():
            approved = _approved(session, [row.id for row in batch]) if with_extensions else {}
            for row in batch:
                yield LedgerRow(row._mapping, approved.get(row.id, ()))
    finally:
        result.close()  # the server-side cursor, also when the client goes away mid-download


def _approved(session: Session, finding_ids: list) -> dict:
    """The approved extensions of one batch's findings, by finding: one query per batch, not per row."""
    found: dict = {}
    columns = (ExtensionRequest.finding_id, ExtensionRequest.previous_deadline, ExtensionRequest.granted_deadline)
    for condition in among(session, ExtensionRequest.finding_id, finding_ids):
        query = (
            select(*columns)
            .where(condition, ExtensionRequest.status == ExtensionStatus.APPROVED.value)
            .order_by(ExtensionRequest.id)
        )
        for finding_id, previous, granted in session.connection().execute(query):
            found[finding_id] = (*found.get(finding_id, ()), (previous, granted))
    return found


def scope_of(session: Session, actor: Actor, filters: FindingFilter) -> Scope:
    """The filtered area if there is one, else the caller's own: their area, their enterprise, or 全部."""
    if filters.area:
        path = area_path(session, filters.area)
        return Scope(session.scalar(select(Area.name).where(Area.path == path)), filters.area)
    if actor.role is Role.ENTERPRISE_OFFICER and actor.enterprise_id is not None:
        name, code = session.execute(
            select(Enterprise.name, Enterprise.credit_code).where(Enterprise.id == actor.enterprise_id)
        ).one()
        return Scope(name, code)
    if actor.area_path:
        name, code = session.execute(select(Area.name, Area.code).where(Area.path == actor.area_path)).one()
        return Scope(name, code)
    return Scope("全部", "all")
