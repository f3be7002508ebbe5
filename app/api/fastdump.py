"""A marshmallow Schema that dumps plain dicts through a precompiled writer per declared field.

marshmallow's general path (accessor, get_value, type coercion) costs a few microseconds a field; a list page
has over fifteen hundred fields. The presenters already hand over values of the declared types, so each field
needs one cheap step (isoformat for dates, str for UUIDs, nothing for text and numbers). Anything the fast
writers do not know, or a value not of the expected type, goes through marshmallow's own field.serialize, and
tests/unit/test_fastdump.py checks the two paths give the same output.
"""

import datetime as dt
import uuid

import marshmallow as ma
from marshmallow import fields as mf

from app.api.fields import Embedded


def _same(kind):
    return lambda field, value, key, obj: value if type(value) is kind else field.serialize(key, obj)


def _iso(field, value, key, obj):
    return value.isoformat() if isinstance(value, dt.date) else field.serialize(key, obj)


def _uuid(field, value, key, obj):
    return str(value) if isinstance(value, uuid.UUID) else field.serialize(key, obj)


def _as_is(field, value, key, obj):
    return value


def _general(field, value, key, obj):
    return field.serialize(key, obj)


def _list(field, value, key, obj):
    inner = field.inner
    if isinstance(inner, mf.String) and all(type(v) is str for v in value):
        return list(value)
    return field.serialize(key, obj)


def writer_for(field: mf.Field):
    if isinstance(field, Embedded):
        return _as_is  # its own contract: a dict of plain values, or None
    if isinstance(field, mf.Nested | mf.Method | mf.Function | mf.Pluck):
        return _general
    if isinstance(field, mf.DateTime) and field.format in (None, "iso"):
        return _iso
    if isinstance(field, mf.Date) and field.format in (None, "iso"):
        return _iso
    if isinstance(field, mf.UUID):
        return _uuid
    if isinstance(field, mf.Boolean):
        return _same(bool)
    if isinstance(field, mf.Integer):
        return _same(int)
    if isinstance(field, mf.Float):
        return _same(float)
    if type(field) is mf.String:
        return _same(str)
    if isinstance(field, mf.List):
        return _list
    return _general


class FastDumpSchema(ma.Schema):
    def _serialize(self, obj, *, many: bool = False):
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        if not isinstance(obj, dict):
            return super()._serialize(obj, many=many)
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = [
                (name, field.data_key or name, field, writer_for(field)) for name, field in self.dump_fields.items()
            ]
        out = {}
        for name, key, field, write in plan:
            if name not in obj:
                continue
            value = obj[name]
            out[key] = None if value is None else write(field, value, name, obj)
        return out
