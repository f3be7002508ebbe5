"""The one cursor format (read.cursors): what it writes reads back, and every other text is the same BadCursor."""

import base64
import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.read import cursors
from app.read.cursors import BadCursor

KINDS = ("moment", "uuid")
AT = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)
ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def _raw(value) -> str:
    text = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def test_every_kind_reads_back_as_it_was_written():
    kinds = ("moment", "uuid", "int", "date")
    values = (AT, ID, 2**40, date(2026, 12, 1))
    assert cursors.decode("t", kinds, cursors.encode("t", kinds, values)) == list(values)


def test_a_nullable_position_reads_back_none_only_where_allowed():
    text = cursors.encode("sync1", ("moment", "uuid", "moment"), (AT, ID, None))
    assert cursors.decode("sync1", ("moment", "uuid", "moment"), text, nullable=frozenset({2})) == [AT, ID, None]
    with pytest.raises(BadCursor):
        cursors.decode("sync1", ("moment", "uuid", "moment"), text)


def test_a_moment_in_another_offset_is_the_same_instant():
    shifted = AT.astimezone(timezone(timedelta(hours=8))).isoformat()
    assert cursors.decode("t", KINDS, _raw(["t", shifted, ID.hex])) == [AT, ID]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-a-cursor!",
        "光标",
        "a" * 501,
        _raw(b"\xff\xfe"),
        _raw({"t": 1}),
        _raw(["t", AT.isoformat()]),  # too few values
        _raw(["t", AT.isoformat(), ID.hex, 1]),  # too many
        _raw(["other", AT.isoformat(), ID.hex]),  # another list's cursor
        _raw([AT.isoformat(), ID.hex]),  # untagged (the format before this one)
        _raw(["t", "2026-03-31T15:30:00", ID.hex]),  # naive time
        _raw(["t", "0001-01-01T00:00:00+14:00", ID.hex]),  # before any instant a column holds
        _raw(["t", "2100-01-01T00:00:00+00:00", ID.hex]),
        _raw(["t", AT.isoformat(), str(ID)]),  # a uuid with dashes is not this format's
        _raw(["t", AT.isoformat(), 12]),
        _raw(["t", None, ID.hex]),
    ],
)
def test_anything_else_is_one_bad_cursor(text):
    with pytest.raises(BadCursor) as caught:
        cursors.decode("t", KINDS, text)
    assert caught.value.code == "invalid_cursor" and caught.value.fields == {"cursor": "Invalid cursor."}


@pytest.mark.parametrize("value", [True, 1.5, "7", 2**63])
def test_an_int_position_is_an_integer_in_range(value):
    with pytest.raises(BadCursor):
        cursors.decode("t", ("int",), _raw(["t", value]))


def test_a_written_cursor_is_url_safe_and_unpadded():
    text = cursors.encode("findings:-received_at", KINDS, (AT, ID))
    assert "=" not in text and "+" not in text and "/" not in text
