"""A stable digest of what a client asked for, to tell a safe retry from a clashing reuse of an id."""

import hashlib
import json
from datetime import date, datetime
from uuid import UUID


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(*parts) -> str:
    text = json.dumps(parts, default=_default, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def jsonable(payload: dict) -> dict:
    """The payload as it is stored in an event: plain JSON values only."""
    return json.loads(json.dumps(payload, default=_default, ensure_ascii=False))
