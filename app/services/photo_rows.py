"""The rows of an upload's arrival, written by the fast path (photo_upload.py) each on the condition that what
was judged still holds; `record` answers None when one no longer does (a race lost).

The finding is claimed first: its events_count and updated_at move only while every column the rules and the
caller's scope read (SEEN) is as judged, so whoever could see it and add this photo then still can now. On
PostgreSQL the claim takes the finding's row lock, so uploads to one finding take turns. Then the blob unless the
same bytes are there already, the photo only while the kind has room (or the declared slot only while it is
empty), and the photo_added event numbered by the claim.

SQLite: one statement each, under its write lock. PostgreSQL: all of it in ONE statement (WITH ... UPDATE/INSERT
... RETURNING), so the finding's row is locked for that statement and the COMMIT alone. Its parts all read the
snapshot the statement began with, which can be older than the lock it waited for: the kind's count is then
checked again (a second statement) when photos may have arrived since judging. Once a finding exists, photo rows
are added only by uploads, one photo_added event each (the declarations of a submission change the round, which
the claim compares): so no more photos came than events, and the claim says how many events came.

The statements are text where SQLAlchemy's spelling would be compiled at every execution (its dialect inserts
with ON CONFLICT have no cache key) or where it cannot say it (a data-modifying WITH).
"""

import uuid
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import TextClause, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.terms import Action, State
from app.models import Finding, FindingEvent, Photo, PhotoBlob
from app.services.photos import MAX_PER_KIND, delete_objects_after
from app.storage import Storage

PHOTOS, BLOBS, EVENTS, FINDINGS = Photo.__table__, PhotoBlob.__table__, FindingEvent.__table__, Finding.__table__
# What photos.judge_upload and read.scope.finding_scope read of a finding (a test holds the scope to this list).
SEEN = ("status", "rectification_round", "area_path", "reporter_id", "enterprise_id", "triaged")
BLOB = [c.name for c in BLOBS.c]
# The event's columns a photo_added fills (it has no client time and no place), and the parameter of each.
EVENT = {"id": "event_id", "finding_id": "of_finding", "seq": "seq", "action": "action", "actor_id": "actor_id",
         "role": "role", "received_at": "now", "from_state": "from_state", "to_state": "to_state",
         "version": "version", "payload": "payload", "request_hash": "bytes_sha256"}  # fmt: skip
TEXTS = ("kind", "bytes_sha256", "action", "role", "from_state", "to_state", "seen_status", "seen_area_path")
TYPES = {"photo_id": PHOTOS.c.id, "of_finding": PHOTOS.c.finding_id, "now": PHOTOS.c.uploaded_at,
         "slot_round": PHOTOS.c.round, "event_id": EVENTS.c.id, "payload": EVENTS.c.payload,
         **{name: BLOBS.c[name] for name in BLOB}}  # fmt: skip


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
    status = State(judged.status)
    params = {
        "photo_id": judged.photo_id, "of_finding": judged.finding_id, "kind": judged.kind,
        "bytes_sha256": judged.sha256, "now": now, "actor_id": actor.id,
        "slot_round": judged.slot.round if judged.slot else None,
        "event_id": uuid.uuid5(judged.photo_id, Action.PHOTO_ADDED.value), "action": Action.PHOTO_ADDED.value,
        "role": actor.role.value, "from_state": status.value, "to_state": status.value,
        "payload": {"photo_id": str(judged.photo_id), "kind": judged.kind},
        **{f"seen_{name}": value for name, value in judged.seen.items()}, **(new_blob or {}),
    }  # fmt: skip
    write = _on_postgresql if connection.dialect.name == "postgresql" else _on_sqlite
    placed = write(connection, judged, params, new_blob is not None)
    if placed is None:
        return None
    if judged.kind == "rectification" and placed.round == judged.round:
        connection.execute(OWED, {"finding_id": judged.finding_id, "round": judged.round})
    if placed.blob_inserted:
        delete_objects_after(session, storage, written, "rollback")
    return SimpleNamespace(id=judged.photo_id, round=placed.round)


def _on_sqlite(connection, judged, params: dict, new_blob: bool) -> SimpleNamespace | None:
    # SQLAlchemy's UPDATEs would take a key named like one of the table's columns as one more column to set:
    # each is given only its own parameters.
    claimed = connection.execute(CLAIM, _only(params, "of_finding", "now", *(f"seen_{name}" for name in SEEN)))
    claimed = claimed.first()
    if claimed is None:
        return None
    blob_inserted = new_blob and connection.execute(BLOB_INSERT, _only(params, *BLOB)).first() is not None
    if judged.slot is None:
        placed = connection.execute(PHOTO_INSERT, params).first()
    else:
        slot = _only(params, "photo_id", "of_finding", "slot_round", "bytes_sha256", "now", "actor_id")
        placed = connection.execute(SLOT_FILL, slot).first()
    if placed is None:
        return None
    numbered = {**params, "seq": claimed.events_count, "version": claimed.version}
    connection.execute(EVENT_INSERT, {column: numbered[param] for column, param in EVENT.items()})
    return SimpleNamespace(round=placed.round, blob_inserted=blob_inserted)


def _only(params: dict, *names: str) -> dict:
    return {name: params[name] for name in names}


def _on_postgresql(connection, judged, params: dict, new_blob: bool) -> SimpleNamespace | None:
    done = connection.execute(ARRIVAL[judged.slot is None, new_blob], params).first()
    if done is None or not done.placed:
        return None
    came_since = done.events_count - judged.events_count - 1  # other arrivals (and actions) since judging
    may_be_full = judged.slot is None and came_since and judged.room_used + came_since >= MAX_PER_KIND
    if may_be_full and connection.execute(ROOM_USED, params).scalar_one() > MAX_PER_KIND:
        return None  # the count the statement read was older than the lock it waited for
    return SimpleNamespace(round=done.round, blob_inserted=done.blob_inserted > 0)


