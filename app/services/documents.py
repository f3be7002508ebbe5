"""Issuing the enforcement documents: one PDF drawn once, stored by its sha256 beside the photos, never changed.

- A document's id is the client's (`id` in the body) or made from what it is about (the inspection, or the review
  an opinion answers), its kind and what it supersedes: the same request again is the same document (200).
- Its 文号 comes last in the issuing transaction, from a counter row per (authority, kind, year) taken by an
  upsert: the row stays locked until the transaction ends, so two issues never get one number, and one rolled
  back (a refusal, a failed write) gives its number back — no gaps.
- One current document per kind and subject: a second is a correction and says so (`supersedes`), getting a new
  文号. The subject's row is locked first, so two issuers at once cannot both make the first one.
- 签收: the officer's acknowledge of a finding from an inspection signs the inspection's current order: a copy of
  it, drawn from the facts it was issued with plus the receipt, keeps the 文号 (edition `signed`) and supersedes
  the unsigned one.
"""

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import exists, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from app.domain.actors import Actor
from app.domain.calendar import local_today
from app.domain.documents import (
    FINDING_KINDS,
    INSPECTION_KINDS,
    ISSUED,
    SIGNED,
    TITLES,
    Facts,
    Kind,
    OrderRef,
    Receipt,
    check_issuer,
    check_kind,
    check_order_has_hazards,
    check_supersedes,
    document_number,
    facts_from_json,
    facts_to_json,
)
from app.domain.errors import Conflict, InvalidTransition, NotFound, RuleViolation
from app.models import Document, Finding, Inspection, IssuingAuthority, User
from app.read.inspections import inspection_scope
from app.services.document_facts import inspection_facts, last_review, name_of, review_facts
from app.services.fingerprint import fingerprint
from app.services.lookups import visible_finding
from app.services.photos import delete_objects_after
from app.storage import Storage

PREFIX = "documents/"
_NEXT = text(
    "INSERT INTO document_sequences (authority_id, kind, year, last) VALUES (:authority, :kind, :year, 1) "
    "ON CONFLICT (authority_id, kind, year) DO UPDATE SET last = document_sequences.last + 1 "
    "RETURNING last"
)


@dataclass(frozen=True)
class Press:
    """Where documents go and how they are drawn (the API makes one with the configured font): `pen()` gives a
    one-shot (facts, issued at) -> PDF with its font already loaded, the slow part, done before a 文号 is taken."""

    storage: Storage
    pen: Callable[[], Callable[[Facts, datetime], bytes]]


@dataclass(frozen=True)
class Subject:
    key: uuid.UUID  # what default ids derive from
    enterprise_id: int
    area_path: str
    inspection_id: uuid.UUID | None = None
    finding_id: uuid.UUID | None = None
    review_event_id: uuid.UUID | None = None


def object_key(sha256: str) -> str:
    return f"{PREFIX}{sha256[:2]}/{sha256}.pdf"


def next_serial(session: Session, authority_id: int, kind: Kind, year: int) -> int:
    params = {"authority": authority_id, "kind": kind.value, "year": year}
    return session.connection().execute(_NEXT, params).scalar_one()


def authority_for(session: Session, actor: Actor) -> IssuingAuthority:
    """The authority of the issuer's home area, or of its nearest ancestor that has one."""
    codes = [code for code in (actor.area_path or "").split("/") if code]
    query = select(IssuingAuthority).where(IssuingAuthority.area_code.in_(codes))
    rows = {authority.area_code: authority for authority in session.scalars(query)}
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    raise RuleViolation(
        "No issuing authority is set up for your area.",
        {"authority": "An administrator adds the 执法机关 of your area (issuing_authorities) first."},
    )


# --- issuing ---------------------------------------------------------------------------------------------------


