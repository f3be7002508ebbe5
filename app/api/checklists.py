"""检查清单 (issue 14): create, edit (a new version), read, list, import from a sheet. Thin: parse, call one
service or read, commit, dump."""

import uuid

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest.fields import Upload
from marshmallow import validate

from app.api.admin_common import ImportRejectedSchema, ImportReport, end_reading
from app.api.fields import Embedded, Text, path_uuid
from app.api.findings_schemas import CategoryRef, MajorBasisOut, Ref
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.domain.checklists import BASIS_MAX, CLAUSE_MAX, CONTENT_MAX, MAX_ITEMS
from app.domain.errors import RuleViolation
from app.domain.sectors import sector_code
from app.extensions import db
from app.read.checklists import checklist_detail, list_checklists
from app.services.actors import actor_for
from app.services.admin import checklist_import
from app.services.checklists import create_checklist, edit_checklist, may_edit_checklists

blp = Blueprint("checklists", __name__, url_prefix="/api/v1/checklists", description="检查清单: checklists")
METHOD_DOC = "检查方式: records 查资料, site 现场查看, interview 询问 (the code or the Chinese name)"


class ItemIn(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "made by the client; kept across versions"})
    content = Text(required=True, min_length=1, max_length=CONTENT_MAX, metadata={"description": "检查内容"})
    basis = Text(required=True, min_length=1, max_length=BASIS_MAX, metadata={"description": "依据"})
    method = Text(required=True, min_length=1, max_length=20, metadata={"description": METHOD_DOC})
    category = Text(required=True, min_length=1, max_length=40, metadata={"description": "a category code"})
    major_criterion = Text(max_length=40, allow_none=True, metadata={"description": "重大: a criterion code"})
    major_clause = Text(max_length=CLAUSE_MAX, allow_none=True, metadata={"example": "第四条第（一）项"})


def _items():
    return ma.fields.List(ma.fields.Nested(ItemIn), required=True, validate=validate.Length(1, MAX_ITEMS))


def _sectors():
    words = Text(min_length=1, max_length=40)
    return ma.fields.List(
        words,
        load_default=list,
        validate=validate.Length(max=40),
        metadata={"description": "sector codes (GET /api/v1/sectors); empty: any sector"},
    )


class ChecklistCreate(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the idempotency key"})
    name = Text(required=True, min_length=1, max_length=200)
    sectors = _sectors()
    items = _items()


class ChecklistEdit(ma.Schema):
    id = ma.fields.UUID(metadata={"description": "if sent, the path's id"})
    version = ma.fields.Integer(
        strict=True,
        validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "the version edited: 409 stale if it is not current"},
    )
    name = Text(required=True, min_length=1, max_length=200)
    sectors = _sectors()
    items = _items()


class ItemOut(ma.Schema):
    id = ma.fields.UUID()
    position = ma.fields.Integer()
    content = ma.fields.String()
    basis = ma.fields.String()
    method = ma.fields.String()
    method_name = ma.fields.String()
    category = Embedded(CategoryRef)
    major_basis = Embedded(MajorBasisOut, allow_none=True)


class ChecklistSummary(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "the version shown"})
    current_version = ma.fields.Integer()
    sectors = ma.fields.List(Embedded(Ref))
    items_count = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class ChecklistOut(ChecklistSummary):
    items = ma.fields.List(ma.fields.Nested(ItemOut))


ChecklistList = ma.Schema.from_dict({"items": ma.fields.List(ma.fields.Nested(ChecklistSummary))}, name="ChecklistList")


class ListQuery(ma.Schema):
    sector = Text(max_length=40, metadata={"description": "only the checklists for this sector"})


class VersionQuery(ma.Schema):
    version = ma.fields.Integer(
        validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "an earlier version; the current one if left out"},
    )


