"""Photo evidence over HTTP: the real pipeline on the shared 12 MP phone photos, storage, privacy, limits."""

import io
import os
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import factories as f
import hostile_files as hostile
import pytest
from helpers import jsonify, real_today
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from testbed import ON_POSTGRES

from app.domain.calendar import utcnow
from app.extensions import db
from app.imaging import process_photo
from app.models import Photo, PhotoBlob
from app.storage import storage_from_url

SHARED = Path(__file__).resolve().parents[3] / "shared" / "photos"
PHOTOS = ["real_boats_12mp.jpg", "real_forest_12mp.jpg", "synthetic_12mp.jpg"]


@pytest.fixture(params=["local", "s3"])
def storage_url(request, tmp_path, monkeypatch):
    """The same tests with photos on the local disk and in S3 (moto on loopback)."""
    if request.param == "local":
        return f"file://{tmp_path / 'photos'}"
    endpoint = request.getfixturevalue("moto_endpoint")
    environ = {
        "S3_ENDPOINT_URL": endpoint,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    for name, value in {**environ, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}.items():
        monkeypatch.setenv(name, value)
    url = f"s3://t-{uuid.uuid4().hex[:16]}/photos"
    storage_from_url(url, environ).ensure_bucket()
    return url


def fetch(client, url: str, headers: dict):
    """GET a photo like a browser: local storage streams it, S3 answers 302 to a short-lived signed URL."""
    response = client.get(url, headers=headers)
    if response.status_code != 302:
        return response.status_code, response.data, response.headers
    with urllib.request.urlopen(response.headers["Location"], timeout=10) as signed:
        return signed.status, signed.read(), signed.headers


def shared_photo(name: str) -> bytes:
    path = SHARED / name
    assert path.exists(), f"the shared test photos are missing: {path} (CI checks out ../shared beside the repo)"
    return path.read_bytes()


@pytest.fixture
def scene(app, session):
    world = f.World(session)
    users = {r: world.user(r) for r in ("inspector", "grid_worker", "enterprise_officer", "supervisor", "admin")}
    users["outsider"] = world.user("inspector", area=world.other_district)
    users["stranger"] = world.user("enterprise_officer", enterprise=world.other_enterprise)
    headers = {name: f.token_for(session, user) for name, user in users.items()}
    finding = f.report(
        session,
        users["inspector"],
        f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow()),
        utcnow(),
    )
    session.commit()
    return world, headers, finding


def put(client, finding_id, photo_id, data, headers, kind=None, content_type="image/jpeg"):
    query = f"?kind={kind}" if kind else ""
    return client.put(
        f"/api/v1/findings/{finding_id}/photos/{photo_id}{query}",
        data=data,
        headers={**headers, "Content-Type": content_type},
    )


def stored_objects(app) -> list[str]:
    return list(app.extensions["storage"].keys())


def count(session, model) -> int:
    session.commit()
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("name", PHOTOS)
def test_a_phone_photo_is_stored_upright_stripped_and_described(client, app, scene, name, storage_url):
    _, headers, finding = scene
    photo_id = uuid.uuid4()
    response = put(client, finding.id, photo_id, shared_photo(name), headers["inspector"])
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["width"], body["height"]) == (3000, 4000)  # Orientation 6: taken in portrait
    assert body["taken_at"].startswith("2024-05-14T")
    assert body["exif_location"]["lat"] == pytest.approx(52.3754, abs=1e-3)
    assert body["exif_location"]["lng"] == pytest.approx(4.8974, abs=1e-3)
    assert set(body["urls"]) == {"display", "thumb"}
    for variant, size in (("display", (1200, 1600)), ("thumb", (240, 320))):
        status, data, served_headers = fetch(client, body["urls"][variant], headers["inspector"])
        assert status == 200 and served_headers["Content-Type"] == "image/jpeg"
        image = Image.open(io.BytesIO(data))
        assert image.size == size
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in data[:4096]
        if storage_url.startswith("file://"):  # streamed by us: revalidation by ETag, no second download
            assert served_headers["X-Content-Type-Options"] == "nosniff"
            etag = {**headers["inspector"], "If-None-Match": served_headers["ETag"]}
            assert client.get(body["urls"][variant], headers=etag).status_code == 304
    detail = client.get(f"/api/v1/findings/{finding.id}", headers=headers["inspector"]).json
    assert [p["id"] for p in detail["photos"]] == [str(photo_id)] and detail["missing_photos"] == []


