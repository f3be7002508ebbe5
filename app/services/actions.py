"""apply_action: one event on a finding, idempotent on the event's client UUID, guarded by version."""

import uuid
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.actors import Actor
from app.domain.calendar import reference_day
from app.domain.errors import Forbidden, PhotosMissing, RuleViolation, Stale
from app.domain.extensions import settlement
from app.domain.lifecycle import ACTION_ROLES, check_payload_fields, decide
from app.domain.terms import Action, State
from app.models import Finding, FindingEvent
from app.services.documents import Press, sign_order
from app.services.effects import EFFECTS, settle_extension
from app.services.event_notices import Subject, notify_event
from app.services.facts import facts_of
from app.services.fingerprint import fingerprint, jsonable
from app.services.history import append_event
from app.services.lookups import foreign_id, visible_finding
from app.services.photos import missing_after_photos
from app.services.supervision import record_supervision

# A comment changes nothing the client acts on, so it neither needs nor bumps the version:
# an inspector's note must not make an officer's queued rectification stale.
UNVERSIONED = frozenset({Action.COMMENT})
ENVELOPE = ("id", "action", "version", "client_at", "location")


def apply_action(
    session: Session, actor: Actor, finding_id: uuid.UUID, data: dict, *, now: datetime, press: Press | None = None
) -> tuple[Finding, bool]:
    """Apply one action; return (finding, applied). A replayed event id applies nothing. `press` draws the signed
    copy of the order an acknowledged finding is in (services.documents.sign_order)."""
    finding = visible_finding(session, actor, finding_id, for_update=True)
    request_hash = fingerprint(actor.id, str(finding_id), data)
    earlier = session.get(FindingEvent, data["id"])
    if earlier is not None:
        if earlier.finding_id == finding.id and earlier.request_hash == request_hash:
            return finding, False
        raise foreign_id(session, actor, earlier.finding_id, "event", {"id": "Make a new id for this event."})
    action = Action(data["action"])
    if actor.role not in ACTION_ROLES[action]:
        raise Forbidden(f"A {actor.role.value} may not {action.value}.")
    payload = {k: v for k, v in data.items() if k not in ENVELOPE}
    check_payload_fields(action, payload)
    if action not in UNVERSIONED:
        if data.get("version") is None:
            raise RuleViolation("Say which version of the finding you acted on.", {"version": "Required."})
        if data["version"] != finding.version:
            raise Stale("The finding changed since you last saw it.", detail=finding)
    from_state, deadline_before = State(finding.status), finding.deadline
    # the rules also see where the device was: a listed hazard is approved on site (domain.supervision)
    seen = {**payload, "location": data.get("location")}
    to_state = _decide(session, finding, actor, action, seen, reference_day(data.get("client_at"), now))
    record = jsonable(payload)
    if settled := settlement(action, finding.extension_pending):
        record["extension_settled"] = settle_extension(session, finding, settled, now)
    EFFECTS[action](session, finding, actor, payload, now)
    if action is Action.ACKNOWLEDGE:  # 签收: the officer signs for the order the finding is in
        sign_order(session, press, finding, actor, now)
    if finding.deadline != deadline_before:
        record["deadline_change"] = jsonable({"from": deadline_before, "to": finding.deadline})
    finding.status = to_state.value
    finding.events_count += 1
    if action not in UNVERSIONED:
        finding.version += 1
    finding.updated_at = now
    event = append_event(
        session,
        finding,
        actor,
        event_id=data["id"],
        action=action,
        from_state=from_state,
        to_state=to_state,
        payload=record,
        request_hash=request_hash,
        now=now,
        client_at=data.get("client_at"),
        location=data.get("location"),
    )
    record_supervision(session, finding, actor, action, event, payload, now)
    try:
        session.flush()
    except StaleDataError:
        raise Stale("The finding changed while this action was applied.", detail=finding) from None
    told = {"requested_deadline": payload.get("new_deadline"), "approved": payload.get("approved")}
    notify_event(session, actor, action, Subject.of(finding), from_state=from_state, now=now, detail=told)
    return finding, True


def _decide(session: Session, finding: Finding, actor: Actor, action: Action, payload: dict, today) -> State:
    try:
        return decide(facts_of(finding, session), actor, action, payload, today)
    except PhotosMissing as waiting:
        waiting.detail = missing_after_photos(session, finding.id, finding.rectification_round)
        raise
