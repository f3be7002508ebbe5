"""The one cursor format of every keyset-paged endpoint, and the one error for a cursor that is not one.

A cursor is URL-safe base64 (no padding) of a JSON array: the list's tag, then the position's values, each in a
declared kind. The tag names the list and its order ("findings:-deadline", "sync", "audit" ...), so a cursor of one
list, or of another order of the same list, is refused instead of misread. Decoding is strict: the length, the
alphabet, the JSON, the tag, the number of values and each value's kind are all checked, and any failure is the same
BadCursor, which the API answers with 400 invalid_cursor everywhere.

Cursors are not signed: a cursor only says where to resume, and every page is filtered by the caller's scope, so an
edited cursor can show nothing the caller could not list anyway.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from app.domain.errors import DomainError

MAX_CURSOR_LENGTH = 500
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
INT_RANGE = (-(2**63), 2**63 - 1)


class BadCursor(DomainError):
    """Not a cursor this list handed out. Not a business rule (422): the request itself is malformed, and
    api/errors.py answers a DomainError it does not list with 400."""

    code = "invalid_cursor"

    def __init__(self):
        super().__init__(
            "The cursor is not one this list handed out; start again without it.", {"cursor": "Invalid cursor."}
        )


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _read_moment(value) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a cursor's time carries its offset")
    moment = moment.astimezone(UTC)
    if not EARLIEST <= moment < LATEST:
        raise ValueError("out of range")
    return moment


def _read_uuid(value) -> uuid.UUID:
    if len(value) != 32:
        raise ValueError("a uuid is 32 hex digits here")
    return uuid.UUID(hex=value)


def _read_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not INT_RANGE[0] <= value <= INT_RANGE[1]:
        raise ValueError("not an integer")
    return value


def _read_date(value) -> date:
    return date.fromisoformat(value)


# kind: (write, read, the JSON type read accepts)
KINDS = {
    "moment": (_moment, _read_moment, str),
    "uuid": (lambda v: v.hex, _read_uuid, str),
    "int": (int, _read_int, int),
    "date": (lambda v: v.isoformat(), _read_date, str),
}


def encode(tag: str, kinds: Sequence[str], values: Sequence) -> str:
    """The cursor of a position: `values` in `kinds`, None allowed (a nullable sort key)."""
    body = [tag, *(None if v is None else KINDS[k][0](v) for k, v in zip(kinds, values, strict=True))]
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(tag: str, kinds: Sequence[str], text: str, *, nullable: frozenset[int] = frozenset()) -> list:
    """The position's values, or BadCursor. `nullable` holds the indexes of values that may be None."""
    if not isinstance(text, str) or not text or len(text) > MAX_CURSOR_LENGTH:
        raise BadCursor()
    try:
        # validate=True: the lenient decoder skips characters outside the alphabet, so damage would pass.
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        body = json.loads(raw)
    except (binascii.Error, ValueError):  # ValueError covers JSON and UTF-8 errors
        raise BadCursor() from None
    if not isinstance(body, list) or len(body) != len(kinds) + 1 or body[0] != tag:
        raise BadCursor()
    return [_value(i, kind, value, nullable) for i, (kind, value) in enumerate(zip(kinds, body[1:], strict=True))]


def _value(index: int, kind: str, value, nullable: frozenset[int]):
    if value is None:
        if index in nullable:
            return None
        raise BadCursor()
    _, read, json_type = KINDS[kind]
    if not isinstance(value, json_type):
        raise BadCursor()
    try:
        return read(value)
    except (ValueError, TypeError, OverflowError):
        raise BadCursor() from None
