"""Categories and major-hazard criteria, for admins: create and edit (GET on both lists is app/api/reference.py).
Thin: parse, call one service, commit, dump. A change is seen by the next request of this process at once and by
other processes within app.services.reference_cache.TTL_SECONDS; whether a criterion may be cited is always read
from the database."""

import marshmallow as ma

from app.api.admin_common import admin_blueprint, admin_required, current_admin
from app.api.fields import Text
from app.api.reference import CategorySchema, CriterionSchema
from app.domain.calendar import utcnow
from app.extensions import db
from app.services.admin import reference_lists

blp = admin_blueprint("admin_reference", "Categories and criteria (admin)")
CODE_DOC = "1-40 of a-z 0-9 _ -; the key clients and old findings hold, so it never changes"
SORT = {"validate": ma.validate.Range(0, 100_000), "metadata": {"description": "position in the list"}}


class CategoryCreate(ma.Schema):
    code = Text(required=True, min_length=1, max_length=40, metadata={"description": CODE_DOC})
    name_zh = Text(required=True, min_length=1, max_length=100)
    name_en = Text(required=True, min_length=1, max_length=100)
    sort_order = ma.fields.Integer(**SORT)
    active = ma.fields.Boolean(metadata={"description": "false: no new finding may name it; old ones keep it"})


class CategoryPatch(ma.Schema):
    name_zh = Text(min_length=1, max_length=100)
    name_en = Text(min_length=1, max_length=100)
    sort_order = ma.fields.Integer(**SORT)
    active = ma.fields.Boolean(metadata={"description": "false: no new finding may name it; old ones keep it"})


_CRITERION_FIELDS = {
    "title": Text(min_length=1, max_length=200, metadata={"description": "the document's name (Chinese)"}),
    "document_number": Text(max_length=100, metadata={"description": "文号, e.g. 应急管理部令第10号"}),
    "issuing_body": Text(max_length=100, metadata={"description": "发布机关"}),
    "effective_on": ma.fields.Date(allow_none=True, metadata={"description": "施行日期: not citable before it"}),
    "repealed_on": ma.fields.Date(allow_none=True, metadata={"description": "废止日期: not citable from this day"}),
    "sort_order": ma.fields.Integer(**SORT),
    "active": ma.fields.Boolean(metadata={"description": "false: superseded, not citable by new findings"}),
}
CriterionCreate = ma.Schema.from_dict(
    {"code": Text(required=True, min_length=1, max_length=40, metadata={"description": CODE_DOC}),
     **_CRITERION_FIELDS, "title": Text(required=True, min_length=1, max_length=200)},
    name="CriterionCreate",
)  # fmt: skip
CriterionPatch = ma.Schema.from_dict(dict(_CRITERION_FIELDS), name="CriterionPatch")


@blp.route("/categories", methods=["POST"])
@admin_required
@blp.arguments(CategoryCreate)
@blp.response(201, CategorySchema)
def create_category(data):
    """Add a hazard category (隐患类别)."""
    category = reference_lists.create_category(db.session, current_admin(), data, now=utcnow())
    db.session.commit()
    return category


@blp.route("/categories/<code>", methods=["PATCH"])
@admin_required
@blp.arguments(CategoryPatch)
@blp.response(200, CategorySchema)
def update_category(data, code):
    """Rename, reorder, deactivate or activate a category."""
    category = reference_lists.update_category(db.session, current_admin(), code, data, now=utcnow())
    db.session.commit()
    return category


@blp.route("/criteria", methods=["POST"])
@admin_required
@blp.arguments(CriterionCreate)
@blp.response(201, CriterionSchema)
def create_criterion(data):
    """Add a major-hazard criterion (重大事故隐患判定标准)."""
    criterion = reference_lists.create_criterion(db.session, current_admin(), data, now=utcnow())
    db.session.commit()
    return criterion


@blp.route("/criteria/<code>", methods=["PATCH"])
@admin_required
@blp.arguments(CriterionPatch)
@blp.response(200, CriterionSchema)
def update_criterion(data, code):
    """Edit a criterion: title, number, issuer, dates; repeal or supersede it.

    With repealed_on on or before today, or active false, a new major finding (a report or a confirm) can no
    longer cite it (422 major_basis.criterion); findings that cite it keep it."""
    criterion = reference_lists.update_criterion(db.session, current_admin(), code, data, now=utcnow())
    db.session.commit()
    return criterion
