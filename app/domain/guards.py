"""The guards of the lifecycle table.

A precondition depends only on the finding and the actor, so `allowed_actions` can evaluate it;
a payload check depends on what the client sent. Both raise domain errors.
"""

from datetime import date

from app.domain import supervision
from app.domain.actors import Actor, FindingFacts
from app.domain.errors import Forbidden, InvalidTransition, PhotosMissing, RuleViolation
from app.domain.terms import Level, RectifyMode, Role

# Order 16 (《安全生产事故隐患排查治理暂行规定》) Art. 15: the six elements of a major hazard's treatment plan.
PLAN_ELEMENTS = ("objective", "measures", "funds", "responsible", "time_limit", "contingency")
PLAN_WORDS = "目标和任务, 方法和措施, 经费和物资, 机构和人员, 时限和要求, 安全措施和应急预案"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def require_text(payload: dict, *names: str) -> None:
    missing = {name: "This field is required." for name in names if _blank(payload.get(name))}
    if missing:
        raise RuleViolation("Required information is missing.", missing)


def require_future_or_today(value: date | None, today: date, field: str) -> None:
    if value is not None and value < today:
        raise RuleViolation("A deadline cannot be in the past.", {field: f"Must be {today.isoformat()} or later."})


def major_basis_problem(level: Level, basis: dict | None) -> dict | None:
    if level is not Level.MAJOR:
        return None
    basis = basis or {}
    problems = {k: "This field is required." for k in ("criterion", "clause") if _blank(basis.get(k))}
    return {"major_basis": problems or None} if problems else None


# --- preconditions: (facts, actor) -----------------------------------------------------


def not_acknowledged(f: FindingFacts, actor: Actor) -> None:
    if f.acknowledged:
        raise InvalidTransition("The rectification order has already been acknowledged.")


def is_major(f: FindingFacts, actor: Actor) -> None:
    if f.level is not Level.MAJOR:
        raise InvalidTransition("Only a major finding takes a treatment plan (治理方案).")


def no_extension_pending(f: FindingFacts, actor: Actor) -> None:
    if f.extension_pending:
        raise InvalidTransition("An extension request is already waiting for a decision.")


def extension_pending(f: FindingFacts, actor: Actor) -> None:
    if not f.extension_pending:
        raise InvalidTransition("There is no extension request to decide.")


def may_submit_rectification(f: FindingFacts, actor: Actor) -> None:
    if actor.role is Role.INSPECTOR and f.rectify_mode is not RectifyMode.IMMEDIATE:
        raise Forbidden("An inspector submits a rectification only for a fix on the spot (立即整改).")
    if f.level is Level.MAJOR and not f.plan_complete:
        raise RuleViolation(
            "A major finding needs its complete treatment plan (all six elements) before the rectification.",
            {"plan": f"Submit the plan ({PLAN_WORDS}) first."},
        )


def not_own_report(f: FindingFacts, actor: Actor) -> None:
    if f.reporter_id == actor.id:
        raise Forbidden("A finding cannot be approved by the person who reported it (four eyes).")


def after_photos_here(f: FindingFacts, actor: Actor) -> None:
    """No closure without its evidence: every after-photo the fix declared has arrived."""
    if f.after_photos_owed > 0:
        raise PhotosMissing(
            f"{f.after_photos_owed} declared photo(s) of the fix have not arrived yet; approve once they have.",
            {"missing_photos": "Wait for the uploads to finish."},
        )


def approvable(f: FindingFacts, actor: Actor) -> None:
    not_own_report(f, actor)
    after_photos_here(f, actor)


# --- payload checks: (facts, payload, today) --------------------------------------------


def check_confirm(f: FindingFacts, p: dict, today: date) -> None:
    """Triage sets the enterprise's terms: the deadline is always the confirmer's own decision."""
    level = Level(p.get("level") or f.level)
    missing = {}
    if p.get("enterprise_id") is None and f.enterprise_id is None:
        missing["enterprise_id"] = "Choose the enterprise responsible for the fix."
    if p.get("deadline") is None:
        missing["deadline"] = "Set the rectification deadline."
    if level is Level.MAJOR and p.get("major_basis") is None and not f.has_major_basis:
        missing["major_basis"] = "A major finding must cite its criterion and clause."
    if missing:
        raise RuleViolation("Confirming a report needs an enterprise, a level and a deadline.", missing)
    if p.get("major_basis") is not None and (problem := major_basis_problem(level, p["major_basis"])):
        raise RuleViolation("A major finding must cite its criterion and clause.", problem)
    require_future_or_today(p.get("deadline"), today, "deadline")


