"""The append-only history: every change to a finding is one event, written with the change."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.terms import Action, State
from app.models import Finding, FindingEvent


def event_values(
    finding_id: uuid.UUID,
    actor: Actor,
    *,
    seq: int,
    version: int,
    event_id: uuid.UUID,
    action: Action,
    from_state: State | None,
    to_state: State,
    payload: dict,
    request_hash: str,
    now: datetime,
    client_at: datetime | None = None,
    location: dict | None = None,
) -> dict:
    """One event's row: the same whether it is added through the ORM or inserted with the finding."""
    location = location or {}
    return {
        "id": event_id,
        "finding_id": finding_id,
        "seq": seq,
        "action": action.value,
        "actor_id": actor.id,
        "role": actor.role.value,
        "client_at": client_at,
        "received_at": now,
        "lat": location.get("lat"),
        "lng": location.get("lng"),
        "accuracy_m": location.get("accuracy_m"),
        "from_state": from_state.value if from_state else None,
        "to_state": to_state.value,
        "version": version,
        "payload": payload,
        "request_hash": request_hash,
    }


def append_event(session: Session, finding: Finding, actor: Actor, **fields) -> FindingEvent:
    """Add the event; the caller has already counted it in finding.events_count and finding.version."""
    event = FindingEvent(**event_values(finding.id, actor, seq=finding.events_count, version=finding.version, **fields))
    session.add(event)
    return event


def history_of(session: Session, finding: Finding) -> list[FindingEvent]:
    return list(
        session.scalars(select(FindingEvent).where(FindingEvent.finding_id == finding.id).order_by(FindingEvent.seq))
    )
