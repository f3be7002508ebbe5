"""Evidence cannot change behind the record's back: who may add which photo to a finding, and when.

A photo is a slot first (declared by a create or a rectification, with its declarer) and bytes later. The
bytes may arrive while the finding is open; once it waits for review only photos the record already declared
may still arrive (the pending submission's after-photos, or a fix on the spot's before-photos, sent after the
create that put it straight into review), and a closed or voided record takes no new evidence at all.
"""

from dataclasses import dataclass

from app.domain.actors import Actor
from app.domain.errors import Forbidden, InvalidTransition
from app.domain.terms import Role, State

UPLOADERS = {
    "evidence": frozenset({Role.INSPECTOR, Role.GRID_WORKER, Role.SUPERVISOR}),
    "rectification": frozenset({Role.ENTERPRISE_OFFICER, Role.INSPECTOR}),
}
OPEN_FOR_PHOTOS = frozenset({State.REPORTED, State.RECTIFYING})


@dataclass(frozen=True)
class Slot:
    """A declared photo that has not arrived yet."""

    kind: str
    declared_by_id: int | None  # None for slots declared before declarers were recorded
    round: int | None  # the rectification round that declared it (after-photos only)


def check_upload(actor: Actor, status: State, kind: str, slot: Slot | None, current_round: int) -> None:
    """May `actor` put bytes into this photo now? Forbidden (403) for the wrong person, InvalidTransition (409)
    for the wrong moment. The person comes first, as in the lifecycle table."""
    if slot is not None and slot.declared_by_id is not None:
        if slot.declared_by_id != actor.id:
            raise Forbidden("This photo was declared by another user; only they can upload it.")
    elif actor.role not in UPLOADERS[kind]:
        raise Forbidden(f"A {actor.role.value} does not upload {kind} photos.")
    if status in OPEN_FOR_PHOTOS:
        return
    if status is State.PENDING_REVIEW and slot is not None and (kind == "evidence" or slot.round == current_round):
        return  # declared by the record itself, still on their way
    raise InvalidTransition(f"A finding that is {status.value} takes no new photos.")
