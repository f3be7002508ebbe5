"""The 台账 (ledger) of findings as a file: GET /api/v1/findings/export?format=csv|xlsx|geojson&<list filters>.
Thin: parse the list's filters, open the ledger (read.ledger), hand its rows to the format's writer (exports)."""

import os
import tempfile
from dataclasses import dataclass

from flask import Response, request, stream_with_context
from flask_login import current_user, login_required
from werkzeug.wsgi import wrap_file

from app.api.fields import one_of
from app.api.list_filters import ListFilters, filters_from
from app.api.parsing import Blueprint
from app.domain.calendar import local_today, utcnow
from app.exports.csv import csv_chunks
from app.exports.filenames import content_disposition, ledger_filename
from app.exports.geojson import geojson_chunks
from app.exports.ledger import LedgerContext
from app.exports.xlsx import write_xlsx
from app.extensions import db
from app.read.ledger import Ledger, open_ledger
from app.services.actors import actor_for

blp = Blueprint("exports", __name__, url_prefix="/api/v1/findings", description="The 台账: findings as files")
FILE_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    located_only: bool = False


FORMATS = {
    "csv": Format("csv", "text/csv; charset=utf-8"),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": Format("geojson", "application/geo+json", located_only=True),
}


class ExportQuery(ListFilters):
    format = one_of(
        FORMATS,
        required=True,
        metadata={"description": "csv (UTF-8 with BOM), xlsx, or geojson (the located findings, RFC 7946)"},
    )


@blp.route("/export")
@login_required
@blp.arguments(ExportQuery, location="query")
@blp.response(200, description="The file, as an attachment named 隐患台账_<scope>_<YYYYMMDD>.<ext>")
@blp.alt_response(422, description="No or an unknown format, or a filter the list refuses")
def export_findings(query):
    """The ledger of every finding the list's filters select in your scope, newest received first, no row limit.

    Streamed: CSV and GeoJSON chunked as they are read, XLSX written first and sent with its Content-Length.
    Columns in Chinese, in the regulators' order; times in Asia/Shanghai."""
    actor, today = actor_for(current_user), local_today(utcnow())
    kind = FORMATS[query["format"]]
    ledger = open_ledger(db.session, actor, filters_from(query), today, located_only=kind.located_only)
    context = LedgerContext(actor, today, ledger.categories, ledger.criteria, ledger.area_names)
    name, fallback = ledger_filename(ledger.scope.name, ledger.scope.tag, today, kind.extension)
    headers = {"Content-Disposition": content_disposition(name, fallback), "Cache-Control": "no-store"}
    if kind.extension == "xlsx":
        return _workbook(ledger, context, kind, headers)
    writer = csv_chunks if kind.extension == "csv" else geojson_chunks
    # stream_with_context keeps the request (and its database session) open while the rows are read; closing
    # the response, at the end or when the client goes away, closes the cursor and returns the connection
    body = stream_with_context(writer(ledger.rows, context))
    return Response(body, content_type=kind.media_type, headers=headers)


def _workbook(ledger: Ledger, context: LedgerContext, kind: Format, headers: dict) -> Response:
    """Write the workbook to a temporary file, then send it from there: its length is known before the first
    byte, and the file is gone from the disk once opened (unlinked), whatever happens to the download."""
    descriptor, path = tempfile.mkstemp(prefix="closeloop-ledger-", suffix=".xlsx")
    os.close(descriptor)
    try:
        write_xlsx(ledger.rows, context, path)
        workbook = open(path, "rb")  # noqa: SIM115 (closed by the response when the download ends)
    finally:
        os.unlink(path)
    size = os.fstat(workbook.fileno()).st_size
    body = wrap_file(request.environ, workbook, buffer_size=FILE_CHUNK)
    response = Response(body, content_type=kind.media_type, headers=headers, direct_passthrough=True)
    response.content_length = size
    return response
