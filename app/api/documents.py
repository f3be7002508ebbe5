"""The enforcement documents (issue 14): issue a 现场检查记录 or 责令限期整改指令书 for an inspection, a
整改复查意见书 for a reviewed finding, list them, fetch one's PDF. Thin: parse, call one service or read, commit, dump.

The PDF is drawn once, when it is issued, with the Chinese font of app/exports/fonts.py; without one the issue is
a 503 and nothing is written (no number is used up). The officer's acknowledge of a finding signs the order it is
in (app/services/actions.py asks document_press() for the signed copy).
"""

import uuid
from urllib.parse import quote

import marshmallow as ma
from flask import current_app, redirect, send_file
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api.errors import error_response
from app.api.fields import one_of, path_uuid
from app.api.parsing import Blueprint
from app.domain.calendar import utcnow
from app.domain.document_forms import layout
from app.domain.documents import TITLES, Kind
from app.exports.documents_pdf import DocumentPen
from app.exports.fonts import ReportFontMissing, configured_font
from app.extensions import db
from app.read.documents import document_detail, finding_documents, inspection_documents, visible_document
from app.services.actors import actor_for
from app.services.documents import Press, issue_for_finding, issue_for_inspection, object_key

blp = Blueprint("documents", __name__, url_prefix="/api/v1", description="Enforcement documents (执法文书)")
MAX_AGE = 365 * 24 * 3600  # a document's bytes never change


KIND_HELP = "inspection_record, rectification_order (an inspection's) or review_opinion (a finding's)"


class DocumentCreate(ma.Schema):
    id = ma.fields.UUID(metadata={"description": "Made by the client; left out, one is made from what it is about"})
    kind = one_of(Kind, required=True, metadata={"description": KIND_HELP})
    supersedes = ma.fields.UUID(metadata={"description": "A correction: the current document it replaces"})


class IssuedBy(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()


class Receipt(ma.Schema):
    name = ma.fields.String(metadata={"description": "who signed for it (签收)"})
    at = ma.fields.String(metadata={"description": "when, ISO 8601"})


class DocumentOut(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    title = ma.fields.String(metadata={"description": "现场检查记录, 责令限期整改指令书 or 整改复查意见书"})
    edition = ma.fields.String(metadata={"description": "issued, or signed: the copy the enterprise signed for"})
    number = ma.fields.String(metadata={"description": "文号, e.g. （厦湖）应急责改〔2026〕第0012号"})
    sha256 = ma.fields.String()
    byte_size = ma.fields.Integer()
    url = ma.fields.String(metadata={"description": "GET it for the PDF"})
    issued_at = ma.fields.AwareDateTime()
    issued_by = ma.fields.Nested(IssuedBy)
    inspection_id = ma.fields.UUID(allow_none=True)
    finding_id = ma.fields.UUID(allow_none=True)
    supersedes = ma.fields.UUID(allow_none=True)
    superseded_by = ma.fields.UUID(allow_none=True)
    current = ma.fields.Boolean(metadata={"description": "false once a correction or a signed copy replaced it"})
    signed = ma.fields.Nested(Receipt, allow_none=True)


class DocumentList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DocumentOut))


def document_press() -> Press:
    """The storage and the pen; the font is looked for (and loaded) only when something is to be drawn."""
    config = current_app.config

    def pen():
        blank = DocumentPen(configured_font(config))
        return lambda facts, issued_at: blank.draw(layout(facts), issued_at=issued_at)

    return Press(current_app.extensions["storage"], pen)


@blp.app_errorhandler(ReportFontMissing)
def _no_font(missing: ReportFontMissing):
    db.session.rollback()  # nothing written, no 文号 used up, the stored PDF (if any) deleted again
    current_app.logger.error("enforcement document: %s", missing)
    return error_response(503, "report_font_missing", str(missing))


def _issued(issue, subject_id: uuid.UUID, data: dict):
    actor = actor_for(current_user)
    document, created = issue(db.session, document_press(), actor, subject_id, data, now=utcnow())
    body = document_detail(db.session, actor, document.id)
    db.session.commit()
    return body, 201 if created else 200


