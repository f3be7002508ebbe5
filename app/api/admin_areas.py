"""Areas, for admins: create, rename, move while empty, deactivate; import the tree. (GET /api/v1/areas, the tree
every user reads, is in app/api/reference.py.) Thin: parse, call one service, commit, dump."""

import marshmallow as ma

from app.api.admin_common import (
    admin_blueprint,
    admin_required,
    current_admin,
    dry_run,
    end_reading,
    import_route,
    upload_bytes,
)
from app.api.fields import Text, one_of
from app.domain.areas import LEVEL_NAMES_ZH, LEVELS
from app.domain.calendar import utcnow
from app.extensions import db
from app.services.admin import areas
from app.services.admin.area_import import import_areas

blp = admin_blueprint("admin_areas", "Areas (admin): the tree of 行政区划 and 网格")
LEVEL_DOC = "; ".join(f"{level} {zh}" for level, zh in LEVEL_NAMES_ZH.items())
CODE_DOC = (
    "city/district: GB/T 2260, 6 digits (a city's ends in 00); street: district + 3 digits (9), or those + 000 "
    "(12); community: street's 9 digits + 3 (12); grid: community + 1-8 digits. A child's code extends its "
    "parent's."
)


class AreaAdminSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String(metadata={"description": LEVEL_DOC})
    parent_code = ma.fields.Function(lambda area: area.parent.code if area.parent else None)
    path = ma.fields.String(metadata={"description": "materialised path, e.g. /350200/350206/"})
    active = ma.fields.Boolean()


class AreaCreate(ma.Schema):
    code = Text(required=True, min_length=1, max_length=20, metadata={"description": CODE_DOC})
    name = Text(required=True, min_length=1, max_length=100)
    level = one_of(LEVELS, required=True, metadata={"description": LEVEL_DOC})
    parent = Text(max_length=20, allow_none=True, metadata={"description": "the parent's code; none for a city"})


class AreaPatch(ma.Schema):
    name = Text(min_length=1, max_length=100)
    active = ma.fields.Boolean(metadata={"description": "false: deactivate it and everything under it (kept, "
                               "never deleted); true: activate it again (its parent must be active)"})  # fmt: skip
    parent = Text(max_length=20, allow_none=True, metadata={"description": "move under another parent: only "
                  "while nothing refers to the area (no areas under it, enterprises, users, findings)"})  # fmt: skip
    code = Text(min_length=1, max_length=20, metadata={"description": "a new code (the move's, usually): only "
                "while nothing refers to the area. " + CODE_DOC})  # fmt: skip


@blp.route("/areas", methods=["POST"])
@admin_required
@blp.arguments(AreaCreate)
@blp.response(201, AreaAdminSchema)
def create_area(data):
    """Create an area under its parent."""
    area = areas.create_area(db.session, current_admin(), data, now=utcnow())
    db.session.commit()
    return area


@blp.route("/areas/<code>", methods=["PATCH"])
@admin_required
@blp.arguments(AreaPatch)
@blp.response(200, AreaAdminSchema)
def update_area(data, code):
    """Rename, move (while empty), deactivate or activate an area.

    A move (a new parent, usually with the new code it asks for) is allowed only while nothing refers to the
    area: no areas under it, no enterprises, users or findings. Deactivating also deactivates everything under
    it; nothing is ever deleted."""
    area = areas.update_area(db.session, current_admin(), code, data, now=utcnow())
    db.session.commit()
    return area


@import_route(blp, "/areas/import")
def import_area_file(query, form):
    """Import the area tree from an XLSX or CSV, keyed by code, all or nothing.

    Columns 区划代码 (code), 名称 (name), 上级区划代码 (parent code; empty for a city), 层级 (level:
    city/district/street/community/grid or 市/区/县/街道/镇/乡/社区/村/网格), rows in any order. A known code may
    be renamed, not moved. Any problem in any row is a 422 listing every one, and nothing is written."""
    data = upload_bytes(form)
    end_reading()
    report = import_areas(db.session, current_admin(), data, now=utcnow(), dry_run=dry_run(query))
    db.session.commit()
    return report
