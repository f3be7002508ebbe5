"""Reports to file (issue 13): the quarterly 隐患排查治理情况统计分析表 of Order 16 Art. 14, as XLSX or PDF.
Thin: parse, call one read, hand the table to its renderer (app/exports/quarterly_*.py)."""

from urllib.parse import quote

import marshmallow as ma
from flask import Response, current_app
from flask_login import current_user, login_required
from marshmallow import validate

from app.api.errors import error_response
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.domain.errors import RuleViolation
from app.domain.quarterly import TITLE, quarter_bounds
from app.exports.fonts import ReportFontMissing, configured_font
from app.exports.quarterly_pdf import quarterly_pdf
from app.exports.quarterly_xlsx import quarterly_xlsx
from app.extensions import db
from app.read.quarterly import quarterly_table
from app.services.actors import actor_for

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports to file")

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class QuarterlyQuery(ma.Schema):
    year = ma.fields.Integer(required=True, validate=validate.Range(2000, 2100))
    quarter = ma.fields.Integer(required=True, validate=validate.Range(1, 4), metadata={"description": "1 to 4"})
    format = ma.fields.String(load_default="xlsx", validate=validate.OneOf(sorted(FORMATS)))


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition with the Chinese name in RFC 5987's filename* and an ASCII one for old clients."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@blp.route("/quarterly")
@login_required
@blp.arguments(QuarterlyQuery, location="query")
@blp.response(200, description="The table as an attachment (XLSX or PDF)")
@blp.alt_response(403, description="Not a supervisor, an admin or an enterprise officer")
@blp.alt_response(422, description="year, quarter or format not valid, or a quarter that has not begun")
@blp.alt_response(503, description="No Chinese font on the server to draw the PDF with")
def quarterly(query):
    """隐患排查治理情况统计分析表 for a quarter, in your scope: one row per sector (行业和领域) and 合计, counted
    from the findings observed in the quarter (Asia/Shanghai) as they stood at its end. Supervisors get their
    area's, admins everyone's, an enterprise officer their enterprise's with the 主要负责人 signature line."""
    year, quarter, kind = query["year"], query["quarter"], query["format"]
    now = utcnow()
    if quarter_bounds(year, quarter)[0] > now:
        raise RuleViolation("That quarter has not begun.", {"quarter": f"{year} Q{quarter} lies in the future."})
    heading, table = quarterly_table(db.session, actor_for(current_user), year, quarter, now)
    if kind == "pdf":
        try:
            font = configured_font(current_app.config)
        except ReportFontMissing as missing:
            current_app.logger.error("quarterly PDF: %s", missing)
            return error_response(503, "report_font_missing", str(missing))
        body = quarterly_pdf(heading, table, font)
    else:
        body = quarterly_xlsx(heading, table)
    name = f"{TITLE}_{heading.scope}_{year}年第{quarter}季度.{kind}"
    headers = {
        "Content-Disposition": attachment(name, f"quarterly-{year}Q{quarter}.{kind}"),
        "Cache-Control": "private, no-store",
    }
    return Response(body, mimetype=FORMATS[kind], headers=headers)
