"""检查记录, the read side: one inspection with its results, the list (keyset paged), and a finding's link to the
inspection it came from.

An inspection is seen as its enterprise's findings are: by the regulators whose area holds the enterprise (an
admin everywhere) and by the enterprise's own officer.
"""

import uuid

from sqlalchemy import false, func, literal, select, true, tuple_
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import NotFound
from app.domain.inspections import RESULT_NAMES, Result
from app.domain.terms import Role
from app.models import (
    Campaign,
    ChecklistItem,
    ChecklistVersion,
    Enterprise,
    Inspection,
    InspectionNote,
    InspectionResult,
)
from app.models.types import UTCDateTime
from app.read import cursors
from app.read.checklists import present_item
from app.services.reference_cache import reference_lists

LIST_CURSOR = ("inspections", ("moment", "uuid"))  # (submitted_at, id), newest first


def inspection_scope(actor: Actor):
    """Who sees an inspection, in SQL: the twin of the findings' area rule (read.scope.finding_scope)."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.ENTERPRISE_OFFICER:
        return Inspection.enterprise_id == actor.enterprise_id if actor.enterprise_id else false()
    if actor.role in (Role.INSPECTOR, Role.SUPERVISOR, Role.GRID_WORKER) and actor.area_path:
        return Inspection.area_path.startswith(actor.area_path, autoescape=True)
    return false()


def may_see_inspection(session: Session, actor: Actor, inspection_id: uuid.UUID) -> bool:
    query = select(Inspection.id).where(Inspection.id == inspection_id, inspection_scope(actor))
    return session.execute(query).first() is not None


def visible_inspection(session: Session, actor: Actor, inspection_id: uuid.UUID) -> Inspection:
    """The inspection, or NotFound when it does not exist or the actor may not see it: the same answer."""
    found = session.scalars(select(Inspection).where(Inspection.id == inspection_id, inspection_scope(actor))).first()
    if found is None:
        raise NotFound("No such inspection.")
    return found


def inspection_detail(session: Session, actor: Actor, inspection_id: uuid.UUID) -> dict:
    inspection = visible_inspection(session, actor, inspection_id)
    refs = reference_lists(session)
    results = [_result(r, refs) for r in inspection.results]
    notes = session.scalars(
        select(InspectionNote).where(InspectionNote.inspection_id == inspection.id).order_by(InspectionNote.created_at)
    ).all()
    return {
        **_summary(inspection, inspection.enterprise, inspection.checklist_version, inspection.campaign),
        "inspectors": [
            {
                "username": i.user.username,
                "display_name": i.user.display_name,
                "role": i.user.role,
                "cert_no": i.cert_no,
            }
            for i in inspection.inspectors
        ],
        "results": results,
        "findings": [r["finding_id"] for r in results if r["finding_id"] is not None],
        "notes": [_note(n) for n in notes],
    }


def _summary(inspection: Inspection, enterprise: Enterprise, version: ChecklistVersion, campaign) -> dict:
    submitter = inspection.submitted_by
    return {
        "id": inspection.id,
        "status": inspection.status,
        "enterprise": {
            "id": enterprise.id,
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "address": enterprise.address,
        },
        "checklist": {"id": version.checklist_id, "version": version.version, "name": version.name},
        "campaign": None if campaign is None else {"id": campaign.id, "name": campaign.name},
        "inspected_on": inspection.inspected_on,
        "enforcement": inspection.enforcement,
        "submitted_by": {"id": submitter.id, "username": submitter.username, "display_name": submitter.display_name},
        "submitted_at": inspection.submitted_at,
    }


def _result(result: InspectionResult, refs) -> dict:
    item = present_item(result.item, refs)
    return {
        "item_id": item["id"],
        "position": result.position,
        "content": item["content"],
        "basis": item["basis"],
        "method": item["method"],
        "method_name": item["method_name"],
        "category": item["category"],
        "major_basis": item["major_basis"],
        "result": result.result,
        "result_name": RESULT_NAMES[Result(result.result)],
        "note": result.note,
        "finding_id": result.finding_id,
    }


def _note(note: InspectionNote) -> dict:
    return {
        "id": note.id,
        "item_id": note.item.item_id if note.item else None,
        "text": note.text,
        "author": {"id": note.author.id, "display_name": note.author.display_name},
        "created_at": note.created_at,
    }


def list_inspections(
    session: Session,
    actor: Actor,
    *,
    enterprise_id: int | None,
    campaign_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict], str | None]:
    """One page of the inspections the actor may see, the latest submitted first, and the next page's cursor."""
    query = (
        select(Inspection, Enterprise, ChecklistVersion, Campaign)
        .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
        .join(ChecklistVersion, ChecklistVersion.id == Inspection.checklist_version_id)
        .outerjoin(Campaign, Campaign.id == Inspection.campaign_id)
        .where(inspection_scope(actor))
    )
    if enterprise_id is not None:
        query = query.where(Inspection.enterprise_id == enterprise_id)
    if campaign_id is not None:
        query = query.where(Inspection.campaign_id == campaign_id)
    if cursor:
        submitted_at, last_id = cursors.decode(*LIST_CURSOR, cursor)
        position = tuple_(literal(submitted_at, UTCDateTime()), literal(last_id))
        query = query.where(tuple_(Inspection.submitted_at, Inspection.id) < position)
    query = query.order_by(Inspection.submitted_at.desc(), Inspection.id.desc()).limit(limit + 1)
    rows = session.execute(query).all()
    page, more = rows[:limit], len(rows) > limit
    counts = _fail_counts(session, [r[0].id for r in page])
    items = [{**_summary(*row), "failed": counts.get(row[0].id, 0)} for row in page]
    next_cursor = cursors.encode(*LIST_CURSOR, (page[-1][0].submitted_at, page[-1][0].id)) if more and page else None
    return items, next_cursor


def _fail_counts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    query = (
        select(InspectionResult.inspection_id, func.count())
        .where(InspectionResult.inspection_id.in_(ids), InspectionResult.result == Result.FAIL.value)
        .group_by(InspectionResult.inspection_id)
    )
    return dict(session.execute(query).all())


def inspection_link(session: Session, inspection_id: uuid.UUID | None, item_row: int | None) -> dict | None:
    """What a finding's detail shows of the inspection it came from: its id, day and the failed item (its 检查内容
    and the 依据 it was judged against)."""
    if inspection_id is None:
        return None
    query = (
        select(Inspection.inspected_on, ChecklistItem.item_id, ChecklistItem.content, ChecklistItem.basis)
        .outerjoin(ChecklistItem, ChecklistItem.id == item_row)
        .where(Inspection.id == inspection_id)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    item = None if row.item_id is None else {"id": row.item_id, "content": row.content, "basis": row.basis}
    return {"id": inspection_id, "inspected_on": row.inspected_on, "item": item}
