"""A marshmallow Schema that loads plain JSON through a precompiled reader per declared field.

marshmallow's Schema.load wraps every field in an error store, a getter closure, the partial and unknown
handling and the hook look-ups, and each field's deserialize adds its own layers; a Nested field loads its
schema the same way again. For the create's body (issue 15) that was a sixth of the request. The readers here
take the plain case of each field type the bodies use (a str for a text or a choice, an int, a float, a UUID
string, an ISO date or instant, a list, a nested object), convert it exactly as the field's own _deserialize
would, and run the field's own validator objects on the result. Any other case, a hook, an unknown key, and any
value a reader or validator refuses go through marshmallow's own Schema.load, whose result or errors are then
the answer: the fast path never words an error. tests/unit/test_fastload.py holds the two paths to the same
output on valid and invalid bodies alike (the counterpart of app/api/fastdump.py).
"""

import datetime as dt
import math
import re
import uuid

import marshmallow as ma
from marshmallow import fields as mf
from marshmallow.utils import missing

from app.api.fields import Moment, Text


class _Refused(Exception):
    """The plain case does not apply: marshmallow's load decides."""


_REFUSED = object()
# The subset of marshmallow's ISO 8601 forms read here: ASCII digits, seconds, 3 or 6 fractional digits, an
# offset or Z. Anything else marshmallow's own regex reads (or refuses).
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6})?(Z|[+-]\d{2}:\d{2})", re.ASCII)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class FastLoadSchema(ma.Schema):
    def load(self, data, *, many=None, partial=None, unknown=None):
        if many is None and partial is None and unknown in (None, self.unknown):
            loaded = fast_load(self, data)
            if loaded is not _REFUSED:
                return loaded
        return super().load(data, many=many, partial=partial, unknown=unknown)


def fast_load(schema: ma.Schema, data):
    """The schema's load of `data`, or _REFUSED when marshmallow must say (an error, or a case not handled)."""
    readers = _readers(schema)
    if readers is None or type(data) is not dict or not readers.keys() >= data.keys():
        return _REFUSED  # an unknown key: marshmallow's RAISE words it
    out = schema.dict_class()
    try:
        for name, (field, read) in readers.items():
            value = _value(field, read, data.get(name, missing), name, data)
            if value is not missing:
                out[name] = value
    except (_Refused, ma.ValidationError):
        return _REFUSED
    return out


def _value(field: mf.Field, read, raw, name: str, data: dict):
    """Field.deserialize, step by step: missing, None, the conversion, the validators."""
    if raw is missing:
        if field.required:
            raise _Refused
        default = field.load_default
        return default() if callable(default) else default
    if raw is None:
        if not field.allow_none:
            raise _Refused
        return None
    if read is None:
        return field.deserialize(raw, name, data)
    value = read(field, raw)
    for validator in field.validators:
        validator(value)
    return value


def _readers(schema: ma.Schema) -> dict | None:
    """{name: (field, reader or None for the field's own deserialize)}, or None when the schema's load is more
    than its fields' (hooks, data keys, many, partial, another unknown policy). Built once per schema object."""
    found = schema.__dict__.get("_fastload_readers", _REFUSED)
    if found is _REFUSED:
        fields = schema.load_fields
        plain = not (any(schema._hooks.values()) or schema.many or schema.partial or schema.unknown != ma.RAISE
                     or any(f.data_key is not None or f.attribute is not None for f in fields.values()))  # fmt: skip
        found = {name: (field, reader_for(field)) for name, field in fields.items()} if plain else None
        schema.__dict__["_fastload_readers"] = found
    return found


def reader_for(field: mf.Field):
    """The reader of the field's plain case, or None to use its own deserialize."""
    kind = type(field)
    if kind is Text:
        return _text
    if kind is mf.String:
        return _string
    if kind is mf.UUID:
        return _uuid
    if kind is mf.Integer:
        return _integer if field.strict else None
    if kind is mf.Float:
        return _float
    if kind is mf.Date and field.format in (None, "iso"):
        return _day
    if kind is Moment and field.format in (None, "iso") and field.default_timezone is None:
        return _moment
    if kind is mf.List and type(field.inner) is mf.UUID and not field.inner.validators:
        return _uuids
    if kind is mf.Nested and field.unknown is None and not field.many:
        return _nested
    return None


def _string(field, raw):
    if type(raw) is not str:
        raise _Refused
    return raw


def _text(field, raw):
    """app.api.fields.Text: a str with no NUL, not blank where it must have content."""
    if type(raw) is not str or "\x00" in raw or (field.min_length and not raw.strip()):
        raise _Refused
    return raw


def _uuid(field, raw):
    if type(raw) is not str:
        raise _Refused
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise _Refused from None


def _integer(field, raw):
    if type(raw) is not int:  # not a bool, not a float: strict Integer's own test
        raise _Refused
    return raw


def _float(field, raw):
    if type(raw) not in (float, int):
        raise _Refused
    try:
        value = float(raw)
    except OverflowError:
        raise _Refused from None
    if not field.allow_nan and (math.isnan(value) or math.isinf(value)):
        raise _Refused
    return value


def _day(field, raw):
    if type(raw) is not str or not _DAY.fullmatch(raw):
        raise _Refused
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _Refused from None


def _moment(field, raw):
    """app.api.fields.Moment: an instant with its offset, in UTC, between 2000 and 2100."""
    if type(raw) is not str or not _INSTANT.fullmatch(raw):
        raise _Refused
    try:
        in_utc = dt.datetime.fromisoformat(raw).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise _Refused from None
    if not Moment.EARLIEST <= in_utc < Moment.LATEST:
        raise _Refused
    return in_utc


def _uuids(field, raw):
    if type(raw) is not list:
        raise _Refused
    return [_uuid(field.inner, each) for each in raw]


def _nested(field, raw):
    loaded = fast_load(field.schema, raw)
    if loaded is _REFUSED:
        raise _Refused
    return loaded
