"""Issue 15: an upload judged by one SELECT and written in a later transaction can lose a race in between. Each
race here is forced at that moment (another request's work done, and committed, just before the upload's write
transaction begins), and each must end as if the requests had come one after the other: the upload judged again
by the ORM path answers 200, 409 or 422 as the rules say. Then real concurrent requests: twins stored once, and
never more than nine photos of a kind."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import factories as f
import pytest
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.api.photos import write_phase
from app.domain.calendar import local_today, utcnow
from app.extensions import db
from app.imaging import process_photo
from app.models import Finding, FindingEvent, Photo, PhotoBlob
from app.services.actors import actor_for
from app.services.photo_audit import verify_photos
from app.services.photos import MAX_PER_KIND, store_photo


@pytest.fixture
def scene(session):
    world = f.World(session)
    people = {"inspector": world.user("inspector"), "supervisor": world.user("supervisor")}
    headers = {name: f.token_for(session, who) for name, who in people.items()}
    today = local_today(utcnow())
    data = f.finding_data(world.enterprise, deadline=today + timedelta(days=7), observed_at=utcnow())
    finding = f.report(session, people["inspector"], data, utcnow())
    session.commit()
    return people, headers, finding.id


def put(client, headers, finding_id, photo_id, data):
    url = f"/api/v1/findings/{finding_id}/photos/{photo_id}?kind=evidence"
    return client.put(url, data=data, headers={**headers, "Content-Type": "image/jpeg"})


def meanwhile(monkeypatch, work):
    """Run work(session) in a session of its own, committed, after the upload was judged (and its files written)
    and before its write transaction begins: another request that got there first."""

    def begin_writing():
        with Session(db.engine) as other:
            work(other)
            other.commit()
        write_phase()

    monkeypatch.setattr("app.api.photos.write_phase", begin_writing)


def stored_by_another(who, finding_id, photo_id, data):
    """Another request's upload (through the ORM path, as the factories store photos)."""

    def work(other):
        store_photo(other, current_app.extensions["storage"], actor_for(who), finding_id, photo_id, "evidence",
                    data, now=utcnow(), process=process_photo)  # fmt: skip

    return work


def count(session, model, *where) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def events(session, finding_id) -> list[str]:
    session.rollback()
    query = select(FindingEvent.action).where(FindingEvent.finding_id == finding_id).order_by(FindingEvent.seq)
    return list(session.scalars(query))


def test_a_finding_voided_meanwhile_refuses_the_photo_and_verify_sweeps_its_files(client, app, session, scene,
                                                                                   monkeypatch):  # fmt: skip
    people, headers, finding_id = scene

    def void(other):
        f.act(other, people["supervisor"], other.get(Finding, finding_id), "void", utcnow(), reason="误报")

    meanwhile(monkeypatch, void)
    response = put(client, headers["inspector"], finding_id, uuid.uuid4(), f.jpeg())
    assert response.status_code == 409 and response.json["error"]["code"] == "invalid_transition"
    assert count(session, Photo) == 0 and events(session, finding_id) == ["report", "void"]
    storage = app.extensions["storage"]
    written = sorted(storage.keys())
    assert len(written) == 3  # written before the rows, no row points to them: orphans once the grace is over
    young = verify_photos(session, storage, now=utcnow())
    assert young.young_objects == 3 and young.orphan_objects == []
    swept = verify_photos(session, storage, now=utcnow() + timedelta(minutes=16), repair=True)
    assert sorted(swept.orphan_objects) == written and list(storage.keys()) == []


def test_a_twin_that_lands_meanwhile_makes_the_upload_a_retry(client, app, session, scene, monkeypatch):
    people, headers, finding_id = scene
    data, photo_id = f.jpeg(), uuid.uuid4()
    meanwhile(monkeypatch, stored_by_another(people["inspector"], finding_id, photo_id, data))
    response = put(client, headers["inspector"], finding_id, photo_id, data)
    assert response.status_code == 200, response.json
    assert response.json["id"] == str(photo_id) and response.json["arrived"] is True
    assert count(session, Photo) == 1 and count(session, PhotoBlob) == 1
    assert events(session, finding_id) == ["report", "photo_added"]
    assert len(list(app.extensions["storage"].keys())) == 3
    assert session.get(Finding, finding_id).events_count == 2


def test_other_bytes_landing_meanwhile_under_the_same_id_are_a_conflict(client, session, scene, monkeypatch):
    people, headers, finding_id = scene
    photo_id = uuid.uuid4()
    meanwhile(monkeypatch, stored_by_another(people["inspector"], finding_id, photo_id, f.jpeg()))
    response = put(client, headers["inspector"], finding_id, photo_id, f.jpeg())
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"
    assert count(session, Photo) == 1 and events(session, finding_id) == ["report", "photo_added"]


