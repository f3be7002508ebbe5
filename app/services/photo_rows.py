"""The rows of an upload's arrival, written by the fast path (photo_upload.py) each on the condition that what
was judged still holds; `record` answers None when one no longer does (a race lost).

First the finding is claimed: its events_count and updated_at move only while its status, round and the caller's
view of it are the ones judged (on PostgreSQL this takes the finding's row lock, so uploads to one finding still
take turns, and every later statement reads what the previous holder committed). Then the blob unless the same
bytes are there already, the photo only while the kind has room (or the declared slot only while it is empty),
and the photo_added event: on SQLite three statements under the write lock; on PostgreSQL one, whose parts
(WITH ... INSERT/UPDATE ... RETURNING) see the claimed row's committed neighbours, since it starts after the
claim took the lock.

The statements are text: SQLAlchemy's dialect inserts that spell ON CONFLICT have no cache key and are compiled
again at every execution.
"""

import uuid
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import TextClause, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.terms import Action, State
from app.models import Finding, FindingEvent, Photo, PhotoBlob
from app.read.scope import finding_scope
from app.services.photos import MAX_PER_KIND, delete_objects_after
from app.storage import Storage

PHOTOS, BLOBS, EVENTS, FINDINGS = Photo.__table__, PhotoBlob.__table__, FindingEvent.__table__, Finding.__table__
BLOB = [c.name for c in BLOBS.c]
# The event's columns a photo_added fills (it has no client time and no place), and the parameter of each.
EVENT = {"id": "event_id", "finding_id": "of_finding", "seq": "seq", "action": "action", "actor_id": "actor_id",
         "role": "role", "received_at": "now", "from_state": "from_state", "to_state": "to_state",
         "version": "version", "payload": "payload", "request_hash": "bytes_sha256"}  # fmt: skip
TYPES = {"photo_id": PHOTOS.c.id, "of_finding": PHOTOS.c.finding_id, "now": PHOTOS.c.uploaded_at,
         "slot_round": PHOTOS.c.round, "event_id": EVENTS.c.id, "payload": EVENTS.c.payload}  # fmt: skip


def record(
    session: Session,
    storage: Storage,
    actor: Actor,
    judged,
    *,
    new_blob: dict | None,
    written: list[str],
    now: datetime,
) -> SimpleNamespace | None:
    """Write the judged upload's rows in the session's (write) transaction; the photo's id and round, or None
    when something judged has changed since (the caller rolls back and judges again). `new_blob` is the blob's
    row when the bytes were new at judging time, `written` the objects written for it."""
    connection = session.connection()
    claimed = connection.execute(_claim(actor), {
        "finding_id": judged.finding_id, "judged_status": judged.status, "round": judged.round, "now": now,
    }).first()  # fmt: skip
    if claimed is None:
        return None
    status = State(judged.status)
    params = {
        "photo_id": judged.photo_id, "of_finding": judged.finding_id, "kind": judged.kind,
        "bytes_sha256": judged.sha256, "now": now, "actor_id": actor.id,
        "slot_round": judged.slot.round if judged.slot else None,
        "event_id": uuid.uuid5(judged.photo_id, Action.PHOTO_ADDED.value), "seq": claimed.events_count,
        "action": Action.PHOTO_ADDED.value, "role": actor.role.value, "from_state": status.value,
        "to_state": status.value, "version": claimed.version,
        "payload": {"photo_id": str(judged.photo_id), "kind": judged.kind},
    }  # fmt: skip
    if connection.dialect.name == "postgresql":
        placed = connection.execute(ARRIVAL[judged.slot is None, new_blob is not None], {**params, **(new_blob or {})})
        placed = placed.first()
        blob_inserted = placed is not None and placed.blob_inserted > 0
    else:
        blob_inserted = new_blob is not None and connection.execute(BLOB_INSERT, new_blob).first() is not None
        placed = connection.execute(PHOTO_INSERT if judged.slot is None else SLOT_FILL, params).first()
        if placed is not None:
            connection.execute(EVENT_INSERT, {column: params[param] for column, param in EVENT.items()})
    if placed is None:
        return None
    if judged.kind == "rectification" and placed.round == judged.round:
        connection.execute(OWED, {"finding_id": judged.finding_id, "round": judged.round})
    if blob_inserted:
        delete_objects_after(session, storage, written, "rollback")
    return SimpleNamespace(id=judged.photo_id, round=placed.round)


@lru_cache(maxsize=4096)
def _claim(actor: Actor):
    """One per caller (the scope is theirs), kept: building it and its cache key costs more than running it."""
    where = (
        FINDINGS.c.id == bindparam("finding_id"),
        FINDINGS.c.status == bindparam("judged_status"),  # (a column's own name is its SET value's)
        FINDINGS.c.rectification_round == bindparam("round"),
        finding_scope(actor),
    )
    counted = {"events_count": FINDINGS.c.events_count + 1, "updated_at": bindparam("now")}
    return update(FINDINGS).where(*where).values(counted).returning(FINDINGS.c.events_count, FINDINGS.c.version)


