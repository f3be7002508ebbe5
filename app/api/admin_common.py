"""What the admin endpoints share: the admin-only guard, file uploads for imports and the import report."""

import inspect
from functools import wraps

import marshmallow as ma
from flask import request
from flask_login import current_user
from flask_smorest.fields import Upload

from app.api.fields import cursor_field
from app.api.parsing import Blueprint
from app.database import write_phase
from app.domain.errors import Forbidden, RuleViolation
from app.domain.terms import Role
from app.extensions import db, login_manager
from app.services.actors import actor_for

ADMIN_ONLY = "Admins only: every other role gets 403, a request that is not signed in 401."


def admin_blueprint(name: str, description: str) -> Blueprint:
    return Blueprint(name, __name__, url_prefix="/api/v1", description=description)


def admin_required(view):
    """401 when not signed in, 403 for every role but admin; then the view."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role != Role.ADMIN.value:
            raise Forbidden("Only an admin may do this.")
        return view(*args, **kwargs)

    guarded.__doc__ = f"{inspect.cleandoc(view.__doc__ or '')}\n\n{ADMIN_ONLY}"
    return guarded


def current_admin():
    return actor_for(current_user)


class Page(ma.Schema):
    limit = ma.fields.Integer(validate=ma.validate.Range(1, 200), load_default=50)
    cursor = cursor_field()


class UploadForm(ma.Schema):
    file = Upload(required=True, metadata={"description": "The .xlsx or .csv file (UTF-8, with or without BOM, "
                                           "or GB18030); the first row names the columns"})  # fmt: skip


class DryRunQuery(ma.Schema):
    dry_run = ma.fields.Boolean(
        load_default=None,
        metadata={"description": "true: judge the file and report the counts, write nothing. May also be sent as "
                  "a form field of the multipart body."},
    )  # fmt: skip


def dry_run(query: dict) -> bool:
    if query.get("dry_run") is not None:
        return query["dry_run"]
    sent = (request.form.get("dry_run") or "false").strip().lower()
    if sent not in ma.fields.Boolean.truthy | ma.fields.Boolean.falsy:
        raise RuleViolation("dry_run is true or false.", {"dry_run": "Not a boolean."})
    return sent in ma.fields.Boolean.truthy


def upload_bytes(form: dict) -> bytes:
    data = form["file"].read()
    if not data:
        raise RuleViolation("The file is empty.", {"file": "Empty."})
    return data


def end_reading() -> None:
    """The file is read and judged with no transaction open; what follows writes (SQLite's lock taken up front,
    app.database.READ_FIRST), so a long file never holds the write lock while it is read."""
    db.session.rollback()
    write_phase()


class ImportProblem(ma.Schema):
    row = ma.fields.Integer(metadata={"description": "As Excel numbers it: the header is row 1"})
    column = ma.fields.String(metadata={"description": "The column's header as the file writes it"})
    message = ma.fields.String()


class ImportReport(ma.Schema):
    rows = ma.fields.Integer(metadata={"description": "Data rows read (blank rows not counted)"})
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    dry_run = ma.fields.Boolean(metadata={"description": "true: nothing was written, the counts say what would be"})
    errors = ma.fields.List(ma.fields.Nested(ImportProblem), metadata={"description": "Empty on success"})
    error_count = ma.fields.Integer(metadata={"description": "All problems (errors lists the first 10,000)"})


class ImportRejectedSchema(ImportReport):
    error = ma.fields.Dict(metadata={"description": "{code: validation_error, message, fields: {file: ...}}"})


IMPORT_REJECTED = (
    "Any problem in any row: nothing was written. The usual error envelope plus the report, whose `errors` list "
    "every problem of every row, sorted by row: [{row, column, message}]; the counts are 0."
)


def import_route(blp: Blueprint, path: str):
    """An all-or-nothing import endpoint: admin only, `dry_run` in the query, the file as multipart `file`, the
    report on 200 and every row's problems on 422. The view takes (query, form)."""

    def register(view):
        for decorate in reversed((
            blp.route(path, methods=["POST"]),
            admin_required,
            blp.arguments(DryRunQuery, location="query"),
            blp.arguments(UploadForm, location="files"),
            blp.response(200, ImportReport),
            blp.alt_response(422, schema=ImportRejectedSchema, description=IMPORT_REJECTED),
        )):  # fmt: skip
            view = decorate(view)
        return view

    return register