class ImportForm(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "the checklist's id: a new one, or one to edit"})
    name = Text(required=True, min_length=1, max_length=200)
    sectors = Text(max_length=500, load_default="", metadata={"description": "sector codes or names, comma-separated"})
    dry_run = ma.fields.Boolean(load_default=False)


class ImportFile(ma.Schema):
    file = Upload(required=True, metadata={"description": "检查内容, 依据, 检查方式, 隐患类别, 重大隐患判定标准, 条款"})


class ChecklistImportReport(ImportReport):
    checklist = ma.fields.Dict(metadata={"description": "{id, version, created}: the version the file is now"})


def checklist_id(raw: str) -> uuid.UUID:
    return path_uuid(raw, "checklist")


@blp.route("")
class Checklists(MethodView):
    decorators = [login_required]

    @blp.arguments(ListQuery, location="query")
    @blp.response(200, ChecklistList)
    def get(self, query):
        """Every checklist at its current version, by name (optionally those for one sector)."""
        sector = None
        if query.get("sector"):
            sector = sector_code(query["sector"])
            if sector is None:
                raise RuleViolation("Unknown sector.", {"sector": "Not a sector (GET /api/v1/sectors)."})
        return {"items": list_checklists(db.session, actor_for(current_user), sector)}

    @blp.arguments(ChecklistCreate)
    @blp.response(201, ChecklistOut)
    @blp.alt_response(200, schema=ChecklistOut, description="A retry of a create that already happened")
    def post(self, data):
        """Make a checklist (version 1). Supervisors and admins. The same body again: 200; the id reused for
        other content: 409."""
        actor = actor_for(current_user)
        made, created = create_checklist(db.session, actor, data, now=utcnow())
        body = checklist_detail(db.session, actor, made)
        db.session.commit()
        return body, 201 if created else 200


@blp.route("/<raw_id>")
class OneChecklist(MethodView):
    decorators = [login_required]

    @blp.arguments(VersionQuery, location="query")
    @blp.response(200, ChecklistOut)
    def get(self, query, raw_id):
        """One checklist with its items: the current version, or `?version=`."""
        return checklist_detail(db.session, actor_for(current_user), checklist_id(raw_id), query.get("version"))

    @blp.arguments(ChecklistEdit)
    @blp.response(200, ChecklistOut)
    def put(self, data, raw_id):
        """Edit: the body becomes the next version (inspections keep the version they used). The current
        version's body again changes nothing. Supervisors and admins."""
        actor, target = actor_for(current_user), checklist_id(raw_id)
        if data.get("id") not in (None, target):
            raise RuleViolation("The body's id is not the path's.", {"id": "Leave it out or send the path's id."})
        version, _ = edit_checklist(db.session, actor, target, data, now=utcnow())
        body = checklist_detail(db.session, actor, target, version)
        db.session.commit()
        return body


@blp.route("/import", methods=["POST"])
@login_required
@blp.arguments(ImportForm, location="form")
@blp.arguments(ImportFile, location="files")
@blp.response(200, ChecklistImportReport)
@blp.alt_response(422, schema=ImportRejectedSchema, description="Every problem of every row; nothing written")
def import_checklist_file(form, files):
    """A checklist from an XLSX or CSV: one item a row under 检查内容, 依据, 检查方式, 隐患类别 (required) and
    重大隐患判定标准, 条款. A new id makes the checklist; a known one gets the file as its next version (the same
    items again change nothing). All or nothing, with the rows' problems as the other imports report them."""
    actor = actor_for(current_user)
    may_edit_checklists(actor)
    data = files["file"].read()
    if not data:
        raise RuleViolation("The file is empty.", {"file": "Empty."})
    parsed = checklist_import.parse(data, form["id"])
    end_reading()
    terms = {"id": form["id"], "name": form["name"], "sectors": [s for s in form["sectors"].split(",") if s.strip()]}
    report = checklist_import.apply(db.session, actor, parsed, terms, now=utcnow(), dry_run=form["dry_run"])
    db.session.commit()
    return report
