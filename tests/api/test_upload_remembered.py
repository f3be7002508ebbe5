"""Issue 15: an upload let in with the account remembered for its bearer token (services.account_memory). Its
judging SELECT reads the account again, so revoking a token, deactivating a user or resetting a password still
stops the very next upload, before anything is processed or written; any other change has it judged afresh."""

import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import real_today
from sqlalchemy import func, select

from app.domain.calendar import utcnow
from app.models import Photo, PhotoBlob
from app.services import accounts


@pytest.fixture
def remembered(client, session):
    """An inspector, a token of theirs whose account a first upload made the worker remember, and a finding."""
    world = f.World(session)
    inspector = world.user("inspector")
    token, row = accounts.issue_token_row(session, inspector, now=utcnow())
    finding = f.report(
        session, inspector,
        f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow()), utcnow(),
    )  # fmt: skip
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert put(client, headers, finding.id).status_code == 201
    assert accounts.remembered_account(token) is not None
    return world, inspector, row, headers, finding, token


def put(client, headers, finding_id, data=None):
    url = f"/api/v1/findings/{finding_id}/photos/{uuid.uuid4()}?kind=evidence"
    return client.put(url, data=data or f.jpeg(), headers={**headers, "Content-Type": "image/jpeg"})


def stored(session) -> tuple[int, int]:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Photo)), session.scalar(
        select(func.count()).select_from(PhotoBlob)
    )


@pytest.mark.parametrize("change", ["revoked", "expired", "deactivated"])
def test_a_token_that_ended_is_refused_by_the_next_upload_though_remembered(client, session, remembered, change):
    _world, inspector, token_row, headers, finding, _token = remembered
    if change == "revoked":
        token_row.revoked_at = utcnow()
    elif change == "expired":
        token_row.expires_at = utcnow() - timedelta(seconds=1)
    else:
        inspector.active = False
    session.commit()
    before = stored(session)
    refused = put(client, headers, finding.id)
    assert refused.status_code == 401, refused.json
    assert stored(session) == before  # nothing written
    assert put(client, headers, uuid.uuid4()).status_code == 401  # not the 404 a live account would get


def test_a_password_reset_stops_the_next_upload_at_the_gate(client, session, remembered):
    _world, inspector, _row, headers, finding, _token = remembered
    inspector.must_change_password = True
    session.commit()
    refused = put(client, headers, finding.id)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "password_change_required"


def test_a_changed_account_is_judged_afresh_by_the_next_upload(client, session, remembered):
    world, inspector, _row, headers, finding, token = remembered
    inspector.display_name = "王新名"
    session.commit()
    assert put(client, headers, finding.id).status_code == 201
    assert accounts.remembered_account(token)[1].display_name == "王新名"  # remembered afresh
    inspector.area_id = world.other_district.id  # moved: the finding is no longer in their area
    session.commit()
    before = stored(session)
    moved = put(client, headers, finding.id)
    assert moved.status_code == 404, moved.json
    assert stored(session) == before
    inspector.area_id = world.district.id
    session.commit()
    assert put(client, headers, finding.id).status_code == 201


def test_a_remembered_account_is_read_only_by_the_uploads_own_statement(client, remembered, monkeypatch):
    _world, _inspector, _row, headers, finding, _token = remembered
    reads = []
    fetch = accounts.fetch_one
    monkeypatch.setattr(accounts, "fetch_one", lambda *a, **k: reads.append(1) or fetch(*a, **k))
    assert put(client, headers, finding.id).status_code == 201
    assert reads == []  # no read of its own: the judging SELECT read it, and it held
    assert client.get(f"/api/v1/findings/{finding.id}", headers=headers).status_code == 200
    assert reads == [1]  # any other request reads it as always


def test_a_refused_upload_from_a_token_that_ended_is_401_as_for_any_request(client, session, remembered):
    _world, _inspector, token_row, headers, finding, _token = remembered
    assert put(client, headers, finding.id, data=b"not an image").status_code == 415  # a live token: the bytes'
    token_row.revoked_at = utcnow()
    session.commit()
    assert put(client, headers, finding.id, data=b"not an image").status_code == 401
