"""What each action changes on the finding projection and its side tables."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import guards
from app.domain.actors import Actor
from app.domain.calendar import local_today
from app.domain.extensions import decision
from app.domain.terms import Action, ExtensionStatus, Level
from app.models import ExtensionRequest, Finding, RectificationPlan
from app.services.lookups import category_id, citable_criterion, visible_enterprise
from app.services.photos import claim_after_photos, declare_photos, owed_after_photos

Effect = Callable[[Session, Finding, Actor, dict, datetime], None]


def pending_extension(session: Session, finding: Finding) -> ExtensionRequest:
    query = select(ExtensionRequest).where(
        ExtensionRequest.finding_id == finding.id, ExtensionRequest.status == ExtensionStatus.PENDING.value
    )
    return session.scalars(query).one()


def settle_extension(session: Session, finding: Finding, status: ExtensionStatus, now: datetime) -> dict:
    """End the pending request as `status` (withdrawn or lapsed); return what the event records of it."""
    request = pending_extension(session, finding)
    request.status, request.decided_at = status.value, now
    finding.extension_pending = False
    return {"status": status.value, "requested_deadline": request.requested_deadline.isoformat()}


def _confirm(session, finding, actor, p, now):
    if p.get("enterprise_id") is not None:
        enterprise = visible_enterprise(session, actor, p["enterprise_id"])
        finding.enterprise_id = enterprise.id
        finding.area_id, finding.area_path = enterprise.area_id, enterprise.area_path
    if p.get("level"):
        finding.level = p["level"]
    if p.get("category"):
        finding.category_id = category_id(session, p["category"])
    if p.get("nature"):
        finding.nature = p["nature"]
    finding.deadline = p["deadline"]
    finding.triaged = True
    if p.get("major_basis"):
        finding.criterion_id = citable_criterion(session, p["major_basis"]["criterion"], local_today(now)).id
        finding.major_clause = p["major_basis"]["clause"].strip()
    if finding.level == Level.GENERAL:
        finding.criterion_id = finding.major_clause = None


def _acknowledge(session, finding, actor, p, now):
    finding.acknowledged_at = now


def _submit_plan(session, finding, actor, p, now):
    plan = finding.plan or RectificationPlan(finding_id=finding.id)
    for name, value in p["plan"].items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.submitted_by_id, plan.submitted_at = actor.id, now
    finding.plan = plan
    finding.plan_complete = True


def _request_extension(session, finding, actor, p, now):
    session.add(
        ExtensionRequest(
            finding_id=finding.id,
            requested_by_id=actor.id,
            requested_at=now,
            previous_deadline=finding.deadline,
            requested_deadline=p["new_deadline"],
            reason=p["reason"].strip(),
            status="pending",
        )
    )
    finding.extension_pending = True


def _decide_extension(session, finding, actor, p, now):
    request = pending_extension(session, finding)
    request.status = decision(p["approved"]).value
    request.decided_by_id, request.decided_at = actor.id, now
    request.decision_comment = (p.get("comment") or "").strip() or None
    if p["approved"]:
        request.granted_deadline = guards.granted_deadline(request.requested_deadline, p)
        finding.deadline = request.granted_deadline
    finding.extension_pending = False


def _submit_rectification(session, finding, actor, p, now):
    photo_ids = p.get("photo_ids") or []
    finding.rectification_round += 1
    declare_photos(session, actor, finding.id, photo_ids, "rectification", now, round=finding.rectification_round)
    guards.require_after_photo(claim_after_photos(session, finding, photo_ids))
    finding.after_photos_owed = owed_after_photos(session, finding)
    finding.rectification_measures = p["measures"].strip()
    finding.rectified_on = p["completed_on"]
    finding.rectified_at, finding.rectified_by_id = now, actor.id


def _review(session, finding, actor, p, now):
    finding.reviewed_at, finding.reviewed_by_id = now, actor.id
    finding.review_comment = (p.get("comment") or "").strip() or None


def _approve(session, finding, actor, p, now):
    _review(session, finding, actor, p, now)
    finding.review_on_site = bool(p.get("on_site"))
    finding.closed_at = now


def _reject(session, finding, actor, p, now):
    _review(session, finding, actor, p, now)
    finding.review_on_site = bool(p.get("on_site"))
    if p.get("new_deadline"):
        finding.deadline = p["new_deadline"]


def _void(session, finding, actor, p, now):
    finding.void_reason = p["reason"].strip()


def _reopen(session, finding, actor, p, now):
    finding.deadline = p["new_deadline"]
    finding.reopen_reason = p["reason"].strip()
    finding.closed_at = None


def _list_supervision(session, finding, actor, p, now):
    finding.supervision_level = p["level"]  # the listing's row is written with its event (services.supervision)


def _nothing(session, finding, actor, p, now):
    return None


EFFECTS: dict[Action, Effect] = {
    Action.CONFIRM: _confirm,
    Action.ACKNOWLEDGE: _acknowledge,
    Action.SUBMIT_PLAN: _submit_plan,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.DECIDE_EXTENSION: _decide_extension,
    Action.SUBMIT_RECTIFICATION: _submit_rectification,
    Action.APPROVE: _approve,
    Action.REJECT: _reject,
    Action.VOID: _void,
    Action.REOPEN: _reopen,
    Action.COMMENT: _nothing,
    Action.LIST_SUPERVISION: _list_supervision,
}