RESPONSES = {
    "201": "Issued: drawn once, stored, numbered",
    "200": "The same request again: the document it made",
    "409": "One is issued already (send supersedes to correct it), that one was superseded, or the id is taken",
    "503": "No Chinese font on the server to draw the PDF with",
}


@blp.route("/inspections/<inspection_id>/documents")
class InspectionDocuments(MethodView):
    decorators = [login_required]

    @blp.response(200, DocumentList)
    def get(self, inspection_id):
        """The inspection's 现场检查记录 and 责令限期整改指令书, oldest first, superseded ones included."""
        items = inspection_documents(db.session, actor_for(current_user), path_uuid(inspection_id, "inspection"))
        return {"items": items}

    @blp.arguments(DocumentCreate)
    @blp.response(201, DocumentOut, description=RESPONSES["201"])
    @blp.alt_response(200, schema=DocumentOut, description=RESPONSES["200"])
    @blp.alt_response(409, description=RESPONSES["409"])
    @blp.alt_response(503, description=RESPONSES["503"])
    def post(self, data, inspection_id):
        """Issue the inspection's 现场检查记录 (inspection_record) or 责令限期整改指令书 (rectification_order, listing
        its findings with their deadlines). Inspectors and supervisors whose area holds the enterprise."""
        return _issued(issue_for_inspection, path_uuid(inspection_id, "inspection"), data)


@blp.route("/findings/<finding_id>/documents")
class FindingDocuments(MethodView):
    decorators = [login_required]

    @blp.response(200, DocumentList)
    def get(self, finding_id):
        """The finding's 整改复查意见书 and the documents of the inspection it came from."""
        return {"items": finding_documents(db.session, actor_for(current_user), path_uuid(finding_id, "finding"))}

    @blp.arguments(DocumentCreate)
    @blp.response(201, DocumentOut, description=RESPONSES["201"])
    @blp.alt_response(200, schema=DocumentOut, description=RESPONSES["200"])
    @blp.alt_response(409, description=RESPONSES["409"] + "; or the finding has not been reviewed yet")
    @blp.alt_response(503, description=RESPONSES["503"])
    def post(self, data, finding_id):
        """Issue the 整改复查意见书 (review_opinion) answering the finding's latest approval or rejection, citing the
        order it was in. Inspectors and supervisors whose area holds it."""
        return _issued(issue_for_finding, path_uuid(finding_id, "finding"), data)


@blp.route("/documents/<document_id>")
@login_required
@blp.response(200, DocumentOut)
def get_document(document_id):
    """One document's record: its 文号, edition, whether it is current."""
    return document_detail(db.session, actor_for(current_user), path_uuid(document_id, "document"))


@blp.route("/documents/<document_id>.pdf")
@login_required
@blp.response(200, description="The PDF (PDF/A-4), exactly as issued")
def document_pdf_file(document_id):
    """The document's PDF, to whoever may see the inspection or finding it is about (404 for anyone else)."""
    document = visible_document(db.session, actor_for(current_user), path_uuid(document_id, "document"))
    storage, key = current_app.extensions["storage"], object_key(document.sha256)
    name = f"{TITLES[Kind(document.kind)]}_{document.number}.pdf"
    url = storage.signed_url(key, expires_s=current_app.config["SIGNED_URL_SECONDS"], content_type="application/pdf")
    if url is not None:
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "no-store"  # the signed URL expires: never keep the redirect
        return response
    response = send_file(storage.open(key), mimetype="application/pdf", etag=document.sha256, max_age=MAX_AGE,
                         conditional=True)  # fmt: skip
    response.cache_control.public = False
    response.cache_control.private = True
    response.headers["Content-Disposition"] = _inline(name, f"document-{document.id}.pdf")
    response.vary.update(("Authorization", "Cookie"))
    return response


def _inline(filename: str, fallback: str) -> str:
    """Shown in the browser, saved under its Chinese name (RFC 5987's filename*) or an ASCII one for old clients."""
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
