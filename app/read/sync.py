"""Sync: the findings that changed in the caller's scope since a cursor, for the PWA's offline read cache.

Rows come oldest change first, by (updated_at, id), one keyset page at a time. The client loops while `more`
is true and keeps the last `next_cursor` for next time; it upserts what it receives by id.

Why the cursor lags. `updated_at` is stamped when a write starts and becomes visible when it commits, so a
slow write can commit *behind* a row this endpoint has already handed out. A cursor pinned to the newest row
handed out would skip it forever. So a sync run (one loop of pages) fixes a horizon, SETTLE_WINDOW before the
server clock at its first page, and the cursor it ends with never goes past that horizon: the next sync looks
again at everything stamped after it. Any write that takes less than SETTLE_WINDOW from stamp to commit (clock
differences between app hosts included) is therefore delivered by the first run that starts after it commits. The
price is that recent changes are delivered more than once, which an upsert by id makes harmless.

Intermediate cursors (more=true) carry the exact page position and the run's horizon, so that pages still move
forward; the last cursor of a run carries no horizon, so the next run takes a fresh one.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Uuid, literal, tuple_
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.models import Finding
from app.models.types import UTCDateTime
from app.read import cursors
from app.read.rows import finding_rows, read_rows
from app.read.scope import finding_scope

SETTLE_WINDOW = timedelta(seconds=10)
CURSOR_TAG = "sync1"  # the tag of the first format, so cursors stored on devices stay good
CURSOR_KINDS = ("moment", "uuid", "moment")  # the position (updated_at, id), then the run's horizon or None
BEFORE_ANY_ID = uuid.UUID(int=0)


@dataclass(frozen=True)
class Position:
    """Strictly after (updated_at, id) in the sync order."""

    updated_at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class Cursor:
    position: Position
    horizon: datetime | None  # set while a run is in progress (more=true)


@dataclass(frozen=True)
class SyncPage:
    rows: list  # finding rows, see presenting.finding_rows
    next_cursor: str
    more: bool


def changes_since(session: Session, actor: Actor, *, cursor: str | None, limit: int, now: datetime) -> SyncPage:
    """One page of the findings the actor may see that changed after the cursor, oldest change first."""
    start = decode_cursor(cursor) if cursor else None
    horizon = now - SETTLE_WINDOW
    if start is not None and start.horizon is not None:
        horizon = min(horizon, start.horizon)  # the run keeps the horizon of its first page
    query = finding_rows().where(finding_scope(actor))
    if start is not None:
        # Typed binds: an untyped literal in a tuple comparison skips the UTC conversion of the column type.
        after = tuple_(literal(start.position.updated_at, UTCDateTime()), literal(start.position.id, Uuid()))
        query = query.where(tuple_(Finding.updated_at, Finding.id) > after)
    query = query.order_by(Finding.updated_at, Finding.id).limit(limit + 1)
    rows = read_rows(session, query)
    page, more = rows[:limit], len(rows) > limit
    if page:
        last = page[-1]._mapping
        reached = Position(last["updated_at"], last["id"])
    else:
        reached = start.position if start is not None else None
    if more:
        return SyncPage(page, encode_cursor(Cursor(reached, horizon)), True)
    if reached is None or reached.updated_at >= horizon:
        # The run is over: next time, look again at everything that may still have been committing.
        reached = Position(horizon, BEFORE_ANY_ID)
    return SyncPage(page, encode_cursor(Cursor(reached, None)), False)


def encode_cursor(cursor: Cursor) -> str:
    position = cursor.position
    return cursors.encode(CURSOR_TAG, CURSOR_KINDS, (position.updated_at, position.id, cursor.horizon))


def decode_cursor(text: str) -> Cursor:
    """The cursor, or BadCursor (read.cursors: the one format and the one error of every list)."""
    updated_at, finding_id, horizon = cursors.decode(CURSOR_TAG, CURSOR_KINDS, text, nullable=frozenset({2}))
    return Cursor(Position(updated_at, finding_id), horizon)
