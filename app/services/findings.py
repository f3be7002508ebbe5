"""report_finding: the create, idempotent on the client's UUID."""

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import default_deadline, local_today, reference_day
from app.domain.errors import Conflict, RuleViolation
from app.domain.lifecycle import check_report
from app.domain.terms import Action, Level, RectifyMode, State
from app.models import Finding, User
from app.services.fingerprint import fingerprint, jsonable
from app.services.history import append_event
from app.services.lookups import category_by_code, criterion_by_code, visible_enterprise
from app.services.numbers import district_code, next_number
from app.services.photos import declare_photos

CLOCK_SKEW_ALLOWED_S = 600


def derived_event_id(finding_id: uuid.UUID, action: Action) -> uuid.UUID:
    """Events the create makes itself get ids the client can predict: the same on every retry."""
    return uuid.uuid5(finding_id, action.value)


def report_finding(session: Session, actor: Actor, data: dict, *, now: datetime) -> tuple[Finding, bool]:
    """Create a finding; return (finding, created). A retry of the same create returns the original."""
    observed_at = data.get("observed_at") or now
    if (observed_at - now).total_seconds() > CLOCK_SKEW_ALLOWED_S:
        raise RuleViolation("The observation time is in the future.", {"observed_at": "Check the device clock."})
    today = reference_day(observed_at, now)
    to_state = check_report(actor, data, today)
    request_hash = fingerprint(actor.id, data)
    finding = _new_finding(session, actor, data, now=now, observed_at=observed_at, today=today)
    finding.request_hash = request_hash
    finding.status = to_state.value
    try:
        with session.begin_nested():
            finding.number = next_number(session, district_code(finding.area_path), local_today(now).year)
            session.add(finding)
            session.flush()
    except IntegrityError:
        # The unique key says the id exists: a retry (same content, same reporter) or a clash.
        original = session.get(Finding, data["id"])
        if original is None:
            raise
        if original.request_hash == request_hash:
            return original, False
        raise Conflict("This finding id was already used for a different finding.") from None
    _record_creation(session, actor, finding, data, now)
    declare_photos(session, finding, data.get("photo_ids") or [], "evidence", now)
    declare_photos(session, finding, (data.get("rectification") or {}).get("photo_ids") or [], "rectification", now)
    return finding, True


def _new_finding(session, actor, data, *, now, observed_at, today) -> Finding:
    level = Level(data.get("level") or Level.GENERAL)
    mode = RectifyMode(data.get("rectify_mode") or RectifyMode.DEADLINE)
    enterprise = visible_enterprise(session, actor, data["enterprise_id"]) if data.get("enterprise_id") else None
    basis = data.get("major_basis") if level is Level.MAJOR else None
    deadline = data.get("deadline")
    if deadline is None and enterprise is not None:
        deadline = today if mode is RectifyMode.IMMEDIATE else default_deadline(level, today)
    location = data.get("location") or {}
    return Finding(
        id=data["id"],
        enterprise_id=enterprise.id if enterprise else None,
        area_id=enterprise.area_id if enterprise else _home_area_id(session, actor),
        area_path=enterprise.area_path if enterprise else actor.area_path,
        category_id=category_by_code(session, data["category"]).id,
        level=level.value,
        nature=data.get("nature"),
        title=data["title"].strip(),
        description=(data.get("description") or "").strip(),
        lat=location.get("lat"),
        lng=location.get("lng"),
        accuracy_m=location.get("accuracy_m"),
        location_source=location.get("source"),
        address=data.get("address") or "",
        observed_at=observed_at,
        received_at=now,
        updated_at=now,
        reporter_id=actor.id,
        rectify_mode=mode.value,
        deadline=deadline,
        criterion_id=criterion_by_code(session, basis["criterion"]).id if basis else None,
        major_clause=basis["clause"].strip() if basis else None,
        version=1,
        events_count=1,
    )


def _home_area_id(session: Session, actor: Actor) -> int:
    return session.get(User, actor.id).area_id


def _record_creation(session: Session, actor: Actor, finding: Finding, data: dict, now: datetime) -> None:
    """The history starts with the report; a fix on the spot adds its rectification at once."""
    fix = data.get("rectification")
    first_state = State.RECTIFYING if fix else State(finding.status)
    steps = [(Action.REPORT, None, first_state, jsonable({k: v for k, v in data.items() if k != "id"}))]
    if fix:
        finding.rectification_measures = fix["measures"].strip()
        finding.rectified_on = fix["completed_on"]
        finding.rectified_at = now
        finding.rectified_by_id = actor.id
        steps.append((Action.SUBMIT_RECTIFICATION, first_state, State.PENDING_REVIEW, jsonable(fix)))
    for seq, (action, from_state, to_state, payload) in enumerate(steps, start=1):
        finding.events_count = finding.version = seq
        append_event(
            session,
            finding,
            actor,
            event_id=derived_event_id(finding.id, action),
            action=action,
            from_state=from_state,
            to_state=to_state,
            payload=payload,
            request_hash=finding.request_hash,
            now=now,
            client_at=data.get("observed_at"),
            location=data.get("location"),
        )
    session.flush()
