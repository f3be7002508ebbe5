"""Issue 15: the upload's fast path (app/services/photo_upload.py). Judged by one SELECT, its files written before
any write (on SQLite with no transaction open, on PostgreSQL in the read transaction, which holds no lock), its
rows written by four Core statements in one short write transaction; and those rows the same as the ORM path
(store_photo) writes, which the factories, the demo and the lost races still use."""

import re
import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import real_today
from sqlalchemy import Column, event, select
from sqlalchemy.sql import visitors
from testbed import ON_POSTGRES

from app.domain.actors import Actor
from app.domain.calendar import utcnow
from app.domain.terms import Role
from app.extensions import db
from app.imaging import process_photo
from app.models import Finding, FindingEvent, Photo, PhotoBlob
from app.read.scope import finding_scope
from app.services.actors import actor_for
from app.services.photo_rows import SEEN
from app.services.photos import store_photo
from app.services.prepared import Prepared

BLOB_FACTS = [c.name for c in PhotoBlob.__table__.c if c.name not in ("sha256", "byte_size", "created_at")]


# The writes: the claim of the finding (events_count and updated_at, only while what was judged holds), the blob
# (ON CONFLICT DO NOTHING), the photo (only while the kind has room) or its declared slot, and photo_added. On
# PostgreSQL one WITH statement, on SQLite one statement each.
def writes(*photo: tuple[str, str]) -> list[tuple[str, str]]:
    done = [("UPDATE", "findings"), *photo, ("INSERT", "finding_events")]
    return [("WITH", "+".join(table for _, table in done))] if ON_POSTGRES else done


TABLES = re.compile(r"\b(findings|photos|photo_blobs|finding_events)\b")


@pytest.fixture
def scene(session):
    world = f.World(session)
    people = {"inspector": world.user("inspector"), "officer": world.user("enterprise_officer")}
    headers = {name: f.token_for(session, who) for name, who in people.items()}
    findings = [
        f.report(
            session, people["inspector"],
            f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow()),
            utcnow(),
        )
        for _ in range(2)
    ]  # fmt: skip
    session.commit()
    return people, headers, findings


def put(client, headers, finding_id, photo_id, data, kind="evidence"):
    url = f"/api/v1/findings/{finding_id}/photos/{photo_id}?kind={kind}"
    return client.put(url, data=data, headers={**headers, "Content-Type": "image/jpeg"})


@pytest.fixture
def statements(app, monkeypatch):
    """Every statement sent that touches the finding's tables, as (verb, table) in order, and every ROLLBACK (on
    PostgreSQL one makes psycopg forget the statements it prepared). Those run on the DB-API cursor
    (services.prepared: the judging SELECT) pass no engine event: they are seen where they are run."""
    seen = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if TABLES.search(statement):
            verb = statement.split(None, 1)[0].upper()
            written = re.findall(r"(?:INSERT INTO|UPDATE) (\w+)", statement)
            seen.append((verb, "+".join(written) if verb in ("INSERT", "UPDATE", "WITH") else "-"))

    def rolled_back(conn):
        seen.append(("ROLLBACK", "-"))

    real_run = Prepared.run

    def run(prepared, cursor, dialect, params):
        note(None, cursor, prepared.compiled(dialect)[0], params, None, False)
        return real_run(prepared, cursor, dialect, params)

    monkeypatch.setattr(Prepared, "run", run)
    event.listen(db.engine, "before_cursor_execute", note)
    event.listen(db.engine, "rollback", rolled_back)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)
    event.remove(db.engine, "rollback", rolled_back)


def test_a_new_photo_is_judged_by_one_select_and_written_by_four_statements(client, scene, statements):
    _, headers, (finding, _) = scene
    statements.clear()
    response = put(client, headers["inspector"], finding.id, uuid.uuid4(), f.jpeg())
    assert response.status_code == 201, response.json
    assert statements == [
        ("SELECT", "-"),  # the finding in scope, the photo, the blob of these bytes, the kind's count
        *writes(("INSERT", "photo_blobs"), ("INSERT", "photos")),
    ]