def _typed(sql: str, *names: str) -> TextClause:
    """SQL text whose parameters `names` are processed by their columns' types (the rest are plain values)."""
    return text(sql).bindparams(*(bindparam(name, type_=TYPES[name].type) for name in names))


def _p(name: str) -> str:
    """A parameter; the text ones cast, since PostgreSQL reads a parameter in a SELECT list as text and must not
    deduce two types for one parameter."""
    return (
        f"CAST(:{name} AS VARCHAR)" if name in TEXTS else "CAST(:payload AS JSON)" if name == "payload" else f":{name}"
    )


# SQLite's claim; the same condition in PostgreSQL's statement below.
CLAIM = (
    update(FINDINGS)
    .where(
        FINDINGS.c.id == bindparam("of_finding"),
        *(
            FINDINGS.c[name].is_not_distinct_from(bindparam(f"seen_{name}", type_=FINDINGS.c[name].type))
            for name in SEEN
        ),
    )
    .values(events_count=FINDINGS.c.events_count + 1, updated_at=bindparam("now"))
    .returning(FINDINGS.c.events_count, FINDINGS.c.version)
)
CLAIM_SQL = (
    "UPDATE findings SET events_count = events_count + 1, updated_at = :now WHERE id = :of_finding AND "
    + " AND ".join(
        f"{name} IS NOT DISTINCT FROM "
        + ("CAST(:seen_enterprise_id AS INTEGER)" if name == "enterprise_id" else _p(f"seen_{name}"))
        for name in SEEN
    )
    + " RETURNING events_count, version"
)
BLOB_VALUES = (
    f"INSERT INTO photo_blobs ({', '.join(BLOB)}) VALUES ({', '.join(f':{name}' for name in BLOB)})"
    " ON CONFLICT (sha256) DO NOTHING"
)
# A new photo, only while the finding has room for one more of its kind.
PHOTO_SELECT = (
    "INSERT INTO photos (id, finding_id, kind, sha256, declared_at, declared_by_id, uploaded_at, uploaded_by_id)"
    f" SELECT :photo_id, :of_finding, {_p('kind')}, {_p('bytes_sha256')}, :now, :actor_id, :now, :actor_id"
    " {source} WHERE (SELECT count(*) FROM photos WHERE finding_id = :of_finding"
    f" AND kind = {_p('kind')}) < {MAX_PER_KIND} ON CONFLICT (id) DO NOTHING RETURNING id, round"
)
ROOM_USED = _typed(f"SELECT count(*) FROM photos WHERE finding_id = :of_finding AND kind = {_p('kind')}", "of_finding")
BLOB_INSERT = _typed(BLOB_VALUES + " RETURNING sha256", *BLOB)
PHOTO_INSERT = _typed(PHOTO_SELECT.format(source=""), "photo_id", "of_finding", "now")
# A declared slot, only while it is still empty and in the round judged (SQLite reads IS NOT DISTINCT FROM only
# from 3.39: SQLAlchemy spells it).
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
SLOT_UPDATE = (
    "UPDATE photos SET sha256 = :bytes_sha256, uploaded_at = :now, uploaded_by_id = :actor_id"
    " WHERE id = :photo_id AND finding_id = :of_finding AND sha256 IS NULL"
    " AND round IS NOT DISTINCT FROM CAST(:slot_round AS INTEGER) AND EXISTS (SELECT 1 FROM f) RETURNING id, round"
)
EVENT_INSERT = EVENTS.insert()


def _arrival(new_photo: bool, new_blob: bool) -> TextClause:
    """PostgreSQL: claim, blob, photo and event in one statement; one row when the finding was claimed (its new
    events_count, whether the photo was placed, its round, whether the blob was inserted), none when not."""
    numbered = {"seq": "f.events_count", "version": "f.version"}
    selected = ", ".join(numbered.get(param) or _p(param) for param in EVENT.values())
    parts = [f"f AS ({CLAIM_SQL})"]
    if new_blob:
        parts.append(f"b AS ({BLOB_VALUES} RETURNING 1)")
    parts.append(f"p AS ({PHOTO_SELECT.format(source='FROM f') if new_photo else SLOT_UPDATE})")
    parts.append(f"e AS (INSERT INTO finding_events ({', '.join(EVENT)}) SELECT {selected} FROM f, p RETURNING 1)")
    inserted = "(SELECT count(*) FROM b)" if new_blob else "0"
    sql = (f"WITH {', '.join(parts)} SELECT f.events_count, (SELECT count(*) FROM p) AS placed,"
           f" (SELECT round FROM p) AS round, {inserted} AS blob_inserted FROM f")  # fmt: skip
    names = ["photo_id", "of_finding", "now", "event_id", "payload", *(["slot_round"] if not new_photo else [])]
    return _typed(sql, *names, *(BLOB if new_blob else []))


ARRIVAL = {(photo, blob): _arrival(photo, blob) for photo in (True, False) for blob in (True, False)}

# Declared after-photos of the round that have not arrived (photos.owed_after_photos, as SQL).
OWED = update(FINDINGS).where(FINDINGS.c.id == bindparam("finding_id")).values(
    after_photos_owed=select(func.count()).select_from(PHOTOS).where(
        PHOTOS.c.finding_id == FINDINGS.c.id, PHOTOS.c.kind == "rectification", PHOTOS.c.sha256.is_(None),
        PHOTOS.c.round == bindparam("round"),
    ).scalar_subquery()
)  # fmt: skip
