"""Reference lists: areas, categories, major-hazard criteria, enterprises."""

import marshmallow as ma
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.fields import Text, id_field
from app.api.parsing import Blueprint
from app.domain.calendar import local_today, utcnow
from app.domain.reference_rules import citable
from app.extensions import db
from app.services import reference
from app.services.actors import actor_for

blp = Blueprint("reference", __name__, url_prefix="/api/v1", description="Areas, categories, criteria, enterprises")


class AreaSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    parent_code = ma.fields.Function(lambda area: area.parent.code if area.parent else None)
    active = ma.fields.Boolean(metadata={"description": "false: deactivated, kept for what refers to it"})


class AreaBrief(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()


class CategorySchema(ma.Schema):
    code = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    sort_order = ma.fields.Integer()
    active = ma.fields.Boolean(metadata={"description": "false: no new finding may name it"})


def _citable(criterion) -> bool:
    return citable(criterion.active, criterion.effective_on, criterion.repealed_on, local_today(utcnow()))


class CriterionSchema(ma.Schema):
    code = ma.fields.String()
    title = ma.fields.String()
    document_number = ma.fields.String()
    issuing_body = ma.fields.String(metadata={"description": "发布机关"})
    effective_on = ma.fields.Date(allow_none=True, metadata={"description": "施行日期"})
    repealed_on = ma.fields.Date(allow_none=True, metadata={"description": "废止日期: not citable from this day"})
    sort_order = ma.fields.Integer()
    active = ma.fields.Boolean(metadata={"description": "false: superseded"})
    citable = ma.fields.Function(_citable, metadata={"description": "whether a new major finding may cite it today"})


class EnterpriseSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    credit_code = ma.fields.String()
    sector = ma.fields.String()
    address = ma.fields.String()
    lat = ma.fields.Float(allow_none=True)
    lng = ma.fields.Float(allow_none=True)
    area = ma.fields.Nested(AreaBrief)
    contact_name = ma.fields.String()
    contact_phone = ma.fields.String()
    scale = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()
    distance_m = ma.fields.Float(allow_none=True)


def _lat_lng(value: str) -> tuple[float, float]:
    try:
        lat, lng = (float(part) for part in value.split(","))
    except ValueError:
        raise ma.ValidationError("Give near as 'lat,lng', e.g. 24.49,118.12.") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ma.ValidationError("The point is outside the globe.")
    return lat, lng


class EnterpriseQuery(ma.Schema):
    q = Text(max_length=100)
    near = ma.fields.Function(deserialize=_lat_lng, metadata={"description": "lat,lng: nearest first"})
    limit = ma.fields.Integer(validate=validate.Range(1, 500), load_default=50)
    after_id = id_field(in_query=True, metadata={"description": "keyset: the last id of the previous page"})
    include_inactive = ma.fields.Boolean(load_default=False, metadata={"description": "admins: deactivated ones too"})


class AreaQuery(ma.Schema):
    under = Text(max_length=20, metadata={"description": "only this area's subtree"})


class ListQuery(ma.Schema):
    include_inactive = ma.fields.Boolean(load_default=False, metadata={"description": "the retired ones too"})


def _items(schema):
    return ma.Schema.from_dict({"items": ma.fields.List(ma.fields.Nested(schema))}, name=f"{schema.__name__}List")


@blp.route("/areas")
@login_required
@blp.arguments(AreaQuery, location="query")
@blp.response(200, _items(AreaSchema))
def list_areas(query):
    """The area tree (市 → 区 → 街道 → 社区 → 网格), parents first."""
    return {"items": reference.areas(db.session, query.get("under"))}


@blp.route("/categories")
@login_required
@blp.arguments(ListQuery, location="query")
@blp.response(200, _items(CategorySchema))
def list_categories(query):
    """Hazard categories (隐患类别) a new finding may name; include_inactive=true lists the retired ones too."""
    return {"items": reference.categories(db.session, include_inactive=query["include_inactive"])}


@blp.route("/criteria")
@login_required
@blp.arguments(ListQuery, location="query")
@blp.response(200, _items(CriterionSchema))
def list_criteria(query):
    """Major-hazard criteria (重大事故隐患判定标准) a new major finding may cite today.

    include_inactive=true lists every one (superseded, repealed, not yet in force), each with `citable`."""
    in_force_on = None if query["include_inactive"] else local_today(utcnow())
    return {"items": reference.criteria(db.session, citable_on=in_force_on)}


@blp.route("/enterprises")
@login_required
@blp.arguments(EnterpriseQuery, location="query")
@blp.response(200, _items(EnterpriseSchema))
def list_enterprises(query):
    """Enterprises you may see; `near` sorts by distance, `q` searches name and credit code."""
    rows = reference.enterprises(
        db.session,
        actor_for(current_user),
        q=query.get("q"),
        near=query.get("near"),
        limit=query["limit"],
        after_id=query.get("after_id"),
        include_inactive=query["include_inactive"],
    )
    return {"items": [_with_distance(e, d) for e, d in rows]}


def _with_distance(enterprise, distance):
    enterprise.distance_m = round(distance, 1) if distance is not None else None
    return enterprise
