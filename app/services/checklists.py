"""检查清单, the write side: create a checklist (idempotent on the client's id) and edit it into a new version.

A version is never changed: an edit writes the next version and moves `current_version`, so an inspection keeps
the items it answered. The same body again is a retry (200, nothing written); a create that reuses an id for
other content is a conflict (409), as a finding's is.
"""

import uuid
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import local_today
from app.domain.checklists import ItemTerms, check_items, method_of, sector_codes
from app.domain.errors import Conflict, Forbidden, NotFound, RuleViolation, Stale
from app.domain.reference_rules import criterion_problem
from app.domain.terms import Role
from app.models import Category, Checklist, ChecklistItem, ChecklistVersion, MajorCriterion
from app.services.fingerprint import fingerprint

EDITORS = frozenset({Role.ADMIN, Role.SUPERVISOR})


def may_edit_checklists(actor: Actor) -> None:
    if actor.role not in EDITORS:
        raise Forbidden("Checklists are made and edited by supervisors and admins.")


def create_checklist(session: Session, actor: Actor, data: dict, *, now: datetime) -> tuple[uuid.UUID, bool]:
    """Make the checklist's version 1; return (its id, created). A retry of the same create returns the id."""
    may_edit_checklists(actor)
    terms = normalise(data)
    request_hash = _hash(terms)
    if _is_retry(session, data["id"], request_hash):
        return data["id"], False
    rows = _item_rows(session, terms["items"], now)
    try:
        with session.begin_nested():
            session.add(Checklist(id=data["id"], current_version=1, created_by_id=actor.id, created_at=now,
                                  updated_at=now))  # fmt: skip
            session.flush()
            _add_version(session, actor, data["id"], 1, terms, request_hash, rows, now)
    except IntegrityError:  # a concurrent create of the same id got there first
        if not _is_retry(session, data["id"], request_hash):
            raise
        return data["id"], False
    return data["id"], True


def edit_checklist(
    session: Session, actor: Actor, checklist_id: uuid.UUID, data: dict, *, now: datetime
) -> tuple[int, bool]:
    """Write the next version, unless the body is the current version already; return (version, changed)."""
    may_edit_checklists(actor)
    checklist = session.scalars(select(Checklist).where(Checklist.id == checklist_id).with_for_update()).first()
    if checklist is None:
        raise NotFound("No such checklist.")
    if data.get("version") is not None and data["version"] != checklist.current_version:
        raise Stale(f"The checklist is at version {checklist.current_version}: edit that one.",
                    {"version": f"The current version is {checklist.current_version}."})  # fmt: skip
    terms = normalise({**data, "id": checklist_id})
    request_hash = _hash(terms)
    current = _version(session, checklist_id, checklist.current_version)
    if current.request_hash == request_hash:
        return checklist.current_version, False
    rows = _item_rows(session, terms["items"], now)
    number = checklist.current_version + 1
    try:
        with session.begin_nested():
            _add_version(session, actor, checklist_id, number, terms, request_hash, rows, now)
            checklist.current_version, checklist.updated_at = number, now
            session.flush()
    except IntegrityError:
        raise Conflict("The checklist was edited at the same time: read it again.") from None
    return number, True


def normalise(data: dict) -> dict:
    """The body as it is stored and fingerprinted: sectors as codes, methods as codes, texts trimmed."""
    codes, problems = sector_codes(data.get("sectors") or [])
    if problems:
        raise RuleViolation("Unknown sectors.", {"sectors": problems})
    items, item_problems = [], {}
    for i, raw in enumerate(data["items"]):
        method = method_of(raw["method"])
        if method is None:
            item_problems[str(i)] = {"method": "One of 查资料 (records), 现场查看 (site), 询问 (interview)."}
            continue
        items.append(ItemTerms(
            item_id=raw["id"], content=raw["content"].strip(), basis=raw["basis"].strip(), method=method,
            category=raw["category"].strip(), criterion=(raw.get("major_criterion") or "").strip() or None,
            clause=(raw.get("major_clause") or "").strip() or None,
        ))  # fmt: skip
    if item_problems:
        raise RuleViolation("Some items are not valid.", {"items": item_problems})
    check_items(items)
    return {"id": data["id"], "name": data["name"].strip(), "sectors": codes, "items": items}


def _hash(terms: dict) -> str:
    return fingerprint({**terms, "items": [asdict(item) for item in terms["items"]]})


def _is_retry(session: Session, checklist_id: uuid.UUID, request_hash: str) -> bool:
    first = session.scalar(
        select(ChecklistVersion.request_hash).where(
            ChecklistVersion.checklist_id == checklist_id, ChecklistVersion.version == 1
        )
    )
    if first is not None and first != request_hash:
        raise Conflict("This checklist id is already used for other content: edit it with PUT, or make a new id.",
                       {"id": "Already used for another checklist."})  # fmt: skip
    return first is not None


def _version(session: Session, checklist_id: uuid.UUID, number: int) -> ChecklistVersion:
    query = select(ChecklistVersion).where(
        ChecklistVersion.checklist_id == checklist_id, ChecklistVersion.version == number
    )
    return session.scalars(query).one()


def _item_rows(session: Session, items: list[ItemTerms], now: datetime) -> list[dict]:
    """The items' rows with their category and criterion looked up: an unknown category, or a criterion a new
    finding could not cite today, is refused (by item index)."""
    categories = dict(session.execute(select(Category.code, Category.id).where(Category.active)).all())
    wanted = {item.criterion for item in items if item.criterion}
    criteria = {c.code: c for c in session.scalars(select(MajorCriterion).where(MajorCriterion.code.in_(wanted)))}
    today, rows, problems = local_today(now), [], {}
    for i, item in enumerate(items):
        problem = {}
        if item.category not in categories:
            problem["category"] = f"'{item.category}' is not a hazard category."
        criterion = criteria.get(item.criterion) if item.criterion else None
        if item.criterion and criterion is None:
            problem["major_criterion"] = f"'{item.criterion}' is not a known criterion."
        elif criterion is not None:
            why = criterion_problem(criterion.active, criterion.effective_on, criterion.repealed_on, today)
            if why:
                problem["major_criterion"] = why
        if problem:
            problems[str(i)] = problem
            continue
        rows.append({
            "item_id": item.item_id, "position": i + 1, "content": item.content, "basis": item.basis,
            "method": item.method.value, "category_id": categories[item.category],
            "criterion_id": criterion.id if criterion else None, "major_clause": item.clause,
        })  # fmt: skip
    if problems:
        raise RuleViolation("Some items are not valid.", {"items": problems})
    return rows


def _add_version(session, actor, checklist_id, number, terms, request_hash, rows, now) -> None:
    version = ChecklistVersion(checklist_id=checklist_id, version=number, name=terms["name"],
                               sectors=terms["sectors"], request_hash=request_hash, created_by_id=actor.id,
                               created_at=now)  # fmt: skip
    session.add(version)
    session.flush()
    session.add_all(ChecklistItem(version_id=version.id, **row) for row in rows)
    session.flush()
