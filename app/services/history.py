"""The append-only history: every change to a finding is one event, written with the change."""

import uuid
from datetime import date, datetime

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


def present_history(events: list[FindingEvent], viewer: Actor, redact) -> list[dict]:
    """The history as the viewer may read it; `redact` is presenting.person (who may be named to whom)."""
    return [
        {
            "id": e.id,
            "seq": e.seq,
            "action": e.action,
            "actor": redact(viewer, e.actor.id, e.actor.username, e.actor.display_name, e.role),
            "role": e.role,
            "client_at": e.client_at,
            "received_at": e.received_at,
            "location": None if e.lat is None else {"lat": e.lat, "lng": e.lng, "accuracy_m": e.accuracy_m},
            "from_state": e.from_state,
            "to_state": e.to_state,
            "version": e.version,
            "payload": e.payload,
        }
        for e in events
    ]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_REVIEWS = {Action.APPROVE.value: "approved", Action.REJECT.value: "rejected"}


def rounds_of(session: Session, finding_id: uuid.UUID, photos: list) -> list[dict]:
    """The rectification rounds, oldest first, from the history: each submission with its after-photos and the
    review that answered it (整改 → 验收), so a second round never hides the first."""
    query = select(FindingEvent.action, FindingEvent.received_at, FindingEvent.payload).where(
        FindingEvent.finding_id == finding_id,
        FindingEvent.action.in_((Action.SUBMIT_RECTIFICATION.value, *_REVIEWS)),
    )
    rounds: list[dict] = []
    for action, at, payload in session.connection().execute(query.order_by(FindingEvent.seq)):
        if action == Action.SUBMIT_RECTIFICATION.value:
            n = len(rounds) + 1
            rounds.append(
                {
                    "round": n,
                    "measures": payload.get("measures"),
                    "completed_on": _day(payload.get("completed_on")),
                    "submitted_at": at,
                    "photo_ids": [p.id for p in photos if p.kind == "rectification" and p.round == n],
                    "review": None,
                }
            )
        elif rounds:
            review = {"result": _REVIEWS[action], "comment": payload.get("comment"), "on_site": payload.get("on_site")}
            rounds[-1]["review"] = {**review, "at": at}
    return rounds
