"""The upload's fast path (issue 15): judged once, the image processed and its files written with no lock held
(and on SQLite no transaction open), then the rows written with Core INSERT ... ON CONFLICT in a write transaction
that holds SQLite's lock (or, on PostgreSQL, the finding's row) for the rows alone.

1. `judge` reads everything the rules need in ONE SELECT (the finding within the caller's scope, the photo row,
   the blob of these bytes, how many photos of the kind the finding has) inside the read transaction the sign-in
   opened, and applies store_photo's rules (photos.judge_upload) to it.
2. New bytes are processed and written to storage (photos.put_objects) before any write transaction begins
   (on SQLite no transaction is open meanwhile; on PostgreSQL the read transaction stays open: _end_reading).
3. photo_rows.record writes the rows, each write conditional on what was judged: the finding's counters only
   while its status, round and visibility are the ones judged (on PostgreSQL this takes the finding's row lock,
   so uploads to one finding still take turns); the blob unless the same bytes are already there; the photo only
   while the kind has room, or the declared slot only while it is empty; then the photo_added event. A condition
   that no longer holds is a race lost to another request: `record` answers None and the caller judges again in
   the write transaction through store_photo (the ORM path, FOR UPDATE), so every answer (200, 403, 409, 422)
   still comes from the same rules.

Objects written in step 2 whose rows never commit (a lost race refused, a killed worker) are not deleted here:
another upload of the same bytes may be about to point a row at them. `photos verify --repair` removes objects
no row points to once they are older than its grace period. A write transaction that inserted the blob and then
rolled back deletes them, as store_photo does.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import NotFound
from app.models import Finding, FindingEvent, Photo, PhotoBlob
from app.read.scope import finding_scope
from app.services.account_memory import StaleCredential
from app.services.accounts import ACCOUNT_STILL, account_still_params
from app.services.photo_rows import SEEN, record
from app.services.photos import blob_values, judge_upload, put_objects, store_photo
from app.services.prepared import Prepared, fetch_one
from app.storage import Storage

PHOTOS, BLOBS, EVENTS, FINDINGS = Photo.__table__, PhotoBlob.__table__, FindingEvent.__table__, Finding.__table__
BLOB_COLUMNS = [c for c in BLOBS.c if c.name != "created_at"]  # what an answer shows of a blob
PHOTO_FACTS = ("finding_id", "kind", "sha256", "declared_by_id", "round")  # what the rules read of a photo


class Uploaded(NamedTuple):
    id: uuid.UUID
    kind: str
    blob: SimpleNamespace  # the stored blob's columns (present_photo's `blob`), readable after the commit
    round: int | None
    created: bool  # False: these bytes were this photo's already


def upload_photo(
    session: Session,
    storage: Storage,
    actor: Actor,
    finding_id: uuid.UUID,
    photo_id: uuid.UUID,
    kind: str | None,
    data: bytes,
    *,
    sha256: str,
    process: Callable,
    clock: Callable[[], datetime],
    begin_writing: Callable[[], None],
    unverified: tuple | None = None,
) -> Uploaded:
    """Attach the bytes to the finding's photo `photo_id`, as store_photo does, in the steps the module says.
    The session's transaction, if one is open, must only have read (the sign-in). `begin_writing` is called
    before the write transaction (SQLite then takes its lock up front). `unverified`: the remembered account the
    request was let in with (accounts.remembered_account), which the judging SELECT reads again: StaleCredential
    when it no longer holds, before anything is processed or written."""
    rereading = None if unverified is None else (unverified, clock())
    try:
        judged = judge(session, actor, finding_id, photo_id, kind, sha256, rereading)
    except Exception:
        session.rollback()
        raise
    _end_reading(session)
    if judged.stored:
        return Uploaded(photo_id, judged.kind, judged.blob, judged.photo_round, created=False)
    processed, new_blob, written, blob = None, None, [], judged.blob
    if blob is None:
        processed = process(data)  # 415 or 422 before anything is written
    now = clock()
    if processed is not None:
        new_blob = blob_values(data, sha256, processed, now)
        written = put_objects(storage, new_blob, data, processed)
        blob = SimpleNamespace(**new_blob)
    begin_writing()
    try:
        placed = record(session, storage, actor, judged, new_blob=new_blob, written=written, now=now)
    except IntegrityError:  # the blob judged present was forgotten since (photos verify --repair)
        placed = None
    if placed is not None:
        return Uploaded(placed.id, judged.kind, blob, placed.round, created=True)
    session.rollback()  # a race lost: judge again in the write transaction, by the ORM path
    photo, created = store_photo(
        session, storage, actor, finding_id, photo_id, kind, data, now=now, sha256=sha256,
        process=lambda again: processed or process(again),
    )  # fmt: skip
    blob = SimpleNamespace(**{c.name: getattr(photo.blob, c.name) for c in BLOB_COLUMNS})  # read before the commit
    return Uploaded(photo.id, photo.kind, blob, photo.round, created)


def _end_reading(session: Session) -> None:
    """End the judging's read transaction before the processing on SQLite, where it must end; keep it open on
    PostgreSQL, where it costs nothing to keep and three round trips to end.

    SQLite (WAL) holds an open read transaction's snapshot, so the write that follows would fail with
    SQLITE_BUSY_SNAPSHOT whenever another upload had committed in between. It only read: a COMMIT ends it as a
    ROLLBACK would.
    PostgreSQL's, in READ COMMITTED, has only read: it holds no row lock, and no snapshot between statements
    (each statement takes its own, and the write statement checks again everything judged). Ending it would
    cost its COMMIT, then the pool's ping of the connection checked out again and a BEGIN: 3 of the upload's
    9 round trips. (A ROLLBACK would also make psycopg forget, DEALLOCATE ALL, the statements it prepared.)"""
    if session.get_bind().dialect.name != "postgresql":
        session.commit()


@dataclass(frozen=True)
class Judged:
    """What the one SELECT found and the rules made of it."""

    finding_id: uuid.UUID
    photo_id: uuid.UUID
    kind: str
    sha256: str
    seen: dict  # the finding's columns the rules and the caller's scope read (photo_rows.SEEN), as judged
    events_count: int  # the finding's, as judged: how many arrivals may have come since is told by the claim
    room_used: int  # photos of the kind the finding had, as judged
    slot: SimpleNamespace | None  # the declared photo with no bytes yet, None when the id is new
    stored: bool  # these bytes are this photo's already: a retry, nothing to write
    blob: SimpleNamespace | None  # the blob of these bytes if stored (for any photo), else None
    photo_round: int | None  # the stored photo's round (a retry's answer shows it)

    @property
    def status(self) -> str:
        return self.seen["status"]

    @property
    def round(self) -> int:
        return self.seen["rectification_round"]


def judge(
    session: Session, actor: Actor, finding_id, photo_id, kind: str | None, sha256: str, rereading=None
) -> Judged:
    """The finding, the photo and the blob in one SELECT, judged by photos.judge_upload; or its error.
    `rereading`: (a remembered account, now), which the same SELECT reads again (StaleCredential when it no
    longer holds; a finding not found says nothing of the account: the caller checks it before answering 404)."""
    params = {"finding_id": finding_id, "photo_id": photo_id, "sha256": sha256, "room_kind": kind or "evidence"}
    if rereading is not None:
        params.update(account_still_params(rereading[0]), now=rereading[1])
    row = fetch_one(session, _judging(actor, rereading is not None), params)
    if row is None:
        raise NotFound("No such finding.")
    if rereading is not None and not row.account_holds:
        raise StaleCredential
    finding = SimpleNamespace(id=row.id, status=row.status, rectification_round=row.rectification_round)
    photo = None  # kind is never NULL: a NULL one is the outer join finding no photo
    if row.photo_kind is not None:
        photo = SimpleNamespace(**{name: getattr(row, f"photo_{name}") for name in PHOTO_FACTS})
    kind, stored = judge_upload(session, actor, finding, photo, kind, sha256, lambda _kind: row.room_used)
    blob = None
    if row.blob_sha256 is not None:
        blob = SimpleNamespace(**{c.name: getattr(row, f"blob_{c.name}") for c in BLOB_COLUMNS})
    return Judged(
        finding_id, photo_id, kind, sha256, {name: getattr(row, name) for name in SEEN}, row.events_count,
        row.room_used, photo if not stored else None, stored, blob, photo.round if photo else None,
    )  # fmt: skip


@lru_cache(maxsize=4096)
def _judging(actor: Actor, rereading_account: bool) -> Prepared:
    """_facts, run on the DB-API cursor (services.prepared): SQLAlchemy's execution of it, which makes the
    statement's cache key at every call, cost more than the statement (0.5 ms more with the account's column)."""
    return Prepared(_facts(actor, rereading_account))


def _facts(actor: Actor, rereading_account: bool = False):
    """One per caller (the scope is theirs), kept: building it and its cache key costs more than running it.
    Rereading the account: one more column, 1 while the token still lets in the remembered account."""
    room = (
        select(func.count())
        .select_from(PHOTOS)
        .where(PHOTOS.c.finding_id == FINDINGS.c.id, PHOTOS.c.kind == bindparam("room_kind"))
        .correlate_except(PHOTOS)
    )  # its own photos, though the outer statement reads photos too
    columns = [
        FINDINGS.c.id, FINDINGS.c.events_count, *(FINDINGS.c[name] for name in SEEN),
        room.scalar_subquery().label("room_used"),
        *(PHOTOS.c[name].label(f"photo_{name}") for name in PHOTO_FACTS),
        *(c.label(f"blob_{c.name}") for c in BLOB_COLUMNS),
        *([ACCOUNT_STILL.label("account_holds")] if rereading_account else []),
    ]  # fmt: skip
    joined = FINDINGS.outerjoin(PHOTOS, PHOTOS.c.id == bindparam("photo_id"))
    joined = joined.outerjoin(BLOBS, BLOBS.c.sha256 == bindparam("sha256"))
    return select(*columns).select_from(joined).where(FINDINGS.c.id == bindparam("finding_id"), finding_scope(actor))
