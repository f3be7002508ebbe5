"""The 挂牌督办 register (issue 12): listed major hazards in your area. Thin: parse, call one read, dump.

Listing and delisting are events on the finding (`POST /findings/{id}/events` with action list_supervision; an
approval delists), so they share its idempotency, versions and history."""

import marshmallow as ma
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.fastdump import FastDumpSchema
from app.api.fields import Embedded, Text, cursor_field, one_of
from app.api.findings_schemas import Listing, MajorBasisOut, Ref
from app.api.parsing import Blueprint
from app.domain.calendar import local_today, utcnow
from app.domain.terms import SupervisionLevel, SupervisionStatus
from app.extensions import db
from app.read.supervisions import RegisterFilter, register
from app.services.actors import actor_for

blp = Blueprint(
    "supervisions", __name__, url_prefix="/api/v1/supervisions", description="挂牌督办: the register of listed hazards"
)


class RegisterQuery(ma.Schema):
    level = one_of(SupervisionLevel, metadata={"description": "province 省级, city 市级 or county 县级"})
    status = one_of(SupervisionStatus, metadata={"description": "listed 挂牌中 or delisted 已摘牌"})
    area = Text(max_length=20, metadata={"description": "area code: its whole subtree"})
    overdue = ma.fields.Boolean(metadata={"description": "true: past the 督办期限 and still being rectified"})
    year = ma.fields.Integer(
        validate=validate.Range(2000, 2100), metadata={"description": "the year of the listing (Asia/Shanghai)"}
    )
    limit = ma.fields.Integer(validate=validate.Range(1, 200), load_default=50)
    cursor = cursor_field()


class EnterpriseName(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class ListedFinding(FastDumpSchema):
    id = ma.fields.UUID()
    number = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.String()
    enterprise = Embedded(EnterpriseName, allow_none=True)
    area = Embedded(Ref)
    major_basis = Embedded(MajorBasisOut, allow_none=True)


class RegisterRow(FastDumpSchema):
    finding = ma.fields.Nested(ListedFinding)
    deadline = ma.fields.Date(allow_none=True, metadata={"description": "督办期限: the finding's deadline"})
    overdue = ma.fields.Boolean()
    days_overdue = ma.fields.Integer()
    days_left = ma.fields.Integer(allow_none=True, metadata={"description": "null when overdue or closed"})
    supervision = ma.fields.Nested(Listing)


class RegisterPage(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(RegisterRow))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})


@blp.route("")
@login_required
@blp.arguments(RegisterQuery, location="query")
@blp.response(200, RegisterPage)
def list_supervisions(query):
    """The register of hazards listed for supervision in your area, newest listing first (keyset paged).
    Supervisors and admins."""
    filters = RegisterFilter(
        level=query.get("level"),
        status=query.get("status"),
        area=query.get("area"),
        overdue=query.get("overdue"),
        year=query.get("year"),
    )
    actor = actor_for(current_user)
    items, cursor = register(
        db.session, actor, filters, limit=query["limit"], cursor=query.get("cursor"), today=local_today(utcnow())
    )
    return {"items": items, "next_cursor": cursor}
