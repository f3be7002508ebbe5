"""The enforcement documents, read: one (for its PDF), and the documents of an inspection or a finding, each saying
whether it is current or what superseded it.

A document is seen by whoever sees what it is about: a review opinion as its finding (an officer never sees one of
a finding still in triage), a record or an order as its inspection (the regulators of the enterprise's area and
the enterprise's officer). Anyone else gets the 404 an unknown id gets.
"""

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from app.domain.actors import Actor
from app.domain.documents import TITLES, Kind
from app.domain.errors import NotFound
from app.models import Document, User
from app.read.inspections import may_see_inspection, visible_inspection
from app.services.lookups import may_see_finding, visible_finding

_NEWER = aliased(Document)
_LISTED = (
    select(Document, _NEWER.id.label("superseded_by"), User.username, User.display_name)
    .outerjoin(_NEWER, _NEWER.supersedes_id == Document.id)
    .join(User, User.id == Document.issued_by_id)
    .order_by(Document.issued_at, Document.id)
)


def url_of(document_id: uuid.UUID) -> str:
    return f"/api/v1/documents/{document_id}.pdf"


def visible_document(session: Session, actor: Actor, document_id: uuid.UUID) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("No such document.")
    if document.finding_id is not None:
        seen = may_see_finding(session, actor, document.finding_id)
    else:
        seen = may_see_inspection(session, actor, document.inspection_id)
    if not seen:
        raise NotFound("No such document.")
    return document


def document_detail(session: Session, actor: Actor, document_id: uuid.UUID) -> dict:
    visible_document(session, actor, document_id)
    return _present(session.execute(_LISTED.where(Document.id == document_id)).one())


def inspection_documents(session: Session, actor: Actor, inspection_id: uuid.UUID) -> list[dict]:
    inspection = visible_inspection(session, actor, inspection_id)
    query = _LISTED.where(Document.inspection_id == inspection.id, Document.finding_id.is_(None))
    return [_present(row) for row in session.execute(query)]


def finding_documents(session: Session, actor: Actor, finding_id: uuid.UUID) -> list[dict]:
    """The finding's review opinions, and the record and order of the inspection it came from."""
    finding = visible_finding(session, actor, finding_id)
    mine = Document.finding_id == finding.id
    if finding.inspection_id is not None:
        mine = or_(mine, (Document.inspection_id == finding.inspection_id) & Document.finding_id.is_(None))
    return [_present(row) for row in session.execute(_LISTED.where(mine))]


def _present(row) -> dict:
    document, superseded_by, username, display_name = row
    receipt = (document.facts or {}).get("receipt")
    return {
        "id": document.id,
        "kind": document.kind,
        "title": TITLES[Kind(document.kind)],
        "edition": document.edition,
        "number": document.number,
        "sha256": document.sha256,
        "byte_size": document.byte_size,
        "url": url_of(document.id),
        "issued_at": document.issued_at,
        "issued_by": {"username": username, "display_name": display_name},
        "inspection_id": document.inspection_id,
        "finding_id": document.finding_id,
        "supersedes": document.supersedes_id,
        "superseded_by": superseded_by,
        "current": superseded_by is None,
        "signed": receipt,
    }