def _typed(sql: str, *names: str) -> TextClause:
    """SQL text whose parameters `names` are processed by their columns' types (the rest are plain values)."""
    types = {**TYPES, **{name: BLOBS.c[name] for name in BLOB}}
    return text(sql).bindparams(*(bindparam(name, type_=types[name].type) for name in names))


# The SQL both databases read. The blob: unless the same bytes are stored already.
BLOB_VALUES = (
    f"INSERT INTO photo_blobs ({', '.join(BLOB)}) VALUES ({', '.join(f':{name}' for name in BLOB)})"
    " ON CONFLICT (sha256) DO NOTHING"
)
# A new photo, only while the finding has room for one more of its kind (counted by the same statement, after the
# finding's row was claimed, or under SQLite's write lock). Text casts: PostgreSQL reads a parameter in a SELECT
# list as text, and must not deduce two types for one parameter.
PHOTO_SELECT = (
    "INSERT INTO photos (id, finding_id, kind, sha256, declared_at, declared_by_id, uploaded_at, uploaded_by_id)"
    " SELECT :photo_id, :of_finding, CAST(:kind AS VARCHAR), CAST(:bytes_sha256 AS VARCHAR), :now, :actor_id,"
    " :now, :actor_id WHERE (SELECT count(*) FROM photos WHERE finding_id = :of_finding"
    f" AND kind = CAST(:kind AS VARCHAR)) < {MAX_PER_KIND} ON CONFLICT (id) DO NOTHING RETURNING id, round"
)
# A declared slot, only while it is still empty and in the round judged.
SLOT_UPDATE = (
    "UPDATE photos SET sha256 = :bytes_sha256, uploaded_at = :now, uploaded_by_id = :actor_id"
    " WHERE id = :photo_id AND finding_id = :of_finding AND sha256 IS NULL"
    " AND round IS NOT DISTINCT FROM CAST(:slot_round AS INTEGER) RETURNING id, round"
)
BLOB_INSERT = _typed(BLOB_VALUES + " RETURNING sha256", *BLOB)
PHOTO_INSERT = _typed(PHOTO_SELECT, "photo_id", "of_finding", "now")
# SQLite's spelling of the same (`IS` for IS NOT DISTINCT FROM, which it reads only from 3.39).
SLOT_FILL = (
    update(PHOTOS)
    .where(
        PHOTOS.c.id == bindparam("photo_id"),
        PHOTOS.c.finding_id == bindparam("of_finding"),
        PHOTOS.c.sha256.is_(None),
        PHOTOS.c.round.is_not_distinct_from(bindparam("slot_round", type_=PHOTOS.c.round.type)),
    )
    .values(sha256=bindparam("bytes_sha256"), uploaded_at=bindparam("now"), uploaded_by_id=bindparam("actor_id"))
    .returning(PHOTOS.c.id, PHOTOS.c.round)
)
EVENT_INSERT = EVENTS.insert()


def _arrival(new_photo: bool, new_blob: bool) -> TextClause:
    """PostgreSQL: the blob, the photo and its event in one statement; one row (the photo's round and whether
    the blob was inserted) when the photo was placed, none when it was not (and then nothing was written)."""
    parts = [f"b AS ({BLOB_VALUES} RETURNING 1)"] if new_blob else []
    parts.append(f"p AS ({PHOTO_SELECT if new_photo else SLOT_UPDATE})")
    selected = ", ".join(
        f"CAST(:{param} AS VARCHAR)" if param in ("action", "role", "from_state", "to_state", "bytes_sha256")
        else "CAST(:payload AS JSON)" if param == "payload" else f":{param}"
        for param in EVENT.values()
    )  # fmt: skip
    parts.append(f"e AS (INSERT INTO finding_events ({', '.join(EVENT)}) SELECT {selected} FROM p RETURNING 1)")
    inserted = "(SELECT count(*) FROM b)" if new_blob else "0"
    sql = f"WITH {', '.join(parts)} SELECT p.round, {inserted} AS blob_inserted FROM p"
    names = ["photo_id", "of_finding", "now", "event_id", "payload"] + (["slot_round"] if not new_photo else [])
    return _typed(sql, *names, *(BLOB if new_blob else []))


ARRIVAL = {(photo, blob): _arrival(photo, blob) for photo in (True, False) for blob in (True, False)}

# Declared after-photos of the round that have not arrived (photos.owed_after_photos, as SQL).
OWED = update(FINDINGS).where(FINDINGS.c.id == bindparam("finding_id")).values(
    after_photos_owed=select(func.count()).select_from(PHOTOS).where(
        PHOTOS.c.finding_id == FINDINGS.c.id, PHOTOS.c.kind == "rectification", PHOTOS.c.sha256.is_(None),
        PHOTOS.c.round == bindparam("round"),
    ).scalar_subquery()
)  # fmt: skip
