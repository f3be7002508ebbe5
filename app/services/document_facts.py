"""What an enforcement document says, read from the records it is about: the enterprise, the inspectors with their
执法证号, the checklist's answers, the findings with their deadlines, the review. The number is left empty: the
issuing transaction gives it last (app/services/documents.py), so nothing here holds the counter's lock.
"""

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.calendar import local_today
from app.domain.checklists import METHOD_NAMES, Method
from app.domain.documents import (
    Authority,
    Facts,
    Hazard,
    ItemResult,
    Kind,
    Officer,
    OrderRef,
    Party,
    Review,
)
from app.domain.errors import RuleViolation
from app.domain.terms import Action, Level, State
from app.models import (
    ChecklistItem,
    Enterprise,
    Finding,
    FindingEvent,
    Inspection,
    InspectionInspector,
    InspectionNote,
    IssuingAuthority,
    User,
)

REVIEWS = (Action.APPROVE.value, Action.REJECT.value)


def authority_of(row: IssuingAuthority) -> Authority:
    return Authority(row.name, row.short_name, row.review_body)


def name_of(user: User) -> str:
    return user.display_name or user.username


def party_of(enterprise: Enterprise) -> Party:
    return Party(enterprise.name, enterprise.credit_code, enterprise.address, enterprise.contact_name,
                 enterprise.contact_phone)  # fmt: skip


def _checklist_name(inspection: Inspection) -> str:
    version = inspection.checklist_version
    return f"{version.name}（第{version.version}版）"


def inspection_facts(
    session: Session, inspection: Inspection, kind: Kind, authority: IssuingAuthority, issued_on: date
) -> Facts:
    """The 现场检查记录 or the 责令限期整改指令书 of an inspection, as its records stand now."""
    findings = _findings_by_id(session, inspection)
    facts = Facts(
        kind=kind,
        number="",
        authority=authority_of(authority),
        party=party_of(inspection.enterprise),
        issued_on=issued_on,
        officers=tuple(Officer(name_of(i.user), i.cert_no) for i in inspection.inspectors),
        inspected_on=inspection.inspected_on,
        checklist=_checklist_name(inspection),
        campaign=inspection.campaign.name if inspection.campaign else None,
    )
    if kind is Kind.INSPECTION_RECORD:
        results = tuple(_item_result(r, findings.get(r.finding_id)) for r in inspection.results)
        notes = session.scalars(
            select(InspectionNote.text)
            .where(InspectionNote.inspection_id == inspection.id)
            .order_by(InspectionNote.created_at, InspectionNote.id)
        )
        return replace(facts, results=results, notes=tuple(notes))
    # the order: every finding the inspection made and still stands (a voided one was withdrawn as wrong)
    hazards = tuple(
        _hazard(findings[r.finding_id], r.item)
        for r in inspection.results
        if r.finding_id in findings and findings[r.finding_id].status != State.VOIDED.value
    )
    return replace(facts, hazards=hazards)


def _findings_by_id(session: Session, inspection: Inspection) -> dict:
    query = select(Finding).where(Finding.inspection_id == inspection.id)
    return {f.id: f for f in session.scalars(query)}


def _item_result(result, finding: Finding | None) -> ItemResult:
    item = result.item
    return ItemResult(
        content=item.content,
        basis=item.basis,
        method=METHOD_NAMES[Method(item.method)],
        result=result.result,
        note=result.note or "",
        finding_number=finding.number if finding else None,
    )


def _hazard(finding: Finding, item: ChecklistItem | None) -> Hazard:
    basis = item.basis if item is not None else ""
    if finding.level == Level.MAJOR and finding.criterion is not None:
        judged = f"重大事故隐患判定：{finding.criterion.title}{finding.major_clause or ''}"
        basis = f"{basis}；{judged}" if basis else judged
    return Hazard(
        number=finding.number or "",
        title=finding.title,
        description=finding.description or "",
        basis=basis,
        major=finding.level == Level.MAJOR,
        deadline=finding.deadline,
    )


def last_review(session: Session, finding: Finding) -> FindingEvent | None:
    """The approval or rejection an opinion answers: the latest."""
    query = select(FindingEvent).where(FindingEvent.finding_id == finding.id, FindingEvent.action.in_(REVIEWS))
    return session.scalars(query.order_by(FindingEvent.seq.desc()).limit(1)).first()


def review_facts(
    session: Session,
    finding: Finding,
    review: FindingEvent,
    issuer: User,
    authority: IssuingAuthority,
    issued_on: date,
    order: OrderRef | None,
) -> Facts:
    """The 整改复查意见书 answering `review`, citing the order the finding was in, if there was one."""
    if finding.enterprise is None:
        raise RuleViolation("The finding names no enterprise to address.", {"kind": "No enterprise to address."})
    payload = review.payload or {}
    approved = review.action == Action.APPROVE.value
    deadline = finding.deadline
    if not approved and (payload.get("deadline_change") or {}).get("to"):
        deadline = date.fromisoformat(payload["deadline_change"]["to"])
    reviewer = review.actor
    people = [reviewer] if reviewer.id == issuer.id else [reviewer, issuer]
    item = session.get(ChecklistItem, finding.checklist_item_id) if finding.checklist_item_id else None
    return Facts(
        kind=Kind.REVIEW_OPINION,
        number="",
        authority=authority_of(authority),
        party=party_of(finding.enterprise),
        issued_on=issued_on,
        officers=tuple(Officer(name_of(p), _cert_no(session, finding, p)) for p in people),
        hazards=(_hazard(finding, item),),
        review=Review(
            approved=approved,
            reviewed_on=local_today(review.received_at),
            reviewer=name_of(reviewer),
            comment=(payload.get("comment") or "").strip(),
            on_site=bool(payload.get("on_site")),
            deadline=None if approved else deadline,
        ),
        order=order,
    )


def _cert_no(session: Session, finding: Finding, user: User) -> str | None:
    """The 执法证号 the person showed at the inspection the finding came from, if they were there."""
    if finding.inspection_id is None:
        return None
    key = {"inspection_id": finding.inspection_id, "user_id": user.id}
    inspector = session.get(InspectionInspector, key)
    return inspector.cert_no if inspector else None
