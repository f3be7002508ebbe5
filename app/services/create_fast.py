"""The API's create: a new finding written and answered with as few trips to the database as it takes.

Every create is first a Draft (services.findings.draft_report: the rules, the fingerprint, the columns). A
new finding is written and answered from the written values (services.created); anything else (a retry, a
refusal, a lost race) is answered the way report_finding and the detail read answer it.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import local_today
from app.read.presenting import present_detail
from app.services.account_memory import StaleCredential
from app.services.accounts import same_account
from app.services.create_pg import create_on_postgres
from app.services.create_sqlite import create_alone_on_sqlite
from app.services.created import Reporter, present_written
from app.services.findings import Draft, draft_report, write_report
from app.services.prepared import driver_connection
from app.services.reference_cache import reference_lists


def create_finding(
    session: Session, actor: Actor, reporter: Reporter, data: dict, *, now: datetime, unverified=None, engine=None
):
    """(the finding's detail, created): 201 with the new finding, or 200 with the original for a retry.
    `unverified`: (token digest, account row) when the request was let in with a remembered account
    (accounts.remembered_account): StaleCredential when it has ended or changed, and nothing is written.
    `engine`, the session's, when the caller has it: a scoped session then makes its Session only if the create
    needs one (on SQLite a new finding does not; making it and closing it cost a create 3%)."""
    engine = engine or session.get_bind()
    draft = draft_report(actor, data, now=now)
    today, refs = local_today(now), reference_lists(session, engine)
    place, retry, verified = _fast(session, engine, draft, refs, unverified)
    if unverified is not None and not verified and not same_account(session, *unverified, now=now):
        raise StaleCredential
    if place is None and not retry:
        session.rollback()  # the fast path wrote nothing (SQLite: gave its number back): a transaction of its own
        place = write_report(session, draft)
    if place is None:
        return present_detail(session, actor, draft.finding_id, today), False
    return present_written(draft, place, reporter, today, refs), True


def _fast(session: Session, engine, draft: Draft, refs, unverified) -> tuple:
    """(place or None, whether a retry, whether the remembered account was checked by the statement)."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        place, verified = create_alone_on_sqlite(session, engine, draft, refs, unverified)
        return place, False, verified
    if dialect == "postgresql":
        raw, dialect = driver_connection(session)
        return create_on_postgres(raw, dialect, draft, refs, unverified)
    return None, False, False