def test_the_same_upload_twice_is_201_then_200_and_stored_once(client, app, session, scene):
    _, headers, finding = scene
    data, photo_id = shared_photo(PHOTOS[0]), uuid.uuid4()
    assert put(client, finding.id, photo_id, data, headers["inspector"]).status_code == 201
    objects = stored_objects(app)
    again = put(client, finding.id, photo_id, data, headers["inspector"])
    assert again.status_code == 200 and again.json["sha256"]
    assert stored_objects(app) == objects and len(objects) == 3  # original, display, thumb
    other = put(client, finding.id, photo_id, shared_photo(PHOTOS[1]), headers["inspector"])
    assert other.status_code == 409 and other.json["error"]["code"] == "conflict"


def test_the_same_bytes_under_two_findings_are_one_object_two_rows(client, app, session, scene):
    world, headers, finding = scene
    second = client.post(
        "/api/v1/findings",
        headers=headers["inspector"],
        json=jsonify(f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=3), observed_at=utcnow())),
    ).json
    data = shared_photo(PHOTOS[2])
    for finding_id in (finding.id, second["id"]):
        assert put(client, finding_id, uuid.uuid4(), data, headers["inspector"]).status_code == 201
    assert count(session, PhotoBlob) == 1 and count(session, Photo) == 2
    assert len(stored_objects(app)) == 3


def test_declared_photos_are_missing_until_they_arrive(client, scene):
    world, headers, _ = scene
    ids = [str(uuid.uuid4()) for _ in range(2)]
    body = jsonify(f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=3), observed_at=utcnow()))
    created = client.post("/api/v1/findings", headers=headers["inspector"], json={**body, "photo_ids": ids})
    assert created.status_code == 201, created.json
    assert sorted(created.json["missing_photos"]) == sorted(ids)
    assert put(client, created.json["id"], ids[0], shared_photo(PHOTOS[0]), headers["inspector"]).status_code == 201
    detail = client.get(f"/api/v1/findings/{created.json['id']}", headers=headers["inspector"]).json
    assert detail["missing_photos"] == [ids[1]]
    assert put(client, created.json["id"], ids[1], shared_photo(PHOTOS[1]), headers["inspector"]).status_code == 201
    assert (
        client.get(f"/api/v1/findings/{created.json['id']}", headers=headers["inspector"]).json["missing_photos"] == []
    )


def test_each_role_fetches_what_it_may_and_404_for_the_rest(client, scene):
    _, headers, finding = scene
    body = put(client, finding.id, uuid.uuid4(), shared_photo(PHOTOS[0]), headers["inspector"]).json
    base = f"/api/v1/photos/{body['id']}"
    expected = {
        "inspector": {"display": 200, "thumb": 200, "original": 404},
        "enterprise_officer": {"display": 200, "thumb": 200, "original": 404},
        "grid_worker": {"display": 200, "thumb": 200, "original": 404},
        "supervisor": {"display": 200, "thumb": 200, "original": 200},
        "admin": {"display": 200, "thumb": 200, "original": 200},
        "outsider": {"display": 404, "thumb": 404, "original": 404},
        "stranger": {"display": 404, "thumb": 404, "original": 404},
    }
    for who, variants in expected.items():
        for variant, status in variants.items():
            assert fetch(client, f"{base}/{variant}", headers[who])[0] == status, (who, variant)
    _, original, _ = fetch(client, f"{base}/original", headers["supervisor"])
    assert original == shared_photo(PHOTOS[0])  # the untouched evidence, EXIF and all
    assert client.get(f"{base}/nonsense", headers=headers["supervisor"]).status_code == 404


