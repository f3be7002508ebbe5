"""The fix is proven by a photo: submit_rectification needs an after-photo that has arrived, and a fix on the
spot declares one. Uploaded before the action that cites it, as the PWA's outbox sends them."""

import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import event, jsonify, put_photo, real_today
from sqlalchemy import func, select

from app.domain.calendar import utcnow
from app.models import FindingEvent, Photo


@pytest.fixture
def rectifying(session):
    world = f.World(session)
    inspector, officer = world.user("inspector"), world.user("enterprise_officer")
    data = f.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow())
    finding = f.report(session, inspector, data, utcnow())
    people = {"inspector": inspector, "officer": officer, "supervisor": world.user("supervisor")}
    headers = {name: f.token_for(session, who) for name, who in people.items()}
    session.commit()
    return finding, headers


def submit(client, finding_id, version, headers, **fields):
    body = event("submit_rectification", version, measures="清理通道", completed_on=real_today(), **fields)
    return client.post(f"/api/v1/findings/{finding_id}/events", json=jsonify(body), headers=headers)


def test_a_rectification_waits_for_its_after_photo(client, session, rectifying):
    finding, headers = rectifying
    photo_id = str(uuid.uuid4())
    early = submit(client, finding.id, finding.version, headers["officer"], photo_ids=[photo_id])
    assert early.status_code == 422 and set(early.json["error"]["fields"]) == {"photo_ids"}
    session.expire_all()
    assert session.get(Photo, uuid.UUID(photo_id)) is None, "the refused submission declared nothing"
    assert session.scalar(select(func.count()).select_from(FindingEvent)) == 1

    url = f"/api/v1/findings/{finding.id}/photos/{photo_id}?kind=rectification"
    uploaded = client.put(url, data=f.jpeg(), headers={**headers["officer"], "Content-Type": "image/jpeg"})
    assert uploaded.status_code == 201
    done = submit(client, finding.id, finding.version, headers["officer"], photo_ids=[photo_id])
    assert done.status_code == 201 and done.json["status"] == "pending_review"
    assert [p["id"] for p in done.json["photos"] if p["kind"] == "rectification"] == [photo_id]


def test_an_evidence_photo_does_not_prove_a_fix(client, rectifying):
    finding, headers = rectifying
    put_photo(client, headers["inspector"], finding.id, kind="evidence")
    response = submit(client, finding.id, finding.version, headers["officer"])
    assert response.status_code == 422 and "photo_ids" in response.json["error"]["fields"]


def test_without_photo_ids_only_photos_since_the_last_submission_count(client, session, rectifying):
    finding, headers = rectifying
    supervisor = headers["supervisor"]
    put_photo(client, headers["officer"], finding.id)
    first = submit(client, finding.id, finding.version, headers["officer"])
    assert first.status_code == 201, first.json
    url = f"/api/v1/findings/{finding.id}/events"
    rejected = client.post(url, json=event("reject", first.json["version"], comment="仍有杂物"), headers=supervisor)
    assert rejected.status_code == 201 and rejected.json["status"] == "rectifying"

    again = submit(client, finding.id, rejected.json["version"], headers["officer"])
    assert again.status_code == 422, "the rejected fix's photo does not prove the next one"
    put_photo(client, headers["officer"], finding.id)
    again = submit(client, finding.id, rejected.json["version"], headers["officer"])
    assert again.status_code == 201 and again.json["status"] == "pending_review"


def test_a_fix_on_the_spot_declares_its_after_photo_and_lists_it_missing_until_it_arrives(client, session):
    world = f.World(session)
    inspector = world.user("inspector")
    headers = f.token_for(session, inspector)
    session.commit()
    today = real_today()
    base = f.finding_data(world.enterprise, rectify_mode="immediate", deadline=today, observed_at=utcnow())
    fix = {"measures": "当场清理通道", "completed_on": today}
    refused = client.post("/api/v1/findings", headers=headers, json=jsonify({**base, "rectification": fix}))
    assert refused.status_code == 422 and "photo_ids" in refused.json["error"]["fields"]["rectification"]

    after = str(uuid.uuid4())
    body = jsonify({**base, "id": uuid.uuid4(), "rectification": {**fix, "photo_ids": [after]}})
    created = client.post("/api/v1/findings", headers=headers, json=body)
    assert created.status_code == 201 and created.json["status"] == "pending_review"
    assert created.json["missing_photos"] == [after]
    url = f"/api/v1/findings/{created.json['id']}/photos/{after}"
    assert client.put(url, data=f.jpeg(), headers={**headers, "Content-Type": "image/jpeg"}).status_code == 201
    detail = client.get(f"/api/v1/findings/{created.json['id']}", headers=headers).json
    assert detail["missing_photos"] == [] and detail["photos"][0]["kind"] == "rectification"