def check_plan(f: FindingFacts, p: dict, today: date) -> None:
    plan = p.get("plan") or {}
    missing = {k: "This element of the plan is required." for k in PLAN_ELEMENTS if _blank(plan.get(k))}
    if missing:
        raise RuleViolation(f"The treatment plan needs all six elements ({PLAN_WORDS}).", {"plan": missing})
    if plan["time_limit"] < today:
        raise RuleViolation("The plan's time limit is in the past.", {"plan": {"time_limit": "Today or later."}})
    # By the deadline while it is ahead; once it has passed, the plan can only say when (today or later) the work
    # will be done: refusing every date would leave an overdue major hazard with no way to a plan or a fix.
    if f.deadline is not None and today <= f.deadline < plan["time_limit"]:
        raise RuleViolation(
            "The plan must be carried out by the rectification deadline.",
            {"plan": {"time_limit": f"Must not be after {f.deadline.isoformat()}."}},
        )


def term_has_run_out(deadline: date | None, today: date) -> bool:
    """Too late to ask for more time: the deadline has passed (on the deadline day itself one still may)."""
    return deadline is not None and today > deadline


def check_extension_request(f: FindingFacts, p: dict, today: date) -> None:
    require_text(p, "new_deadline", "reason")
    if term_has_run_out(f.deadline, today):
        raise RuleViolation(
            "The deadline has passed: an extension must be asked for before the term runs out.",
            {"new_deadline": f"The deadline {f.deadline.isoformat()} has already passed."},
        )
    if f.deadline is not None and p["new_deadline"] <= f.deadline:
        raise RuleViolation(
            "An extension must ask for a date later than the current deadline.",
            {"new_deadline": f"Must be after {f.deadline.isoformat()}."},
        )
    require_future_or_today(p["new_deadline"], today, "new_deadline")


def check_extension_decision(f: FindingFacts, p: dict, today: date) -> None:
    if p.get("approved") is None:
        raise RuleViolation("Say whether the extension is approved.", {"approved": "This field is required."})
    granted = p.get("granted_deadline")
    if granted is None:
        return
    if not p["approved"]:
        raise RuleViolation("Only an approval grants a date.", {"granted_deadline": "Leave it out when refusing."})
    if f.deadline is not None and granted <= f.deadline:
        raise RuleViolation(
            "The granted date must be later than the current deadline.",
            {"granted_deadline": f"Must be after {f.deadline.isoformat()}."},
        )
    if f.requested_deadline is not None and granted > f.requested_deadline:
        raise RuleViolation(
            "The granted date cannot be later than the date asked for.",
            {"granted_deadline": f"Must not be after {f.requested_deadline.isoformat()}."},
        )


def granted_deadline(requested: date, p: dict) -> date:
    """The date an approval moves the deadline to: the one granted, else the one asked for."""
    return p.get("granted_deadline") or requested


def check_rectification(f: FindingFacts, p: dict, today: date) -> None:
    require_text(p, "measures", "completed_on")
    check_completed_on(p["completed_on"], f.observed_on, today, "completed_on")


def check_completed_on(completed_on: date, observed_on: date | None, today: date, field: str) -> None:
    """A fix is completed between the day the hazard was seen and today."""
    if completed_on > today:
        raise RuleViolation("The fix cannot be completed in the future.", {field: "Must not be after today."})
    if observed_on is not None and completed_on < observed_on:
        raise RuleViolation(
            "The fix cannot be completed before the hazard was observed.",
            {field: f"Must not be before {observed_on.isoformat()}."},
        )


def require_after_photo(arrived: int) -> None:
    """The fix is proven by a photo of it (整改后照片), and it must be here, not merely promised."""
    if arrived < 1:
        raise RuleViolation(
            "Upload at least one photo of the fix before submitting the rectification.",
            {"photo_ids": "No rectification photo of this submission has arrived yet."},
        )


def check_approval(f: FindingFacts, p: dict, today: date) -> None:
    if f.supervised:  # a listed hazard: on site at the enterprise, or the reason why not
        supervision.check_listed_approval(f, p)
        return
    if f.level is Level.MAJOR and p.get("on_site") is not True:
        raise RuleViolation(
            "A major finding is approved only after an on-site check (现场核验).",
            {"on_site": "Confirm that the fix was checked on site."},
        )


def check_rejection(f: FindingFacts, p: dict, today: date) -> None:
    require_text(p, "comment")
    supervision.check_listed_rejection(f, p)
    require_future_or_today(p.get("new_deadline"), today, "new_deadline")


def check_void(f: FindingFacts, p: dict, today: date) -> None:
    require_text(p, "reason")


def check_reopen(f: FindingFacts, p: dict, today: date) -> None:
    require_text(p, "reason", "new_deadline")
    require_future_or_today(p["new_deadline"], today, "new_deadline")


def check_comment(f: FindingFacts, p: dict, today: date) -> None:
    require_text(p, "text")
