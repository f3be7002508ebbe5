"""Field types shared by the schemas: text that a database will store, numbers that fit a column."""

import datetime as dt
import uuid

import marshmallow as ma
from marshmallow import validate

from app.domain.errors import NotFound

INT32_MAX = 2**31 - 1


class Text(ma.fields.String):
    """A string a database can store: PostgreSQL refuses NUL bytes, so they are refused here first."""

    def __init__(self, *, max_length: int, min_length: int = 0, **kwargs):
        validators = [validate.Length(min=min_length, max=max_length)]
        super().__init__(validate=validators, **kwargs)
        self.min_length = min_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Must not contain NUL characters.")
        if self.min_length and not text.strip():
            raise ma.ValidationError("Must not be blank.")
        return text


class Moment(ma.fields.AwareDateTime):
    """An instant with its UTC offset, between 2000 and 2100: a phone clock can be wrong, not absurd."""

    EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_utc = moment.astimezone(dt.UTC)
        except OverflowError:
            raise ma.ValidationError("Not a representable instant.") from None
        if not self.EARLIEST <= in_utc < self.LATEST:
            raise ma.ValidationError("Must lie between 2000 and 2100.")
        return in_utc


def id_field(*, in_query: bool = False, **kwargs):
    """A row id: a JSON body must send a number; a query string can only send text."""
    return ma.fields.Integer(strict=not in_query, validate=validate.Range(min=1, max=INT32_MAX), **kwargs)


def one_of(choices, **kwargs):
    return ma.fields.String(validate=validate.OneOf([str(c) for c in choices]), **kwargs)


class Location(ma.Schema):
    lat = ma.fields.Float(required=True, validate=validate.Range(-90, 90), metadata={"description": "WGS-84"})
    lng = ma.fields.Float(required=True, validate=validate.Range(-180, 180), metadata={"description": "WGS-84"})
    accuracy_m = ma.fields.Float(validate=validate.Range(0, 1_000_000), allow_none=True)
    source = one_of(["gps", "manual", "exif"], load_default="gps")


class Embedded(ma.fields.Nested):
    """A nested object the presenter already built from plain values (strings, numbers, None): emitted as
    it is, and documented by its schema. Dumping fifty small dicts through nested schemas again was a
    third of a list page's time."""

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        if nested_obj is None or isinstance(nested_obj, dict):
            return nested_obj
        return super()._serialize(nested_obj, attr, obj, **kwargs)


def cursor_field(**kwargs):
    """A page's cursor: a plain string here, so every way a cursor can be wrong (its length included) is judged by
    one decoder (read.cursors) and answered the same way on every endpoint: 400 invalid_cursor."""
    metadata = {"description": "next_cursor of the previous page; leave it out at first", **kwargs.pop("metadata", {})}
    return ma.fields.String(metadata=metadata, **kwargs)


def path_uuid(raw: str, what: str) -> uuid.UUID:
    """A UUID in a URL path: one that does not parse names no such `what`, the same 404 an unknown id gets."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"No such {what}.", {f"{what}_id": "Not a UUID."}) from None
