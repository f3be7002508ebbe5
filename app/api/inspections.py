"""检查记录 (issue 14): submit an inspection (its failed items become findings), read it, list them, add a note.
Thin: parse, call one service or read, commit, dump."""

import uuid

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.fields import Embedded, Text, cursor_field, id_field, one_of, path_uuid
from app.api.findings_schemas import CategoryRef, MajorBasisOut, photo_ids
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.domain.checklists import MAX_ITEMS
from app.domain.inspections import Result
from app.extensions import db
from app.read.inspections import inspection_detail, list_inspections
from app.services.actors import actor_for
from app.services.inspections import add_note, submit_inspection

blp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections", description="检查记录: inspections")


class InspectorObject(ma.Schema):
    username = Text(required=True, min_length=1, max_length=50)
    cert_no = Text(max_length=50, allow_none=True, metadata={"description": "执法证号"})


class Inspector(ma.fields.Field):
    """A username, or {username, cert_no}: both load as {username, cert_no}."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = {"username": value}
        if not isinstance(value, dict):
            raise ma.ValidationError("A username, or {username, cert_no}.")
        loaded = InspectorObject().load(value)
        return {"username": loaded["username"].strip(), "cert_no": loaded.get("cert_no")}


class FindingOfItem(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the finding's idempotency key"})
    title = Text(max_length=200, allow_none=True, metadata={"description": "the item's content if left out"})
    description = Text(max_length=5000, allow_none=True, metadata={"description": "the result's note if left out"})
    deadline = ma.fields.Date(required=True, metadata={"description": "整改期限"})
    photo_ids = photo_ids("evidence photos the client will upload to the finding")


class ResultIn(ma.Schema):
    item_id = ma.fields.UUID(required=True, metadata={"description": "an item of the checklist version"})
    result = one_of(Result, required=True, metadata={"description": "pass 符合, fail 不符合, na 不适用"})
    note = Text(max_length=2000, allow_none=True)
    photo_ids = photo_ids("a failed item's photos: declared on its finding")
    finding = ma.fields.Nested(FindingOfItem, allow_none=True, metadata={"description": "a fail's finding; only"})


class InspectionCreate(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the idempotency key"})
    enterprise_id = id_field(required=True)
    checklist_id = ma.fields.UUID(required=True)
    checklist_version = ma.fields.Integer(
        strict=True,
        validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "the version walked (an offline device's copy); the current one if left out"},
    )
    campaign_id = ma.fields.UUID(allow_none=True)
    inspected_on = ma.fields.Date(required=True)
    enforcement = ma.fields.Boolean(
        required=True, truthy={True}, falsy={False}, metadata={"description": "执法检查: at least two inspectors"}
    )
    inspectors = ma.fields.List(
        Inspector(), required=True, validate=validate.Length(1, 10), metadata={"description": "usernames"}
    )
    results = ma.fields.List(ma.fields.Nested(ResultIn), required=True, validate=validate.Length(1, MAX_ITEMS))


class NoteCreate(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the idempotency key"})
    text = Text(required=True, min_length=1, max_length=5000)
    item_id = ma.fields.UUID(allow_none=True, metadata={"description": "the item it is about, if one"})


class Named(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class ChecklistUsed(Named):
    version = ma.fields.Integer()


class EnterpriseOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    credit_code = ma.fields.String()
    address = ma.fields.String()


class Person(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()


class InspectorOut(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String()
    cert_no = ma.fields.String(allow_none=True)


class ResultOut(ma.Schema):
    item_id = ma.fields.UUID()
    position = ma.fields.Integer()
    content = ma.fields.String()
    basis = ma.fields.String()
    method = ma.fields.String()
    method_name = ma.fields.String()
    category = Embedded(CategoryRef)
    major_basis = Embedded(MajorBasisOut, allow_none=True)
    result = ma.fields.String()
    result_name = ma.fields.String()
    note = ma.fields.String()
    finding_id = ma.fields.UUID(allow_none=True)


class NoteOut(ma.Schema):
    id = ma.fields.UUID()
    item_id = ma.fields.UUID(allow_none=True)
    text = ma.fields.String()
    author = ma.fields.Dict()
    created_at = ma.fields.DateTime()


class InspectionSummary(ma.Schema):
    id = ma.fields.UUID()
    status = ma.fields.String(metadata={"description": "submitted (a draft stays on the device)"})
    enterprise = ma.fields.Nested(EnterpriseOut)
    checklist = ma.fields.Nested(ChecklistUsed)
    campaign = ma.fields.Nested(Named, allow_none=True)
    inspected_on = ma.fields.Date()
    enforcement = ma.fields.Boolean()
    submitted_by = ma.fields.Nested(Person)
    submitted_at = ma.fields.DateTime()


class InspectionOut(InspectionSummary):
    inspectors = ma.fields.List(ma.fields.Nested(InspectorOut))
    results = ma.fields.List(ma.fields.Nested(ResultOut))
    findings = ma.fields.List(ma.fields.UUID(), metadata={"description": "the failed items' findings, in order"})
    notes = ma.fields.List(ma.fields.Nested(NoteOut))


class InspectionListed(InspectionSummary):
    failed = ma.fields.Integer(metadata={"description": "items failed: findings made"})


class InspectionPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(InspectionListed))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})


class ListQuery(ma.Schema):
    enterprise_id = id_field(in_query=True)
    campaign_id = ma.fields.UUID()
    limit = ma.fields.Integer(validate=validate.Range(1, 200), load_default=50)
    cursor = cursor_field()


def inspection_id(raw: str) -> uuid.UUID:
    return path_uuid(raw, "inspection")


@blp.route("")
class Inspections(MethodView):
    decorators = [login_required]

    @blp.arguments(ListQuery, location="query")
    @blp.response(200, InspectionPage)
    def get(self, query):
        """The inspections you may see, the latest submitted first, one keyset page at a time."""
        items, next_cursor = list_inspections(
            db.session,
            actor_for(current_user),
            enterprise_id=query.get("enterprise_id"),
            campaign_id=query.get("campaign_id"),
            limit=query["limit"],
            cursor=query.get("cursor"),
        )
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(InspectionCreate)
    @blp.response(201, InspectionOut)
    @blp.alt_response(200, schema=InspectionOut, description="A retry of a submission that already happened")
    @blp.alt_response(409, description="The id was submitted with other content: results never change")
    def post(self, data):
        """Submit an inspection: every item answered once; each failed item becomes a finding (category, level and
        basis from the item). All or nothing. Inspectors."""
        actor = actor_for(current_user)
        made, created = submit_inspection(db.session, actor, data, now=utcnow())
        body = inspection_detail(db.session, actor, made)
        db.session.commit()
        return body, 201 if created else 200


@blp.route("/<raw_id>")
@login_required
@blp.response(200, InspectionOut)
def get_inspection(raw_id):
    """One inspection with its results, findings and notes."""
    return inspection_detail(db.session, actor_for(current_user), inspection_id(raw_id))


@blp.route("/<raw_id>/notes", methods=["POST"])
@login_required
@blp.arguments(NoteCreate)
@blp.response(201, InspectionOut)
@blp.alt_response(200, schema=InspectionOut, description="A retry of a note already added")
def post_note(data, raw_id):
    """Append a note (a correction, a remark) to a submitted inspection: its results never change."""
    actor = actor_for(current_user)
    target = inspection_id(raw_id)
    added = add_note(db.session, actor, target, data, now=utcnow())
    body = inspection_detail(db.session, actor, target)
    db.session.commit()
    return body, 201 if added else 200
