"""Helpers for the HTTP tests: JSON bodies from Python values, the real clock, and an inspector's finding."""

import json
import uuid
from datetime import date, datetime, timedelta

import factories

from app.domain.calendar import local_today, utcnow


def jsonify(value):
    """Python test data as the JSON a client would send (UUIDs, dates and datetimes as strings)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date | datetime) else str(v)))


def real_today() -> date:
    return local_today(utcnow())


def inspectors_finding(session) -> tuple[dict, object]:
    """An inspector's bearer headers and a general finding they reported just now, due in a week: for the tests
    that need one finding to send photos or requests to and care nothing for its rules."""
    world = factories.World(session)
    inspector = world.user("inspector")
    headers = factories.token_for(session, inspector)
    body = factories.finding_data(world.enterprise, deadline=real_today() + timedelta(days=7), observed_at=utcnow())
    finding = factories.report(session, inspector, body, utcnow())
    session.commit()
    return headers, finding


def event(action: str, version: int | None, **fields) -> dict:
    body = {"id": str(uuid.uuid4()), "action": action, **jsonify(fields)}
    if version is not None:
        body["version"] = version
    return body


def put_photo(client, headers: dict, finding_id, kind: str = "rectification") -> str:
    """Upload a small real JPEG to the finding, as the phone does before the action that cites it."""
    photo_id = str(uuid.uuid4())
    url = f"/api/v1/findings/{finding_id}/photos/{photo_id}?kind={kind}"
    response = client.put(url, data=factories.jpeg(), headers={**headers, "Content-Type": "image/jpeg"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return photo_id
