"""Finding the things a request names, within what the actor may see."""

import uuid
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import Conflict, NotFound, RuleViolation
from app.domain.reference_rules import criterion_problem
from app.domain.visibility import can_see_enterprise
from app.models import Category, Enterprise, Finding, MajorCriterion
from app.read.scope import finding_scope
from app.services.reference_cache import reference_lists

_ENTERPRISE_BY_ID = select(Enterprise.id, Enterprise.area_id, Enterprise.area_path, Enterprise.active).where(
    Enterprise.id == bindparam("id")
)


def visible_finding(session: Session, actor: Actor, finding_id: uuid.UUID, *, for_update: bool = False) -> Finding:
    """The finding, or NotFound when it does not exist or the actor may not see it: the same answer."""
    query = select(Finding).where(Finding.id == finding_id, finding_scope(actor))
    if for_update:
        query = query.with_for_update(of=Finding)
    finding = session.scalars(query).first()
    if finding is None:
        raise NotFound("No such finding.")
    return finding


def may_see_finding(session: Session, actor: Actor, finding_id: uuid.UUID) -> bool:
    """Whether the finding exists for this actor: an id of one they may not see is an unknown id to them."""
    query = select(Finding.id).where(Finding.id == finding_id, finding_scope(actor))
    return session.connection().execute(query).first() is not None


def foreign_id(session: Session, actor: Actor, owner_id: uuid.UUID, what: str, fields: dict | None = None):
    """The error for a client id already used by another finding: a Conflict when the actor may see that
    finding, else the NotFound an unknown id gets (no 409 that would reveal that it exists)."""
    if may_see_finding(session, actor, owner_id):
        return Conflict(f"This {what} id is already used by another finding.", fields)
    return NotFound(f"No such {what}.", fields)


def visible_enterprise(session: Session, actor: Actor, enterprise_id: int, field: str = "enterprise_id"):
    """The enterprise's id, area_id and area_path (all a finding takes from it), if the actor may see it.
    Read by key, then judged by the domain rule that enterprise_scope mirrors."""
    enterprise = session.connection().execute(_ENTERPRISE_BY_ID, {"id": enterprise_id}).first()
    if enterprise is None or not can_see_enterprise(actor, enterprise.id, enterprise.area_path):
        raise RuleViolation("Unknown enterprise.", {field: "No enterprise with this id in your area."})
    if not enterprise.active:
        raise RuleViolation("Deactivated enterprise.", {field: "This enterprise is deactivated: no new findings."})
    return enterprise


def category_id(session: Session, code: str) -> int:
    """A new finding's category, read from the in-memory reference lists; a code they lack is asked of the
    database, so a category added a moment ago is not refused."""
    known = reference_lists(session).active_category_ids.get(code)
    return known if known is not None else category_by_code(session, code).id


def category_by_code(session: Session, code: str) -> Category:
    category = session.scalars(select(Category).where(Category.code == code, Category.active)).first()
    if category is None:
        raise RuleViolation("Unknown category.", {"category": f"'{code}' is not a hazard category."})
    return category


def criterion_by_code(session: Session, code: str, field: str = "major_basis") -> MajorCriterion:
    """Any criterion, in force or not: what an old finding cites stays readable."""
    criterion = session.scalars(select(MajorCriterion).where(MajorCriterion.code == code)).first()
    if criterion is None:
        raise RuleViolation("Unknown criterion.", {field: {"criterion": f"'{code}' is not a known criterion."}})
    return criterion


def citable_criterion(session: Session, code: str, day: date, field: str = "major_basis") -> MajorCriterion:
    """The criterion a major finding may newly cite on `day` (a report, a confirm): one in force, read from the
    database, so a repeal is enforced at once in every process."""
    criterion = criterion_by_code(session, code, field)
    problem = criterion_problem(criterion.active, criterion.effective_on, criterion.repealed_on, day)
    if problem is not None:
        raise RuleViolation("This criterion cannot be cited.", {field: {"criterion": problem}})
    return criterion
