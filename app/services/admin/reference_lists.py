"""Hazard categories and major-hazard criteria, as an admin edits them.

A code is the key clients (and old findings) hold, so it never changes: a new code is a new entry, and the old
one is deactivated. Every change makes this process drop its in-memory copy of the lists once the transaction
commits (reference_cache.forget); other processes reload theirs within reference_cache.TTL_SECONDS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import NotFound, RuleViolation
from app.domain.reference_rules import criterion_dates_problem, reference_code_problem
from app.models import Category, MajorCriterion
from app.services import reference_cache
from app.services.admin.audit import changed, record

CATEGORY_FIELDS = ("name_zh", "name_en", "sort_order", "active")
CRITERION_FIELDS = (
    "title", "document_number", "issuing_body", "effective_on", "repealed_on", "sort_order", "active",
)  # fmt: skip
TEXT_LIMITS = {"name_zh": 100, "name_en": 100, "title": 200, "document_number": 100, "issuing_body": 100}
REQUIRED_TEXT = ("name_zh", "name_en", "title")


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


def _snapshot(row, fields) -> dict:
    return {"code": row.code, **{k: _jsonable(getattr(row, k)) for k in fields}}


def _problems(data: dict, creating: bool, required: tuple[str, ...]) -> dict:
    problems = {}
    for key, limit in TEXT_LIMITS.items():
        if key not in data:
            if creating and key in required:
                problems[key] = "Required."
            continue
        text = (data[key] or "").strip()
        if key in required and not text:
            problems[key] = "Required."
        elif len(text) > limit:
            problems[key] = f"At most {limit} characters."
    return problems


def _changed_lists(session: Session) -> None:
    session.info["reference_lists_changed"] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    if session.info.pop("reference_lists_changed", False):
        reference_cache.forget()


@event.listens_for(Session, "after_rollback")
def _keep_after_rollback(session: Session) -> None:
    session.info.pop("reference_lists_changed", None)


def _next_sort_order(session: Session, model) -> int:
    return (session.scalar(select(func.max(model.sort_order))) or 0) + 1


@dataclass(frozen=True)
class _List:
    model: type
    entity: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    check: Callable[[object, dict], dict] = lambda row, data: {}


def _save(session, actor, spec: _List, code: str, data: dict, now: datetime, *, creating: bool):
    model = spec.model
    row = session.scalars(select(model).where(model.code == code)).first()
    problems = _problems(data, creating, spec.required)
    if creating:
        if (problem := reference_code_problem(code)) is not None:
            problems["code"] = problem
        elif row is not None:
            problems["code"] = f"A {spec.entity} with this code exists already."
        row = None
    elif row is None:
        raise NotFound(f"No such {spec.entity}.")
    problems.update(spec.check(row, data))
    if problems:
        raise RuleViolation(f"The {spec.entity} cannot be saved.", problems)
    before = None if creating else _snapshot(row, spec.fields)
    if creating:
        row = model(code=code, active=True, sort_order=data.get("sort_order") or _next_sort_order(session, model))
        session.add(row)
    for key in spec.fields:
        if key in data:
            value = data[key]
            setattr(row, key, value.strip() if isinstance(value, str) else value)
    session.flush()
    _changed_lists(session)
    after = _snapshot(row, spec.fields)
    if creating:
        record(session, actor, spec.entity, code, "create", None, after, now=now)
    else:
        old, new = changed(before, after)
        if new:
            record(session, actor, spec.entity, code, "update", old, new, now=now)
    return row


def _criterion_dates(row, data: dict) -> dict:
    effective = data.get("effective_on", row.effective_on if row else None)
    repealed = data.get("repealed_on", row.repealed_on if row else None)
    problem = criterion_dates_problem(effective, repealed)
    return {"repealed_on": problem} if problem else {}


CATEGORIES = _List(Category, "category", CATEGORY_FIELDS, ("name_zh", "name_en"))
CRITERIA = _List(MajorCriterion, "criterion", CRITERION_FIELDS, ("title",), _criterion_dates)


def create_category(session: Session, actor: Actor | None, data: dict, *, now: datetime) -> Category:
    """data: code, name_zh, name_en, and optionally sort_order (default: last) and active."""
    fields = {k: v for k, v in data.items() if k in CATEGORY_FIELDS}
    return _save(session, actor, CATEGORIES, (data.get("code") or "").strip(), fields, now, creating=True)


def update_category(session: Session, actor: Actor | None, code: str, data: dict, *, now: datetime) -> Category:
    fields = {k: v for k, v in data.items() if k in CATEGORY_FIELDS}
    return _save(session, actor, CATEGORIES, code, fields, now, creating=False)


def create_criterion(session: Session, actor: Actor | None, data: dict, *, now: datetime) -> MajorCriterion:
    """data: code, title, and optionally document_number, issuing_body, effective_on, repealed_on, sort_order,
    active."""
    fields = {"document_number": "", "issuing_body": "", **{k: v for k, v in data.items() if k in CRITERION_FIELDS}}
    return _save(session, actor, CRITERIA, (data.get("code") or "").strip(), fields, now, creating=True)


def update_criterion(
    session: Session, actor: Actor | None, code: str, data: dict, *, now: datetime
) -> MajorCriterion:
    fields = {k: v for k, v in data.items() if k in CRITERION_FIELDS}
    return _save(session, actor, CRITERIA, code, fields, now, creating=False)
