"""Helpers for the HTTP tests: JSON bodies from Python values, and the real clock."""

import json
import uuid
from datetime import date, datetime

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