def issue_for_inspection(session: Session, press: Press, actor: Actor, inspection_id: uuid.UUID, data: dict, *,
                         now: datetime) -> tuple[Document, bool]:  # fmt: skip
    """现场检查记录 or 责令限期整改指令书 of a submitted inspection; return (document, created)."""
    check_issuer(actor)
    kind = check_kind(data["kind"], INSPECTION_KINDS)
    query = select(Inspection).where(Inspection.id == inspection_id, inspection_scope(actor))
    inspection = session.scalars(query.with_for_update(of=Inspection)).first()
    if inspection is None:
        raise NotFound("No such inspection.")
    subject = Subject(inspection.id, inspection.enterprise_id, inspection.area_path, inspection_id=inspection.id)

    def draw(authority: IssuingAuthority) -> Facts:
        facts = inspection_facts(session, inspection, kind, authority, local_today(now))
        if kind is Kind.RECTIFICATION_ORDER:
            check_order_has_hazards(facts.hazards)
        return facts

    return _issue(session, press, actor, subject, kind, data, now, draw)


def issue_for_finding(session: Session, press: Press, actor: Actor, finding_id: uuid.UUID, data: dict, *,
                      now: datetime) -> tuple[Document, bool]:  # fmt: skip
    """整改复查意见书 answering the finding's latest approval or rejection, citing its inspection's order."""
    check_issuer(actor)
    kind = check_kind(data["kind"], FINDING_KINDS)
    finding = visible_finding(session, actor, finding_id, for_update=True)
    review = last_review(session, finding)
    if review is None:
        raise InvalidTransition("The finding's rectification has not been reviewed yet: nothing to give an opinion on.")
    if finding.enterprise_id is None:
        raise RuleViolation("The finding names no enterprise to address.", {"kind": "No enterprise to address."})
    subject = Subject(review.id, finding.enterprise_id, finding.area_path, inspection_id=finding.inspection_id,
                      finding_id=finding.id, review_event_id=review.id)  # fmt: skip

    def draw(authority: IssuingAuthority) -> Facts:
        issuer = session.get(User, actor.id)
        order = _order_citing(session, finding)
        return review_facts(session, finding, review, issuer, authority, local_today(now), order)

    return _issue(session, press, actor, subject, kind, data, now, draw)


def _issue(session, press, actor, subject: Subject, kind: Kind, data: dict, now, draw) -> tuple[Document, bool]:
    supersedes = data.get("supersedes")
    document_id = data.get("id") or uuid.uuid5(subject.key, f"{kind.value}:{supersedes or ''}")
    request_hash = fingerprint(str(subject.key), kind.value, supersedes)
    if (earlier := _retry(session, document_id, request_hash)) is not None:
        return earlier, False
    _check_replaces(session, subject, kind, supersedes)
    authority = authority_for(session, actor)
    facts = draw(authority)
    year = local_today(now).year
    pen = press.pen()  # the font loaded before the counter row is locked: the lock waits only for the drawing
    try:
        with session.begin_nested():  # a failure here gives the number back with everything else
            serial = next_serial(session, authority.id, kind, year)
            facts = replace(facts, number=document_number(authority.short_name, kind, year, serial))
            columns = {"id": document_id, "request_hash": request_hash, "kind": kind.value, "edition": ISSUED,
                       "authority_id": authority.id, "year": year, "serial": serial,
                       "supersedes_id": supersedes}  # fmt: skip
            document = _store(session, press, pen, subject, facts, actor, now, **columns)
    except IntegrityError:  # the same id issued by a concurrent request that committed first
        if (earlier := _retry(session, document_id, request_hash)) is not None:
            return earlier, False
        raise
    return document, True


def _retry(session: Session, document_id: uuid.UUID, request_hash: str) -> Document | None:
    earlier = session.get(Document, document_id)
    if earlier is None:
        return None
    if earlier.request_hash != request_hash:
        raise Conflict("This document id is already used for another document.", {"id": "Make a new id."})
    return earlier


def _check_replaces(session: Session, subject: Subject, kind: Kind, supersedes: uuid.UUID | None) -> None:
    if supersedes is None:
        current = current_document(session, subject, kind)
        if current is not None:
            raise Conflict(
                f"A {TITLES[kind]} was issued for this already ({current.number}).",
                {"supersedes": f"To correct it, issue a new one that supersedes {current.id}."},
                detail=current,
            )
        return
    old = session.get(Document, supersedes)
    if old is None or not _same_subject(old, subject):  # unknown and someone else's read alike
        raise RuleViolation("No such document of this record.", {"supersedes": "Not a document of this record."})
    check_supersedes(Kind(old.kind), kind, True, _is_superseded(session, old.id))


