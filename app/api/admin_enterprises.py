"""Enterprises, for admins: create, edit, deactivate, and the bulk import keyed by credit code; the sector list
for everyone. Thin: parse, call one service, commit, dump."""

import marshmallow as ma
from flask_login import login_required

from app.api.admin_common import (
    admin_blueprint,
    admin_required,
    current_admin,
    dry_run,
    end_reading,
    import_route,
    upload_bytes,
)
from app.api.fields import Text
from app.api.reference import AreaBrief
from app.domain.calendar import utcnow
from app.domain.enterprises import LAT_RANGE, LNG_RANGE, SCALES
from app.domain.sectors import BY_CODE, SECTORS
from app.extensions import db
from app.services.admin import enterprise_import, enterprises

blp = admin_blueprint("admin_enterprises", "Enterprises (admin): the bureau's register, one by one or in bulk")
SCALE_DOC = "; ".join(f"{code} {zh}" for code, zh in SCALES.items())
SECTOR_DOC = "a code of GET /api/v1/sectors (or its Chinese name)"


class EnterpriseAdminSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    credit_code = ma.fields.String(metadata={"description": "统一社会信用代码, GB 32100-2015"})
    sector = ma.fields.String(metadata={"description": "a sector code"})
    sector_name = ma.fields.Function(lambda e: BY_CODE[e.sector].name_zh if e.sector in BY_CODE else e.sector)
    address = ma.fields.String()
    lat = ma.fields.Float(allow_none=True)
    lng = ma.fields.Float(allow_none=True)
    area = ma.fields.Nested(AreaBrief)
    contact_name = ma.fields.String(metadata={"description": "主要负责人"})
    contact_phone = ma.fields.String(metadata={"description": "联系电话"})
    scale = ma.fields.String(allow_none=True, metadata={"description": SCALE_DOC})
    active = ma.fields.Boolean()


DOCS = {
    "name": "企业名称",
    "credit_code": "统一社会信用代码: 18 characters, the 18th the GB 32100-2015 check character",
    "area": "所在区划代码: an active street, community or grid",
    "sector": "行业: " + SECTOR_DOC,
    "lat": f"纬度, WGS-84, within China ({LAT_RANGE[0]}-{LAT_RANGE[1]}); both or neither",
    "lng": f"经度, WGS-84, within China ({LNG_RANGE[0]}-{LNG_RANGE[1]})",
    "contact_name": "主要负责人",
    "contact_phone": "联系电话",
    "scale": "规模: " + SCALE_DOC,
    "active": "false: deactivate (kept with its findings; no new finding may name it)",
}


def _fields(required: bool) -> dict:
    need = {"required": True} if required else {}
    docs = {key: {"metadata": {"description": text}} for key, text in DOCS.items()}
    return {
        "name": Text(max_length=200, **need, **docs["name"]),
        "credit_code": Text(max_length=30, **need, **docs["credit_code"]),
        "area": Text(max_length=20, **need, **docs["area"]),
        "sector": Text(max_length=40, **need, **docs["sector"]),
        "address": Text(max_length=300),
        "lat": ma.fields.Float(allow_none=True, allow_nan=False, **docs["lat"]),
        "lng": ma.fields.Float(allow_none=True, allow_nan=False, **docs["lng"]),
        "contact_name": Text(max_length=50, **docs["contact_name"]),
        "contact_phone": Text(max_length=30, **docs["contact_phone"]),
        "scale": Text(max_length=20, allow_none=True, **docs["scale"]),
    }


EnterpriseCreate = ma.Schema.from_dict(_fields(required=True), name="EnterpriseCreate")
EnterprisePatch = ma.Schema.from_dict(
    {**_fields(required=False), "active": ma.fields.Boolean(metadata={"description": DOCS["active"]})},
    name="EnterprisePatch",
)


class SectorSchema(ma.Schema):
    code = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    aliases = ma.fields.List(ma.fields.String(), metadata={"description": "other names an import accepts"})


SectorList = ma.Schema.from_dict({"items": ma.fields.List(ma.fields.Nested(SectorSchema))}, name="SectorList")


@blp.route("/sectors")
@login_required
@blp.response(200, SectorList)
def list_sectors():
    """The fixed sector list (行业): what an enterprise's `sector` may be."""
    return {"items": SECTORS}


@blp.route("/enterprises", methods=["POST"])
@admin_required
@blp.arguments(EnterpriseCreate)
@blp.response(201, EnterpriseAdminSchema)
def create_enterprise(data):
    """Register an enterprise."""
    enterprise = enterprises.create_enterprise(db.session, current_admin(), data, now=utcnow())
    db.session.commit()
    return enterprise


@blp.route("/enterprises/<int:enterprise_id>", methods=["PATCH"])
@admin_required
@blp.arguments(EnterprisePatch)
@blp.response(200, EnterpriseAdminSchema)
def update_enterprise(data, enterprise_id):
    """Edit an enterprise, or deactivate it (active: false)."""
    enterprise = enterprises.update_enterprise(db.session, current_admin(), enterprise_id, data, now=utcnow())
    db.session.commit()
    return enterprise


@import_route(blp, "/enterprises/import")
def import_enterprise_file(query, form):
    """Import enterprises from an XLSX or CSV, keyed by credit code, all or nothing.

    Headers 企业名称, 统一社会信用代码, 所在区划代码, 行业, 地址, 经度, 纬度, 主要负责人, 联系电话 (and optionally
    规模); the first four columns are required. A known credit code is updated, a new one created. Any problem in
    any row is a 422 listing every one (row, column, message), and nothing is written. A column the file lacks
    leaves that field as it is; an empty cell empties it. Up to 100,000 rows; 50,000 take seconds."""
    parsed = enterprise_import.parse(upload_bytes(form))
    end_reading()
    report = enterprise_import.apply(db.session, current_admin(), parsed, now=utcnow(), dry_run=dry_run(query))
    db.session.commit()
    return report
