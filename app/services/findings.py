"""report_finding: the create, idempotent on the client's UUID.

The create is the hot write path (a phone back in signal sends its whole outbox), so its statements are built
once and run on the session's connection, in the session's transaction: the ORM's unit of work and execution
layer would cost more than the statements themselves.
"""

import uuid
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import default_deadline, local_today, reference_day
from app.domain.errors import RuleViolation
from app.domain.lifecycle import check_report
from app.domain.terms import Action, Level, RectifyMode, Role, State
from app.models import Finding, FindingEvent, User
from app.services.event_notices import Subject, notify_event
from app.services.fingerprint import fingerprint, jsonable
from app.services.history import event_values
from app.services.lookups import category_id, citable_criterion, foreign_id, visible_enterprise
from app.services.numbers import district_code, next_number
from app.services.photos import declare_photos

CLOCK_SKEW_ALLOWED_S = 600
_STORED_HASH = select(Finding.request_hash).where(Finding.id == bindparam("id"))
_INSERT_FINDING = insert(Finding.__table__)
_INSERT_EVENTS = insert(FindingEvent.__table__)


def derived_event_id(finding_id: uuid.UUID, action: Action) -> uuid.UUID:
    """Events the create makes itself get ids the client can predict: the same on every retry."""
    return uuid.uuid5(finding_id, action.value)


def report_finding(session: Session, actor: Actor, data: dict, *, now: datetime) -> tuple[uuid.UUID, bool]:
    """Create a finding; return (its id, created). A retry of the same create returns the original's id."""
    observed_at = data.get("observed_at") or now
    if (observed_at - now).total_seconds() > CLOCK_SKEW_ALLOWED_S:
        raise RuleViolation("The observation time is in the future.", {"observed_at": "Check the device clock."})
    today = reference_day(observed_at, now)
    to_state = check_report(actor, data, today, local_today(observed_at))
    # Left out, the mode is "deadline": said here rather than by the schema, so that a grid worker's report can
    # be told apart from one that sets it (and a retry hashes as it did when the schema filled it in).
    data = {**data, "rectify_mode": data.get("rectify_mode") or RectifyMode.DEADLINE.value}
    request_hash = fingerprint(actor.id, data)
    if _is_retry(session, actor, data["id"], request_hash):
        return data["id"], False
    row = _finding_row(session, actor, data, now=now, observed_at=observed_at, today=today)
    row.update(request_hash=request_hash, status=to_state.value, triaged=to_state is not State.REPORTED)
    events = _creation_events(actor, row, data, now)
    try:
        with session.begin_nested():
            # The ledger's year is the year the hazard was seen (a find on 31 December sent on 2 January is
            # last year's), in Asia/Shanghai.
            row["number"] = next_number(session, district_code(row["area_path"]), local_today(observed_at).year)
            session.connection().execute(_INSERT_FINDING, row)
    except IntegrityError:
        # PostgreSQL let a concurrent create of the same id look before either inserted; it won.
        if not _is_retry(session, actor, data["id"], request_hash):
            raise
        return data["id"], False
    session.connection().execute(_INSERT_EVENTS, events)
    if to_state is not State.REPORTED:  # an order (or a fix on the spot to approve); a report waits for triage
        notify_event(session, actor, Action.REPORT, _subject(row), from_state=None, now=now)
    fix_photos = (data.get("rectification") or {}).get("photo_ids") or []
    declare_photos(session, actor, row["id"], data.get("photo_ids") or [], "evidence", now)
    declare_photos(session, actor, row["id"], fix_photos, "rectification", now, round=1 if fix_photos else None)
    return row["id"], True


def _subject(row: dict) -> Subject:
    return Subject(row["id"], row["number"], row["title"], State(row["status"]), row["deadline"], row["area_path"],
                   row["enterprise_id"], row["reporter_id"], row["received_at"])  # fmt: skip