@pytest.mark.parametrize(
    "data,status",
    [
        (b"", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", 415),
    ],
)
def test_files_that_are_not_images_are_415_and_nothing_is_stored(client, app, session, scene, data, status):
    _, headers, finding = scene
    response = put(client, finding.id, uuid.uuid4(), data, headers["inspector"])
    assert response.status_code == status and response.json["error"]["message"]
    assert stored_objects(app) == [] and count(session, Photo) == 0


def test_a_truncated_jpeg_is_422_and_nothing_is_stored(client, app, session, scene):
    _, headers, finding = scene
    data = shared_photo(PHOTOS[0])
    response = put(client, finding.id, uuid.uuid4(), data[: len(data) // 2], headers["inspector"])
    assert response.status_code == 422 and response.json["error"]["fields"]
    assert stored_objects(app) == [] and count(session, Photo) == 0 and count(session, PhotoBlob) == 0


def test_thirty_megabytes_is_413_before_it_is_read(client, app, session, scene):
    _, headers, finding = scene
    response = put(client, finding.id, uuid.uuid4(), b"\xff\xd8" + b"\0" * (30 * 1024 * 1024), headers["inspector"])
    assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"
    assert stored_objects(app) == []


def test_wrong_ids_are_404(client, scene):
    _, headers, finding = scene
    data = shared_photo(PHOTOS[0])
    assert put(client, finding.id, "not-a-uuid", data, headers["inspector"]).status_code == 404
    assert put(client, uuid.uuid4(), uuid.uuid4(), data, headers["inspector"]).status_code == 404
    assert put(client, finding.id, uuid.uuid4(), data, headers["outsider"]).status_code == 404
    assert client.get(f"/api/v1/photos/{uuid.uuid4()}/display", headers=headers["inspector"]).status_code == 404


def test_nine_photos_per_kind_at_most(client, app, scene):
    _, headers, finding = scene
    small = io.BytesIO()
    for i in range(10):
        small.seek(0)
        small.truncate()
        Image.new("RGB", (64, 48), (i * 20, 0, 0)).save(small, "JPEG")
        response = put(client, finding.id, uuid.uuid4(), small.getvalue(), headers["inspector"])
        assert response.status_code == (201 if i < 9 else 422), (i, response.json)


def test_only_the_right_roles_upload_each_kind(client, scene):
    _, headers, finding = scene
    data = shared_photo(PHOTOS[0])
    assert put(client, finding.id, uuid.uuid4(), data, headers["enterprise_officer"]).status_code == 403
    assert (
        put(client, finding.id, uuid.uuid4(), data, headers["enterprise_officer"], kind="rectification").status_code
        == 201
    )
    assert put(client, finding.id, uuid.uuid4(), data, headers["grid_worker"], kind="rectification").status_code == 403


def test_a_failed_transaction_leaves_no_objects_behind(client, app, session, scene, monkeypatch):
    _, headers, finding = scene
    from app.extensions import db

    def refuse():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", refuse, raising=False)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = put(client, finding.id, uuid.uuid4(), shared_photo(PHOTOS[0]), headers["inspector"])
    assert response.status_code == 500
    monkeypatch.undo()
    assert stored_objects(app) == [] and count(session, Photo) == 0


def test_the_image_is_processed_holding_no_lock(client, app, session, scene, monkeypatch):
    """A 12 MP decode takes 100 ms and more: no other write may wait for it. SQLite has one writer and its read
    transaction would keep a snapshot the write could not build on: none is open. PostgreSQL's read transaction
    stays open (ending it costs three round trips) but has only read, so another can lock the finding's row at
    once."""
    _, headers, finding = scene
    seen = []

    def watched(data, **kwargs):
        seen.append((db.session().in_transaction(), _row_lock_at_once(finding.id)))
        return process_photo(data, **kwargs)

    monkeypatch.setattr("app.api.photos.process_photo", watched)
    response = put(client, finding.id, uuid.uuid4(), shared_photo(PHOTOS[0]), headers["inspector"])
    assert response.status_code == 201
    assert seen == [(ON_POSTGRES, True)], "processed once, holding no lock"
    again = put(client, finding.id, uuid.uuid4(), shared_photo(PHOTOS[0]), headers["inspector"])
    assert again.status_code == 201 and len(seen) == 1, "known bytes are not processed again"


def _row_lock_at_once(finding_id) -> bool:
    """Whether another connection can lock the finding's row without waiting (on SQLite: take the write lock)."""
    with db.engine.connect() as other:
        wait = None if ON_POSTGRES else other.exec_driver_sql("PRAGMA busy_timeout").scalar()
        if wait is not None:
            other.exec_driver_sql("PRAGMA busy_timeout = 0")
        try:
            if ON_POSTGRES:
                other.execute(text("SELECT id FROM findings WHERE id = :id FOR UPDATE NOWAIT"), {"id": finding_id})
            else:
                other.exec_driver_sql("UPDATE findings SET events_count = events_count WHERE 0")
            return True
        except OperationalError:
            return False
        finally:
            other.rollback()
            if wait is not None:  # the connection goes back to the pool as it came
                other.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait)}")


def test_a_200_megapixel_png_bomb_is_422_and_nothing_is_stored(client, app, session, scene):
    _, headers, finding = scene
    response = put(client, finding.id, uuid.uuid4(), hostile.png_bomb(), headers["inspector"], content_type="image/png")
    assert response.status_code == 422 and "megapixels" in response.json["error"]["message"]
    assert stored_objects(app) == [] and count(session, Photo) == 0 and count(session, PhotoBlob) == 0


def test_a_polyglot_is_stored_only_as_re_encoded_variants(client, app, scene):
    _, headers, finding = scene
    body = put(client, finding.id, uuid.uuid4(), hostile.polyglot_jpeg(), headers["inspector"]).json
    for variant in ("display", "thumb"):
        status, served, _ = fetch(client, f"/api/v1/photos/{body['id']}/{variant}", headers["inspector"])
        assert status == 200 and hostile.SCRIPT not in served, variant
        assert hostile.metadata_segments(served) == []
    _, original, _ = fetch(client, f"/api/v1/photos/{body['id']}/original", headers["supervisor"])
    assert original == hostile.polyglot_jpeg(), "the evidence is kept untouched, for supervisors only"
