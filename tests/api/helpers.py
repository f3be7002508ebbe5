"""Helpers for the HTTP tests: JSON bodies from Python values, and the real clock."""

import json
import uuid
from datetime import date, datetime

import factories

from app.domain.calendar import local_today, utcnow


def jsonify(value):
    """Python test data as the JSON a client would send (UUIDs, dates and datetimes as strings)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date | datetime) else str(v)))


def real_today() -> date:
    return local_today(utcnow())


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
