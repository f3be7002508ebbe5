"""flask photos verify [--repair]: objects without rows and rows without objects, found and (on request) removed."""

import factories as f
import pytest
from sqlalchemy import func, select

from app.models import Photo, PhotoBlob
from app.services.photos import object_key

ORPHAN = "display/ee/" + "e" * 64 + ".jpg"


@pytest.fixture
def stored(app, session):
    """A finding with two arrived photos, committed: six objects, two blob rows."""
    world = f.World(session)
    inspector = world.user("inspector")
    finding = f.report(session, inspector, f.finding_data(world.enterprise))
    ids = [f.upload(session, inspector, finding, "evidence") for _ in range(2)]
    session.commit()
    return app.extensions["storage"], [session.get(Photo, i) for i in ids]


def verify(app, *args):
    return app.test_cli_runner().invoke(args=["photos", "verify", *args])


def test_a_consistent_store_passes(app, stored):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "2 photo blobs in the database, 6 objects in storage" in result.output
    assert "agree" in result.output


def test_problems_are_reported_and_left_alone_without_repair(app, session, stored):
    storage, photos = stored
    storage.put(ORPHAN, b"left behind by a crash", "image/jpeg")
    lost = object_key(photos[0].blob, "thumb")
    storage.delete(lost)
    result = verify(app, "--grace-minutes", "0")
    assert result.exit_code == 1
    assert f"object without a row: {ORPHAN}" in result.output
    assert f"row without objects: {photos[0].sha256} lacks {lost}" in result.output
    assert storage.exists(ORPHAN) and session.scalar(select(func.count()).select_from(PhotoBlob)) == 2


def test_a_young_unreferenced_object_may_be_an_upload_in_flight(app, stored):
    storage, _ = stored
    storage.put(ORPHAN, b"an upload whose row is not committed yet", "image/jpeg")
    result = verify(app, "--repair")  # the default grace is 15 minutes
    assert result.exit_code == 0 and "1 unreferenced objects younger than 15 min left alone" in result.output
    assert storage.exists(ORPHAN)


def test_repair_deletes_orphans_and_makes_lost_photos_missing_again(app, client, session, stored):
    storage, photos = stored
    storage.put(ORPHAN, b"left behind by a crash", "image/jpeg")
    broken, intact = photos
    broken_id, broken_sha = broken.id, broken.sha256
    storage.delete(object_key(broken.blob, "original"))

    result = verify(app, "--repair", "--grace-minutes", "0")
    assert result.exit_code == 0, result.output
    assert "(deleted)" in result.output and "(forgotten" in result.output
    session.expire_all()
    assert not storage.exists(ORPHAN)
    assert session.get(PhotoBlob, broken_sha) is None
    assert session.get(Photo, broken_id).sha256 is None, "the photo is owed again, so a client can re-upload it"
    assert not any(key.endswith(broken_sha + ".jpg") for key in storage.keys(prefix="")), "no surviving variant is left"
    assert all(storage.exists(object_key(intact.blob, v)) for v in ("original", "display", "thumb"))

    again = verify(app, "--grace-minutes", "0")
    assert again.exit_code == 0 and "agree" in again.output
