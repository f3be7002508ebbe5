"""Escalations are part of the record: each step an overdue finding climbs (street, district, city) is an
`escalate` event in its history, written by the system actor in the deadline job's transaction.

Each step's event id is derived from the notice's key (finding, rule, due moment), so a second run, or a second
host, finds it written: the findings are locked first (FOR UPDATE on PostgreSQL, SQLite's write lock), which
makes the second host wait for the first to commit and then see its events. Like a photo's arrival, an
escalation leaves the version alone (an officer's queued rectification must not turn stale because the street
was told) but moves `updated_at`, so /sync hands the new history out.
"""

import uuid
from datetime import datetime

from sqlalchemy import Integer, Uuid, bindparam, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import days_overdue, local_today
from app.domain.deadlines import Notice
from app.domain.terms import Action, State
from app.models import Finding, FindingEvent
from app.models.types import UTCDateTime
from app.services.actors import system_actor
from app.services.bulk import among, insert_rows
from app.services.history import event_values

LEVELS = {"escalated_street": "street", "escalated_district": "district", "escalated_city": "city"}
RECTIFYING = State.RECTIFYING.value
_BUMP = (
    update(Finding.__table__)
    .where(Finding.__table__.c.id == bindparam("finding_id"))
    .values(events_count=bindparam("events_count"), updated_at=bindparam("updated_at"))
)
# PostgreSQL: the same UPDATE as one statement over arrays rather than one per finding (docs/benchmarks.md)
_BUMP_PG = text(
    "UPDATE findings SET events_count = v.events_count, updated_at = :updated_at "
    "FROM unnest(CAST(:ids AS UUID[]), CAST(:counts AS INTEGER[])) AS v(id, events_count) WHERE findings.id = v.id"
).bindparams(
    bindparam("ids", type_=postgresql.ARRAY(Uuid())),
    bindparam("counts", type_=postgresql.ARRAY(Integer())),
    bindparam("updated_at", type_=UTCDateTime()),
)


def escalation_id(notice: Notice) -> uuid.UUID:
    step = f"{Action.ESCALATE.value}:{notice.rule}:{notice.due_at.isoformat()}"
    return uuid.uuid5(uuid.UUID(notice.finding_id), step)


def record_escalations(session: Session, notices: list[tuple[Finding, Notice]], now: datetime) -> int:
    """One `escalate` event per escalation notice not yet in its finding's history; returns how many."""
    steps = [(finding, notice) for finding, notice in notices if notice.rule in LEVELS]
    if not steps:
        return 0
    now_held = _lock(session, sorted({finding.id for finding, _ in steps}))
    ids = [escalation_id(n) for _, n in steps]  # a uuid5 each: made once per step
    known = _known(session, ids)
    actor = system_actor(session)
    events, bumped = [], {}
    climb = list(LEVELS)  # on a shared morning the history reads street, district, city
    order = sorted(range(len(steps)), key=lambda i: (steps[i][1].due_at, climb.index(steps[i][1].rule)))
    for i in order:
        (finding, notice), event_id = steps[i], ids[i]
        held = now_held[finding.id]
        if event_id in known or held["status"] != RECTIFYING:  # written, or acted on meanwhile
            continue
        known.add(event_id)
        held["events_count"] += 1
        bumped[finding.id] = held["events_count"]
        events.append(_event(actor, finding, notice, event_id, held, now))
    insert_rows(session, FindingEvent.__table__, events)  # 9,080 events at 1,000,000 findings
    if bumped and session.get_bind().dialect.name == "postgresql":
        session.execute(_BUMP_PG, {"ids": list(bumped), "counts": list(bumped.values()), "updated_at": now})
    elif bumped:
        session.execute(_BUMP, [{"finding_id": i, "events_count": n, "updated_at": now} for i, n in bumped.items()])
    return len(events)


def _lock(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """Lock the findings, in id order (two hosts lock in the same order and cannot deadlock), and read what the
    events need of them under the lock: a finding acted on since the job read it has moved on."""
    held = {}
    columns = (Finding.id, Finding.status, Finding.version, Finding.events_count)
    for these in among(session, Finding.id, ids):
        query = select(*columns).where(these).order_by(Finding.id)
        for row in session.execute(query.with_for_update()):
            held[row.id] = {"status": row.status, "version": row.version, "events_count": row.events_count}
    return held


def _known(session: Session, event_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    found = set()
    for these in among(session, FindingEvent.id, event_ids):
        query = select(FindingEvent.id).where(these)
        found.update(session.scalars(query))
    return found


def _event(actor: Actor, finding: Finding, notice: Notice, event_id: uuid.UUID, held: dict, now: datetime) -> dict:
    status = State(finding.status)
    payload = {
        "rule": notice.rule,
        "level": LEVELS[notice.rule],
        "days_overdue": days_overdue(status, finding.deadline, local_today(notice.due_at)),
        "deadline": finding.deadline.isoformat(),
        "area_path": notice.area_path,
        "due_at": notice.due_at.isoformat(),
    }
    return event_values(
        finding.id,
        actor,
        seq=held["events_count"],
        version=held["version"],
        event_id=event_id,
        action=Action.ESCALATE,
        from_state=status,
        to_state=status,
        payload=payload,
        request_hash=event_id.hex,
        now=now,
    )
