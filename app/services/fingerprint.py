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
    """The payload as it is stored in an event: plain JSON values only (what a JSON round trip gives)."""
    try:
        return _plain(payload)
    except _NotPlain:
        return json.loads(json.dumps(payload, default=_default, ensure_ascii=False))


class _NotPlain(Exception):
    """A value whose round trip is not simply itself (an enum, a non-text key...): the round trip decides."""


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _plain(value):
    """The JSON round trip of the values a request body loads into, without the text in between (the create
    turns every body into an event payload): texts, numbers, booleans and None as they are, dates, times and
    UUIDs as their text, lists and tuples as lists, dicts with text keys as dicts."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise _NotPlain
        return {key: _plain(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_plain(item) for item in value]
    if kind is datetime or kind is date:
        return value.isoformat()
    if kind is UUID:
        return str(value)
    raise _NotPlain