def test_a_retry_reads_once_and_writes_nothing(client, session, scene, statements):
    _, headers, (finding, _) = scene
    data, photo_id = f.jpeg(), uuid.uuid4()
    first = put(client, headers["inspector"], finding.id, photo_id, data)
    statements.clear()
    again = put(client, headers["inspector"], finding.id, photo_id, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert statements == [("SELECT", "-")]
    assert again.json == first.json  # the same answer, from the rows the first one wrote


def test_known_bytes_under_a_new_id_write_no_blob_and_no_object(client, app, session, scene, statements):
    _, headers, (first, second) = scene
    data = f.jpeg()
    assert put(client, headers["inspector"], first.id, uuid.uuid4(), data).status_code == 201
    objects = sorted(app.extensions["storage"].keys())
    statements.clear()
    assert put(client, headers["inspector"], second.id, uuid.uuid4(), data).status_code == 201
    assert statements == [("SELECT", "-"), *writes(("INSERT", "photos"))]
    assert sorted(app.extensions["storage"].keys()) == objects


def test_the_files_are_written_before_any_write(client, app, scene, monkeypatch, statements):
    """SQLite has one writer: its lock is taken for the rows alone, never across the storage's writes. On
    PostgreSQL the judging's read transaction is still open then, having only read."""
    _, headers, (finding, _) = scene
    storage, seen = app.extensions["storage"], []
    real_put = storage.put

    def watched(key, data, content_type):
        seen.append((db.session().in_transaction(), list(statements)))
        return real_put(key, data, content_type)

    monkeypatch.setattr(storage, "put", watched)
    statements.clear()
    assert put(client, headers["inspector"], finding.id, uuid.uuid4(), f.jpeg()).status_code == 201
    assert seen == [(ON_POSTGRES, [("SELECT", "-")])] * 3  # original, display, thumb: after the judging alone


@pytest.mark.postgres
def test_on_postgresql_an_upload_takes_one_connection_and_one_transaction(client, scene):
    """Ending the read transaction before the processing cost its COMMIT, the pool's ping of the connection
    checked out again, and a BEGIN: 3 of the upload's 9 round trips."""
    _, headers, (finding, _) = scene
    # The token's first use is recorded (last_used_at) in a transaction of its own, then every few minutes.
    assert put(client, headers["inspector"], finding.id, uuid.uuid4(), f.jpeg()).status_code == 201
    seen = []
    listeners = {"checkout": lambda *_: seen.append("checkout")}
    for name, note in listeners.items():
        event.listen(db.engine.pool, name, note)
    begins = lambda *_: seen.append("BEGIN")  # noqa: E731
    commits = lambda *_: seen.append("COMMIT")  # noqa: E731
    event.listen(db.engine, "begin", begins)
    event.listen(db.engine, "commit", commits)
    try:
        assert put(client, headers["inspector"], finding.id, uuid.uuid4(), f.jpeg()).status_code == 201
    finally:
        event.remove(db.engine.pool, "checkout", listeners["checkout"])
        event.remove(db.engine, "begin", begins)
        event.remove(db.engine, "commit", commits)
    assert seen == ["checkout", "BEGIN", "COMMIT"], seen


def rows(session, finding_id, photo_id) -> dict:
    """What an upload leaves in the database, without what differs by nature (ids, digests, times)."""
    session.rollback()
    session.expire_all()
    photo = session.get(Photo, photo_id)
    blob = session.get(PhotoBlob, photo.sha256)
    finding = session.get(Finding, finding_id)
    last = session.scalars(
        select(FindingEvent).where(FindingEvent.finding_id == finding_id).order_by(FindingEvent.seq.desc())
    ).first()
    return {
        "photo": {
            "kind": photo.kind, "round": photo.round, "declared_by_id": photo.declared_by_id,
            "uploaded_by_id": photo.uploaded_by_id, "uploaded": photo.uploaded_at is not None,
            "declared_when_uploaded": photo.declared_at == photo.uploaded_at,
        },
        "blob": {name: getattr(blob, name) for name in BLOB_FACTS},
        "finding": {
            "events_count": finding.events_count, "version": finding.version, "status": finding.status,
            "after_photos_owed": finding.after_photos_owed, "moved": finding.updated_at == photo.uploaded_at,
        },
        "event": {
            "id": last.id == uuid.uuid5(photo_id, "photo_added"), "seq": last.seq, "action": last.action,
            "actor_id": last.actor_id, "role": last.role, "from_state": last.from_state, "to_state": last.to_state,
            "version": last.version, "payload": {**last.payload, "photo_id": "-"},
            "request_hash": last.request_hash == photo.sha256, "received_at": last.received_at == photo.uploaded_at,
        },
    }  # fmt: skip


def test_a_new_photo_is_written_as_store_photo_writes_it(client, app, session, scene):
    people, headers, (fast, orm) = scene
    fast_id, orm_id = uuid.uuid4(), uuid.uuid4()
    assert put(client, headers["inspector"], fast.id, fast_id, f.jpeg()).status_code == 201
    store_photo(
        session, app.extensions["storage"], actor_for(people["inspector"]), orm.id, orm_id, "evidence",
        f.jpeg(), now=utcnow(), process=process_photo,
    )  # fmt: skip
    session.commit()
    assert rows(session, fast.id, fast_id) == rows(session, orm.id, orm_id)


def test_a_declared_after_photo_is_written_as_store_photo_writes_it(client, app, session, scene):
    """The slot of a submitted rectification: filled, and the finding owes one photo fewer."""
    people, headers, findings = scene
    officer = people["officer"]
    slots = {}
    for finding in findings:
        session.rollback()
        finding = session.get(Finding, finding.id)
        first, owed = f.upload(session, officer, finding, "rectification", now=utcnow()), uuid.uuid4()
        f.act(session, officer, finding, "submit_rectification", utcnow(), measures="清理通道",
              completed_on=real_today(), photo_ids=[first, owed])  # fmt: skip
        session.commit()
        assert session.get(Finding, finding.id).after_photos_owed == 1
        slots[finding.id] = owed
    fast, orm = findings
    response = put(client, headers["officer"], fast.id, slots[fast.id], f.jpeg(), kind="rectification")
    assert response.status_code == 201 and response.json["round"] == 1
    store_photo(
        session, app.extensions["storage"], actor_for(officer), orm.id, slots[orm.id], "rectification",
        f.jpeg(), now=utcnow(), process=process_photo,
    )  # fmt: skip
    session.commit()
    written = rows(session, fast.id, slots[fast.id])
    assert written == rows(session, orm.id, slots[orm.id])
    assert written["finding"]["after_photos_owed"] == 0 and written["photo"]["round"] == 1


def test_a_declared_slot_filled_with_known_bytes_writes_only_the_photo_and_its_event(client, session, statements):
    world = f.World(session)
    inspector = world.user("inspector")
    headers = f.token_for(session, inspector)
    slot = uuid.uuid4()
    data = f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow())
    finding = f.report(session, inspector, {**data, "photo_ids": [slot]}, utcnow())
    session.commit()
    known = f.jpeg()
    assert put(client, headers, finding.id, uuid.uuid4(), known).status_code == 201
    statements.clear()
    filled = put(client, headers, finding.id, slot, known)
    assert filled.status_code == 201 and filled.json["id"] == str(slot)
    assert statements == [("SELECT", "-"), *writes(("UPDATE", "photos"))]
    session.rollback()
    assert session.get(Photo, slot).sha256 == filled.json["sha256"] and session.get(Photo, slot).uploaded_by_id


