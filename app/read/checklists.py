"""检查清单, the read side: the list of checklists (their current versions) and one version with its items.

Every person of the regulators reads them (an inspector walks them, a grid worker may too); an enterprise's officer
sees the items of their own inspections in the inspection, not the templates.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.checklists import METHOD_NAMES, Method
from app.domain.errors import Forbidden, NotFound
from app.domain.sectors import BY_CODE
from app.domain.terms import Role
from app.models import Checklist, ChecklistItem, ChecklistVersion
from app.services.reference_cache import reference_lists

READERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR, Role.GRID_WORKER})


def may_read_checklists(actor: Actor) -> None:
    if actor.role not in READERS:
        raise Forbidden("Checklists are the regulators' templates.")


def sectors_of(codes: list[str]) -> list[dict]:
    return [{"code": c, "name": BY_CODE[c].name_zh if c in BY_CODE else c} for c in codes]


def list_checklists(session: Session, actor: Actor, sector: str | None = None) -> list[dict]:
    """Every checklist at its current version, by name; with `sector`, those that apply to it."""
    may_read_checklists(actor)
    counts = (
        select(ChecklistItem.version_id, func.count().label("n_items")).group_by(ChecklistItem.version_id).subquery()
    )
    query = (
        select(Checklist, ChecklistVersion, counts.c.n_items)
        .join(
            ChecklistVersion,
            (ChecklistVersion.checklist_id == Checklist.id) & (ChecklistVersion.version == Checklist.current_version),
        )
        .join(counts, counts.c.version_id == ChecklistVersion.id)
        .order_by(ChecklistVersion.name, Checklist.id)
    )
    rows = session.execute(query).all()
    return [
        summary(checklist, version, items)
        for checklist, version, items in rows
        if sector is None or sector in version.sectors
    ]


def summary(checklist: Checklist, version: ChecklistVersion, items: int) -> dict:
    return {
        "id": checklist.id,
        "name": version.name,
        "version": version.version,
        "current_version": checklist.current_version,
        "sectors": sectors_of(version.sectors),
        "items_count": items,
        "created_at": checklist.created_at,
        "updated_at": checklist.updated_at,
    }


def checklist_version(session: Session, checklist_id: uuid.UUID, version: int | None = None) -> ChecklistVersion:
    """The version (the current one when `version` is None), or NotFound."""
    checklist = session.get(Checklist, checklist_id)
    if checklist is None:
        raise NotFound("No such checklist.")
    number = version or checklist.current_version
    found = session.scalars(
        select(ChecklistVersion).where(
            ChecklistVersion.checklist_id == checklist_id, ChecklistVersion.version == number
        )
    ).first()
    if found is None:
        raise NotFound(f"The checklist has no version {number}.", {"version": f"1 to {checklist.current_version}."})
    return found


def checklist_detail(session: Session, actor: Actor, checklist_id: uuid.UUID, version: int | None = None) -> dict:
    may_read_checklists(actor)
    found = checklist_version(session, checklist_id, version)
    refs = reference_lists(session)
    body = summary(found.checklist, found, len(found.items))
    body["items"] = [present_item(item, refs) for item in found.items]
    return body


def present_item(item: ChecklistItem, refs) -> dict:
    category = refs.categories.get(item.category_id) or {
        "code": item.category.code,
        "name_zh": item.category.name_zh,
        "name_en": item.category.name_en,
    }
    basis = None
    if item.criterion_id is not None:
        criterion = item.criterion
        basis = {
            "criterion": criterion.code,
            "title": criterion.title,
            "document_number": criterion.document_number,
            "clause": item.major_clause,
        }
    return {
        "id": item.item_id,
        "position": item.position,
        "content": item.content,
        "basis": item.basis,
        "method": item.method,
        "method_name": METHOD_NAMES[Method(item.method)],
        "category": category,
        "major_basis": basis,
    }
