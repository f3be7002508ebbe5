"""The create's body: FindingCreate as declared (the same fields, the same OpenAPI component), loaded by the
fast field readers of app.api.fastload, and read from the request without webargs' general machinery (the
locations, the loaders, the schema look-up) when it loads cleanly. A phone back in signal sends its whole outbox
through this one schema; any body it does not load goes through webargs as every other body does, so every
refusal is worded as before."""

from flask import request
from webargs.core import _UNKNOWN_DEFAULT_PARAM as DEFAULT
from webargs.flaskparser import is_json_request

from app.api import findings_schemas
from app.api.fastload import _REFUSED, FastLoadSchema, fast_load
from app.api.parsing import StrictJSONParser, strict_json


class FindingCreate(FastLoadSchema, findings_schemas.FindingCreate):
    pass


class CreateBodyParser(StrictJSONParser):
    """The findings blueprint's parser: the create's JSON body straight to its schema; all else as webargs."""

    def parse(self, argmap, req=None, *, location=None, validate=None, **kwargs):
        # webargs' default for a JSON body is the schema's own unknown policy, which fast_load keeps (RAISE)
        default = kwargs.get("unknown", DEFAULT) in (DEFAULT, None) and self.unknown == DEFAULT
        if argmap is FindingCreate and location == "json" and validate is None and default:
            req = req if req is not None else request
            if is_json_request(req):
                loaded = fast_load(self._get_schema(argmap, req), strict_json(req.get_data(cache=True)))
                if loaded is not _REFUSED:
                    return loaded
        return super().parse(argmap, req, location=location, validate=validate, **kwargs)
