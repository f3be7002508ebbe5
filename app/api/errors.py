"""Every error under /api/ leaves as {"error": {"code", "message", "fields"}}: mapped here, and only here."""

import logging

import marshmallow as ma
from flask import current_app, jsonify, request
from flask_login import current_user
from flask_smorest import Api as SmorestApi
from werkzeug.exceptions import HTTPException, InternalServerError

from app.api.findings_schemas import FindingDetailSchema
from app.domain.calendar import local_today, utcnow
from app.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    ImportRejected,
    InvalidTransition,
    NotFound,
    PhotosMissing,
    RuleViolation,
    Stale,
    TooLarge,
    UnsupportedMedia,
)
from app.extensions import db
from app.read.presenting import present_detail
from app.services.actors import actor_for

log = logging.getLogger(__name__)

DOMAIN_STATUS = {
    RuleViolation: 422,
    ImportRejected: 422,
    NotFound: 404,
    Forbidden: 403,
    InvalidTransition: 409,
    PhotosMissing: 409,
    Conflict: 409,
    Stale: 409,
    UnsupportedMedia: 415,
    TooLarge: 413,
}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "Machine-readable: validation_error, stale, conflict, ..."})
    message = ma.fields.String(metadata={"description": "What went wrong, for a person"})
    fields = ma.fields.Dict(metadata={"description": "Per-field problems, for validation errors"})


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetailSchema)


def error_response(status: int, code: str, message: str, fields: dict | None = None, **extra):
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}, **extra})
    response.status_code = status
    return response


def _flatten_webargs(messages: dict) -> dict:
    """webargs nests problems by location ({"json": {...}}); clients want the fields."""
    fields = {}
    for location, problems in messages.items():
        if isinstance(problems, dict):
            fields.update(problems)
        else:
            fields[location] = problems
    return fields


class Api(SmorestApi):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith("/api/"):
            return error
        data = getattr(error, "data", None) or {}
        fields = _flatten_webargs(data.get("messages", {})) if "messages" in data else data.get("fields", {})
        status = error.code or 500
        message = data.get("message") or _default_message(status, fields, error)
        response = error_response(status, HTTP_CODES.get(status, "error"), message, fields)
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        if status == 429 and error.get_headers():
            for name, value in error.get_headers():
                if name.lower() == "retry-after":
                    response.headers[name] = value
        return response


def _default_message(status: int, fields: dict, error: HTTPException) -> str:
    if status == 422 and fields:
        return "Some fields are not valid: " + ", ".join(sorted(str(k) for k in fields)) + "."
    if status == 400 and "JSON" in (error.description or ""):
        return "The request body is not valid JSON."
    return error.description or error.name


def handle_domain_error(error: DomainError):
    db.session.rollback()  # nothing half-written: also undoes stored photo objects (services.photos)
    status = DOMAIN_STATUS.get(type(error), 400)
    extra = {}
    if isinstance(error, Stale) and error.detail is not None and current_user.is_authenticated:
        # The client's view is out of date: send the current finding so it can show what changed.
        actor = actor_for(current_user)
        current = present_detail(db.session, actor, error.detail.id, local_today(utcnow()))
        extra["finding"] = FindingDetailSchema().dump(current)
    if isinstance(error, ImportRejected) and error.detail is not None:
        extra.update(error.detail)  # the import's report: every row's problems
    if isinstance(error, PhotosMissing) and error.detail is not None:
        extra["missing_photos"] = [str(photo_id) for photo_id in error.detail]
    return error_response(status, error.code, error.message, error.fields, **extra)


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return current_app.extensions["closeloop_api"].handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    if not request.path.startswith("/api/"):
        return InternalServerError()
    return error_response(500, "internal_error", "Something went wrong on our side; it has been logged.")