def _is_retry(session: Session, actor: Actor, finding_id: uuid.UUID, request_hash: str) -> bool:
    """True when this create already happened; Conflict when the id was used for something else (NotFound when
    that something is a finding the actor may not see: its id is an unknown id to them)."""
    stored = session.connection().execute(_STORED_HASH, {"id": finding_id}).scalar()
    if stored is not None and stored != request_hash:
        raise foreign_id(session, actor, finding_id, "finding", {"id": "Make a new id for this finding."})
    return stored is not None


def _finding_row(session, actor, data, *, now, observed_at, today) -> dict:
    level = Level(data.get("level") or Level.GENERAL)
    mode = RectifyMode(data.get("rectify_mode") or RectifyMode.DEADLINE)
    enterprise = visible_enterprise(session, actor, data["enterprise_id"]) if data.get("enterprise_id") else None
    basis = data.get("major_basis") if level is Level.MAJOR else None
    deadline = data.get("deadline")
    if deadline is None and actor.role is not Role.GRID_WORKER:  # a grid worker's report waits for its terms
        deadline = today if mode is RectifyMode.IMMEDIATE else default_deadline(level, today)
    location = data.get("location") or {}
    return {
        "id": data["id"],
        "enterprise_id": enterprise.id if enterprise else None,
        "area_id": enterprise.area_id if enterprise else _home_area_id(session, actor),
        "area_path": enterprise.area_path if enterprise else actor.area_path,
        "category_id": category_id(session, data["category"]),
        "level": level.value,
        "nature": data.get("nature"),
        "title": data["title"].strip(),
        "description": (data.get("description") or "").strip(),
        "lat": location.get("lat"),
        "lng": location.get("lng"),
        "accuracy_m": location.get("accuracy_m"),
        "location_source": location.get("source"),
        "address": data.get("address") or "",
        "observed_at": observed_at,
        "received_at": now,
        "updated_at": now,
        "reporter_id": actor.id,
        "rectify_mode": mode.value,
        "deadline": deadline,
        "criterion_id": citable_criterion(session, basis["criterion"], today).id if basis else None,
        "major_clause": basis["clause"].strip() if basis else None,
        "extension_pending": False,
        "plan_complete": False,
        "rectification_round": 0,
        "after_photos_owed": 0,
        # a failed checklist item's finding (services.inspections): the inspection and the item it came from
        "inspection_id": data.get("inspection_id"),
        "checklist_item_id": data.get("checklist_item_id"),
    }


def _home_area_id(session: Session, actor: Actor) -> int:
    return session.get(User, actor.id).area_id


def _creation_events(actor: Actor, row: dict, data: dict, now: datetime) -> list[dict]:
    """The history starts with the report; a fix on the spot adds its rectification at once (and fills the
    finding's rectification columns in `row`)."""
    fix = data.get("rectification")
    first_state = State.RECTIFYING if fix else State(row["status"])
    steps = [(Action.REPORT, None, first_state, jsonable({k: v for k, v in data.items() if k != "id"}))]
    if fix:
        row.update(
            rectification_round=1,
            after_photos_owed=len(set(fix.get("photo_ids") or ())),
            rectification_measures=fix["measures"].strip(),
            rectified_on=fix["completed_on"],
            rectified_at=now,
            rectified_by_id=actor.id,
        )
        steps.append((Action.SUBMIT_RECTIFICATION, first_state, State.PENDING_REVIEW, jsonable(fix)))
    row["events_count"] = row["version"] = len(steps)
    return [
        event_values(
            row["id"],
            actor,
            seq=seq,
            version=seq,
            event_id=derived_event_id(row["id"], action),
            action=action,
            from_state=from_state,
            to_state=to_state,
            payload=payload,
            request_hash=row["request_hash"],
            now=now,
            client_at=data.get("observed_at"),
            location=data.get("location"),
        )
        for seq, (action, from_state, to_state, payload) in enumerate(steps, start=1)
    ]
