"""Request bodies are read as strict JSON: what the standard does not allow is a 400, never a 500."""

import json

import flask_smorest
import marshmallow as ma
from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import BadRequest


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def strict_json(data: bytes):
    """json.loads without Python's extensions (NaN, Infinity) and with its failures made uniform."""
    try:
        text = data.decode("utf-8")
        body = json.loads(text, parse_constant=_refuse_constant)
        # "\ud800" alone is valid JSON syntax but no character: nothing downstream can store or hash it.
        # A proper surrogate pair (an emoji from some keyboards) decodes to one character and passes. Only a
        # \u escape can make one (strict UTF-8 decoding refuses a surrogate written out), and a phone's body,
        # its Chinese written out, has none: only a body with an escape is looked through.
        if "\\u" in text:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        return body
    except UnicodeEncodeError:
        raise _bad_json("it contains a lone UTF-16 surrogate, which is no character") from None
    except UnicodeDecodeError:
        raise _bad_json("it is not UTF-8 text") from None
    except RecursionError:
        raise _bad_json("it is nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, NaN/Infinity, an integer of thousands of digits
        raise _bad_json(str(error).split(":")[0]) from None


def _bad_json(why: str) -> BadRequest:
    error = BadRequest()
    error.data = {"message": f"The request body is not valid JSON: {why}.", "fields": {}}
    return error


class StrictJSONParser(FlaskParser):
    """Strict JSON, and one instance per schema class: webargs would build (and deep-copy the fields of) a
    new schema for every request, which costs more than loading the body. Loading keeps no state on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, ma.Schema] = {}

    def _get_schema(self, argmap, req: Request) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req: Request):
        if not is_json_request(req):
            return core.missing
        return strict_json(req.get_data(cache=True))


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictJSONParser()