def test_the_last_place_taken_meanwhile_leaves_no_room(client, session, scene, monkeypatch):
    people, headers, finding_id = scene
    for _ in range(MAX_PER_KIND - 1):
        assert put(client, headers["inspector"], finding_id, uuid.uuid4(), f.jpeg()).status_code == 201
    meanwhile(monkeypatch, stored_by_another(people["inspector"], finding_id, uuid.uuid4(), f.jpeg()))
    response = put(client, headers["inspector"], finding_id, uuid.uuid4(), f.jpeg())
    assert response.status_code == 422 and response.json["error"]["fields"] == {"photo": "Too many photos."}
    assert count(session, Photo, Photo.finding_id == finding_id) == MAX_PER_KIND


def test_a_blob_forgotten_meanwhile_is_stored_again(client, app, session, scene, monkeypatch):
    """Judged present (so not processed), then forgotten by `photos verify --repair` (its objects were lost): the
    photo's insert fails on the blob's foreign key, and the ORM path processes and stores the bytes again."""
    _, headers, finding_id = scene
    data, first = f.jpeg(), uuid.uuid4()
    assert put(client, headers["inspector"], finding_id, first, data).status_code == 201
    storage = app.extensions["storage"]

    def lose_and_repair(other):
        for key in list(storage.keys()):
            storage.delete(key)
        assert verify_photos(other, storage, now=utcnow(), repair=True).broken_blobs

    meanwhile(monkeypatch, lose_and_repair)
    second = uuid.uuid4()
    response = put(client, headers["inspector"], finding_id, second, data)
    assert response.status_code == 201, response.json
    session.rollback()
    assert session.get(Photo, second).sha256 == response.json["sha256"]
    assert session.get(Photo, first).sha256 is None  # the repair made it missing again, to be uploaded once more
    assert len(list(storage.keys())) == 3 and verify_photos(session, storage, now=utcnow()).clean


def concurrently(n: int, call):
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_twenty_twins_at_once_store_the_photo_once(client, app, session, scene):
    _, headers, finding_id = scene
    data, photo_id = f.jpeg(), uuid.uuid4()
    answers = concurrently(20, lambda _: put(client, headers["inspector"], finding_id, photo_id, data))
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
    assert {a.json["sha256"] for a in answers} == {answers[0].json["sha256"]}
    assert count(session, Photo) == 1 and count(session, PhotoBlob) == 1
    assert events(session, finding_id) == ["report", "photo_added"]
    assert len(list(app.extensions["storage"].keys())) == 3


def test_photos_racing_for_the_last_places_never_make_more_than_nine(client, session, scene):
    _, headers, finding_id = scene
    for _ in range(5):
        assert put(client, headers["inspector"], finding_id, uuid.uuid4(), f.jpeg()).status_code == 201
    files = [f.jpeg() for _ in range(8)]
    answers = concurrently(8, lambda i: put(client, headers["inspector"], finding_id, uuid.uuid4(), files[i]))
    assert sorted(a.status_code for a in answers) == [201] * 4 + [422] * 4
    assert count(session, Photo, Photo.finding_id == finding_id) == MAX_PER_KIND
    session.rollback()
    seqs = session.scalars(select(FindingEvent.seq).where(FindingEvent.finding_id == finding_id)).all()
    assert sorted(seqs) == list(range(1, 11)) and session.get(Finding, finding_id).events_count == 10


@pytest.mark.postgres
def test_a_count_older_than_the_lock_it_waited_for_is_checked_again(client, session, scene, monkeypatch):
    """PostgreSQL: the upload's one statement reads the kind's count with the snapshot it began with. Another upload
    holding the finding's row adds the ninth photo and commits while ours waits for the row: the count read said 8,
    so the photo went in, and the count checked again (10) sends the upload back to be judged: 422."""
    people, headers, finding_id = scene
    for _ in range(MAX_PER_KIND - 1):
        assert put(client, headers["inspector"], finding_id, uuid.uuid4(), f.jpeg()).status_code == 201
    committed = threading.Event()

    def begin_writing():
        other = Session(db.engine)
        store_photo(other, current_app.extensions["storage"], actor_for(people["inspector"]), finding_id,
                    uuid.uuid4(), "evidence", f.jpeg(), now=utcnow(), process=process_photo)  # fmt: skip

        def commit_later():
            other.commit()
            other.close()
            committed.set()

        threading.Timer(0.5, commit_later).start()  # ours meanwhile waits for the finding's row
        write_phase()

    monkeypatch.setattr("app.api.photos.write_phase", begin_writing)
    response = put(client, headers["inspector"], finding_id, uuid.uuid4(), f.jpeg())
    assert committed.is_set()
    assert response.status_code == 422 and response.json["error"]["fields"] == {"photo": "Too many photos."}
    assert count(session, Photo, Photo.finding_id == finding_id) == MAX_PER_KIND
