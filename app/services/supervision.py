"""挂牌督办 on the write side: the listing row written with the event that lists a finding, and ended (摘牌) by the
event that closes it. The finding's own column (supervision_level) is set by the action's effect."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.terms import Action, State, SupervisionStatus
from app.models import Finding, FindingEvent, Supervision

# An approval closes the hazard and so ends its listing; a void (a wrong report) leaves nothing to supervise.
ENDS_LISTING = frozenset({State.CLOSED, State.VOIDED})


def open_listing(session: Session, finding_id) -> Supervision | None:
    query = select(Supervision).where(
        Supervision.finding_id == finding_id, Supervision.status == SupervisionStatus.LISTED.value
    )
    return session.scalars(query).first()


def record_supervision(
    session: Session, finding: Finding, actor: Actor, action: Action, event: FindingEvent, payload: dict, now: datetime
) -> None:
    """After the event is added: a listing starts a row; a step that closes a listed finding ends it, and the
    event's payload records what it delisted."""
    if action is Action.LIST_SUPERVISION:
        session.add(
            Supervision(
                finding=finding,
                level=payload["level"],
                authority=payload["authority"].strip(),
                document_no=payload["document_no"].strip(),
                leader=payload["leader"].strip(),
                public=bool(payload.get("public")),
                lead_department=(payload.get("lead_department") or "").strip() or None,
                status=SupervisionStatus.LISTED.value,
                listed_at=now,
                listed_by_id=actor.id,
                listed_event=event,
            )
        )
        return
    if State(event.to_state) not in ENDS_LISTING or event.from_state == event.to_state:
        return
    with session.no_autoflush:  # the event is written once, with what it delisted: the history is append-only
        listing = open_listing(session, finding.id)
    if listing is None:
        return
    listing.status = SupervisionStatus.DELISTED.value
    listing.delisted_at, listing.delisted_by_id, listing.delisted_event = now, actor.id, event
    finding.supervision_level = None
    event.payload = {**event.payload, "delisted": {"supervision_id": listing.id, "document_no": listing.document_no}}
