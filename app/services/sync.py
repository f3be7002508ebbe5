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

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Uuid, literal, tuple_
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import DomainError
from app.models import Finding
from app.models.types import UTCDateTime
from app.services.lookups import finding_scope
from app.services.presenting import finding_rows, read_rows

SETTLE_WINDOW = timedelta(seconds=10)
CURSOR_TAG = "sync1"  # a list endpoint's cursor, or a future format, is refused rather than misread
MAX_CURSOR_LENGTH = 500
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
BEFORE_ANY_ID = uuid.UUID(int=0)


class BadCursor(DomainError):
    """Not a cursor this endpoint handed out. Not a business rule (422): the request itself is malformed,
    and api/errors.py answers a DomainError it does not list with 400."""

    code = "invalid_cursor"

    def __init__(self):
        super().__init__(
            "The cursor is not one /sync handed out; sync again without a cursor.", {"cursor": "Invalid cursor."}
        )


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
    horizon = cursor.horizon.isoformat() if cursor.horizon is not None else None
    raw = json.dumps([CURSOR_TAG, cursor.position.updated_at.isoformat(), cursor.position.id.hex, horizon])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor:
    """The cursor, or BadCursor. It is not signed: it only says where to resume, and every page is filtered
    by the caller's scope, so an edited cursor can show nothing that the caller could not list anyway."""
    if len(text) > MAX_CURSOR_LENGTH:
        raise BadCursor()
    try:
        # validate=True: the lenient decoder skips characters outside the alphabet, so damage would pass.
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        value = json.loads(raw)
    except (binascii.Error, ValueError):  # ValueError covers JSON and UTF-8 errors
        raise BadCursor() from None
    if not (isinstance(value, list) and len(value) == 4 and value[0] == CURSOR_TAG):
        raise BadCursor()
    _, updated_at, finding_id, horizon = value
    if not isinstance(finding_id, str) or len(finding_id) != 32:
        raise BadCursor()
    try:
        position = Position(_moment(updated_at), uuid.UUID(hex=finding_id))
    except ValueError:
        raise BadCursor() from None
    return Cursor(position, None if horizon is None else _moment(horizon))


def _moment(value) -> datetime:
    if not isinstance(value, str):
        raise BadCursor()
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise BadCursor()
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadCursor() from None
    if not EARLIEST <= moment < LATEST:
        raise BadCursor()
    return moment