def _same_subject(document: Document, subject: Subject) -> bool:
    if subject.review_event_id is not None:
        return document.review_event_id == subject.review_event_id
    return document.inspection_id == subject.inspection_id and document.finding_id is None


def _is_superseded(session: Session, document_id: uuid.UUID) -> bool:
    return session.scalar(select(exists().where(Document.supersedes_id == document_id)))


def current_document(session: Session, subject: Subject, kind: Kind) -> Document | None:
    """The one of this kind and subject that nothing supersedes."""
    newer = aliased(Document)
    query = select(Document).where(Document.kind == kind.value, ~exists().where(newer.supersedes_id == Document.id))
    if subject.review_event_id is not None:
        query = query.where(Document.review_event_id == subject.review_event_id)
    else:
        query = query.where(Document.inspection_id == subject.inspection_id, Document.finding_id.is_(None))
    return session.scalars(query).first()


def _store(session, press: Press, pen, subject: Subject, facts: Facts, actor: Actor, now, **columns) -> Document:
    """Draw, put the bytes (deleted again if the transaction rolls back), then the row that points at them."""
    pdf = pen(facts, now)
    sha256 = hashlib.sha256(pdf).hexdigest()
    key = object_key(sha256)
    press.storage.put(key, pdf, "application/pdf")
    delete_objects_after(session, press.storage, [key], "rollback")
    document = Document(
        **columns, number=facts.number, inspection_id=subject.inspection_id, finding_id=subject.finding_id,
        review_event_id=subject.review_event_id, enterprise_id=subject.enterprise_id, area_path=subject.area_path,
        sha256=sha256, byte_size=len(pdf), facts=facts_to_json(facts), issued_by_id=actor.id, issued_at=now,
    )  # fmt: skip
    session.add(document)
    session.flush()
    return document


def _order_citing(session: Session, finding: Finding) -> OrderRef | None:
    if finding.inspection_id is None:
        return None
    order = current_document(session, _inspection_subject(finding), Kind.RECTIFICATION_ORDER)
    if order is None:
        return None
    facts = facts_from_json(order.facts)
    return OrderRef(order.number, facts.issued_on) if _lists(facts, finding) else None


def _inspection_subject(finding: Finding) -> Subject:
    return Subject(finding.inspection_id, finding.enterprise_id, finding.area_path, inspection_id=finding.inspection_id)


def _lists(facts: Facts, finding: Finding) -> bool:
    return any(h.number == finding.number for h in facts.hazards)


# --- 签收 ---------------------------------------------------------------------------------------------------------


def sign_order(session: Session, press: Press | None, finding: Finding, actor: Actor, now: datetime) -> Document | None:
    """The officer acknowledged `finding`: sign its inspection's current order, if one lists it and is unsigned."""
    if finding.inspection_id is None:
        return None
    session.scalars(select(Inspection.id).where(Inspection.id == finding.inspection_id).with_for_update()).first()
    order = current_document(session, _inspection_subject(finding), Kind.RECTIFICATION_ORDER)
    if order is None or order.edition == SIGNED:
        return None
    facts = facts_from_json(order.facts)
    if not _lists(facts, finding):
        return None
    if press is None:
        raise RuntimeError("An acknowledgment that signs an order needs a Press to draw the signed copy.")
    signer = session.get(User, actor.id)
    signed = facts.signed(Receipt(name_of(signer), now))
    subject = Subject(order.inspection_id, order.enterprise_id, order.area_path, inspection_id=order.inspection_id)
    return _store(session, press, press.pen(), subject, signed, actor, now, id=uuid.uuid5(order.id, SIGNED),
                  request_hash=order.request_hash, kind=order.kind, edition=SIGNED, authority_id=order.authority_id,
                  year=order.year, serial=order.serial, supersedes_id=order.id)  # fmt: skip
