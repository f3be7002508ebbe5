"""专项行动 (issue 14): create, read, list, and the coverage of its targets. Thin: parse, call one service or
read, commit, dump."""

import uuid

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.fields import Embedded, Text, id_field, one_of, path_uuid
from app.api.findings_schemas import Ref
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.extensions import db
from app.read.campaigns import campaign_detail, list_campaigns
from app.read.coverage import GROUPS, coverage
from app.services.actors import actor_for
from app.services.campaigns import create_campaign

blp = Blueprint("campaigns", __name__, url_prefix="/api/v1/campaigns", description="专项行动: campaigns and coverage")
MAX_TARGETS = 5000


class CampaignCreate(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the client; the idempotency key"})
    name = Text(required=True, min_length=1, max_length=200, metadata={"example": "第四轮安全生产大检查"})
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    areas = ma.fields.List(
        Text(min_length=1, max_length=20),
        required=True,
        validate=validate.Length(1, 50),
        metadata={"description": "area codes within your area: their whole subtrees"},
    )
    sectors = ma.fields.List(
        Text(min_length=1, max_length=40),
        load_default=list,
        validate=validate.Length(max=40),
        metadata={"description": "sector codes; empty: every sector"},
    )
    checklist_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=validate.Length(1, 20))
    enterprise_ids = ma.fields.List(
        id_field(),
        validate=validate.Length(1, MAX_TARGETS),
        metadata={"description": "the targets; left out: the active enterprises of the sectors in the areas"},
    )


class ChecklistRef(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "its current version"})


class Creator(ma.Schema):
    id = ma.fields.Integer()
    display_name = ma.fields.String()


class CampaignOut(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    areas = ma.fields.List(Embedded(Ref))
    sectors = ma.fields.List(Embedded(Ref))
    checklists = ma.fields.List(ma.fields.Nested(ChecklistRef))
    targets_listed = ma.fields.Boolean(metadata={"description": "true: the targets were a list, not the scope"})
    targeted = ma.fields.Integer(metadata={"description": "the targets within your area"})
    created_at = ma.fields.DateTime()
    created_by = ma.fields.Nested(Creator)


CampaignList = ma.Schema.from_dict({"items": ma.fields.List(ma.fields.Nested(CampaignOut))}, name="CampaignList")


class CoverageQuery(ma.Schema):
    group_by = one_of(GROUPS, load_default="street", metadata={"description": "street (default) or grid"})


class CoverageRow(ma.Schema):
    key = ma.fields.String(allow_none=True, metadata={"description": "the area code; null: above that level"})
    name = ma.fields.String(allow_none=True)
    targeted = ma.fields.Integer()
    inspected = ma.fields.Integer()
    uninspected = ma.fields.Integer()
    rate = ma.fields.Float(allow_none=True, metadata={"description": "覆盖率 inspected ÷ targeted, 4 places"})


class CoverageTotal(ma.Schema):
    targeted = ma.fields.Integer()
    inspected = ma.fields.Integer()
    uninspected = ma.fields.Integer()
    rate = ma.fields.Float(allow_none=True)


class Uninspected(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    credit_code = ma.fields.String()
    area = Embedded(Ref)


class CoverageOut(ma.Schema):
    group_by = ma.fields.String()
    rows = ma.fields.List(ma.fields.Nested(CoverageRow))
    total = ma.fields.Nested(CoverageTotal)
    uninspected = ma.fields.List(ma.fields.Nested(Uninspected))


def campaign_id(raw: str) -> uuid.UUID:
    return path_uuid(raw, "campaign")


@blp.route("")
class Campaigns(MethodView):
    decorators = [login_required]

    @blp.response(200, CampaignList)
    def get(self):
        """The campaigns whose areas overlap yours, the latest first."""
        return {"items": list_campaigns(db.session, actor_for(current_user))}

    @blp.arguments(CampaignCreate)
    @blp.response(201, CampaignOut)
    @blp.alt_response(200, schema=CampaignOut, description="A retry of a create that already happened")
    def post(self, data):
        """Organise a campaign: its targets are fixed now (enterprise_ids, or the scope's active enterprises).
        Supervisors (within their area) and admins."""
        actor = actor_for(current_user)
        made, created = create_campaign(db.session, actor, data, now=utcnow())
        body = campaign_detail(db.session, actor, made)
        db.session.commit()
        return body, 201 if created else 200


@blp.route("/<raw_id>")
@login_required
@blp.response(200, CampaignOut)
def get_campaign(raw_id):
    """One campaign."""
    return campaign_detail(db.session, actor_for(current_user), campaign_id(raw_id))


@blp.route("/<raw_id>/coverage")
@login_required
@blp.arguments(CoverageQuery, location="query")
@blp.response(200, CoverageOut)
def get_coverage(query, raw_id):
    """覆盖率: the targets within your area inspected in the campaign (a submitted inspection within its dates), by
    street or grid, and the enterprises not yet inspected."""
    return coverage(db.session, actor_for(current_user), campaign_id(raw_id), query["group_by"])