@pytest.mark.parametrize("role", list(Role))
def test_the_claim_compares_every_column_the_scope_reads(role):
    """photo_rows' claim holds the caller's view of the finding by comparing the columns of SEEN with what was
    judged: were finding_scope to read another column, a change to it between judging and writing would go
    unseen."""
    actor = Actor(id=7, role=role, area_path="/350200/350206/", enterprise_id=3)
    scope = visitors.iterate(finding_scope(actor))
    read = {c.name for c in scope if isinstance(c, Column) and c.table is Finding.__table__}
    assert read <= set(SEEN), read - set(SEEN)
    assert {"status", "rectification_round"} <= set(SEEN)  # what photos.judge_upload reads of the finding


@pytest.mark.parametrize("rereading", [False, True], ids=["signed-in", "account-reread"])
def test_the_judging_select_on_the_driver_gives_the_row_sqlalchemy_gives(client, session, scene, rereading):
    """photo_upload.judge runs its SELECT on the DB-API cursor (services.prepared): for a new photo, a stored one
    and a declared slot, with and without the remembered account's column, the row SQLAlchemy's own execution
    of the same statement gives, column for column and value for value (uuids, times, the blob's facts)."""
    from app.services import accounts
    from app.services.photo_upload import _facts, _judging
    from app.services.prepared import fetch_one

    people, headers, (finding, _) = scene
    stored_id, data = uuid.uuid4(), f.jpeg()
    assert put(client, headers["inspector"], finding.id, stored_id, data).status_code == 201
    actor = actor_for(people["inspector"])
    token = headers["inspector"]["Authorization"].removeprefix("Bearer ")
    account_params = {**accounts.account_still_params(accounts.remembered_account(token)), "now": utcnow()}
    sha = PhotoBlob.__table__.c.sha256
    known = session.scalar(select(sha).join(Photo, Photo.sha256 == sha).where(Photo.id == stored_id))
    cases = [(uuid.uuid4(), "0" * 64), (stored_id, known), (uuid.uuid4(), known)]
    for photo_id, sha256 in cases:
        params = {"finding_id": finding.id, "photo_id": photo_id, "sha256": sha256, "room_kind": "evidence"}
        params.update(account_params if rereading else {})
        core = session.connection().execute(_facts(actor, rereading), params).first()
        driver = fetch_one(session, _judging(actor, rereading), params)
        assert driver._fields == tuple(core._fields)
        assert tuple(driver) == tuple(core)
        assert not rereading or driver.account_holds == 1
