"""The finding lifecycle (SPEC §3): one table of (state, action) -> (next state, roles, guards).

The API, the allowed_actions of every finding, the PWA and the tests all ask this module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.domain import guards as g
from app.domain import supervision
from app.domain.actors import Actor, FindingFacts
from app.domain.errors import Forbidden, InvalidTransition, RuleViolation
from app.domain.terms import PERSON_ROLES, Action, Level, RectifyMode, Role, State

Precondition = Callable[[FindingFacts, Actor], None]
PayloadCheck = Callable[[FindingFacts, dict, date], None]

EVERYONE = frozenset(PERSON_ROLES)  # who may comment: any person, never the jobs
SUPERVISOR = frozenset({Role.SUPERVISOR})
OFFICER = frozenset({Role.ENTERPRISE_OFFICER})
REGULATOR = frozenset({Role.INSPECTOR, Role.SUPERVISOR})
REPORTERS = frozenset({Role.INSPECTOR, Role.GRID_WORKER})


@dataclass(frozen=True)
class Rule:
    to_state: State | None  # None: the state does not change
    roles: frozenset[Role]
    precondition: Precondition | None = None
    check: PayloadCheck | None = None


def _rules_for_open_finding() -> dict[Action, Rule]:
    return {
        Action.ACKNOWLEDGE: Rule(None, OFFICER, g.not_acknowledged),
        Action.SUBMIT_PLAN: Rule(None, OFFICER, g.is_major, g.check_plan),
        Action.REQUEST_EXTENSION: Rule(None, OFFICER, g.no_extension_pending, g.check_extension_request),
        Action.DECIDE_EXTENSION: Rule(None, SUPERVISOR, g.extension_pending, g.check_extension_decision),
        Action.SUBMIT_RECTIFICATION: Rule(
            State.PENDING_REVIEW,
            frozenset({Role.ENTERPRISE_OFFICER, Role.INSPECTOR}),
            g.may_submit_rectification,
            g.check_rectification,
        ),
        Action.VOID: Rule(State.VOIDED, SUPERVISOR, check=g.check_void),
        Action.COMMENT: Rule(None, EVERYONE, check=g.check_comment),
        Action.LIST_SUPERVISION: Rule(None, SUPERVISOR, supervision.listable, supervision.check_listing),
    }


TABLE: dict[tuple[State, Action], Rule] = {
    (State.REPORTED, Action.CONFIRM): Rule(State.RECTIFYING, REGULATOR, check=g.check_confirm),
    (State.REPORTED, Action.VOID): Rule(State.VOIDED, SUPERVISOR, check=g.check_void),
    (State.REPORTED, Action.COMMENT): Rule(None, EVERYONE, check=g.check_comment),
    **{(State.RECTIFYING, action): rule for action, rule in _rules_for_open_finding().items()},
    (State.PENDING_REVIEW, Action.APPROVE): Rule(State.CLOSED, SUPERVISOR, g.approvable, g.check_approval),
    (State.PENDING_REVIEW, Action.REJECT): Rule(State.RECTIFYING, SUPERVISOR, check=g.check_rejection),
    (State.PENDING_REVIEW, Action.COMMENT): Rule(None, EVERYONE, check=g.check_comment),
    (State.CLOSED, Action.REOPEN): Rule(State.RECTIFYING, SUPERVISOR, check=g.check_reopen),
    (State.CLOSED, Action.COMMENT): Rule(None, EVERYONE, check=g.check_comment),
    (State.VOIDED, Action.COMMENT): Rule(None, EVERYONE, check=g.check_comment),
}

# Who may take an action at all, whatever the state: the first question, so a wrong role is 403
# even where the state would not allow the action either.
ACTION_ROLES: dict[Action, frozenset[Role]] = {Action.REPORT: REPORTERS}
for (_state, _action), _rule in TABLE.items():
    ACTION_ROLES[_action] = ACTION_ROLES.get(_action, frozenset()) | _rule.roles

# Events only the server writes: photo_added records an upload, escalate a step of the deadline job.
SERVER_ACTIONS = frozenset({Action.PHOTO_ADDED, Action.ESCALATE})
# What a client may send as an event: the create has its own endpoint, and the server writes its own.
EVENT_ACTIONS = tuple(a for a in Action if a is not Action.REPORT and a not in SERVER_ACTIONS)

# What each action reads from the client; anything else is a client mistake worth saying out loud.
PAYLOAD_FIELDS: dict[Action, frozenset[str]] = {
    Action.CONFIRM: frozenset({"level", "deadline", "enterprise_id", "major_basis", "category", "nature"}),
    Action.ACKNOWLEDGE: frozenset(),
    Action.SUBMIT_PLAN: frozenset({"plan"}),
    Action.REQUEST_EXTENSION: frozenset({"new_deadline", "reason"}),
    Action.DECIDE_EXTENSION: frozenset({"approved", "granted_deadline", "comment"}),
    Action.SUBMIT_RECTIFICATION: frozenset({"measures", "completed_on", "photo_ids"}),
    Action.APPROVE: frozenset({"on_site", "comment", "off_site_reason"}),
    Action.REJECT: frozenset({"comment", "new_deadline", "on_site"}),
    Action.VOID: frozenset({"reason"}),
    Action.REOPEN: frozenset({"reason", "new_deadline"}),
    Action.COMMENT: frozenset({"text"}),
    Action.LIST_SUPERVISION: frozenset({"level", "authority", "document_no", "leader", "public", "lead_department"}),
}


def check_payload_fields(action: Action, payload: dict) -> None:
    stray = sorted(set(payload) - PAYLOAD_FIELDS[action])
    if stray:
        raise RuleViolation(
            f"'{action.value}' does not take these fields.", dict.fromkeys(stray, f"Not used by {action.value}.")
        )


def rule_for(facts: FindingFacts, actor: Actor, action: Action) -> Rule:
    """The rule that lets `actor` take `action` now, or the error that says why not."""
    if actor.role not in ACTION_ROLES.get(action, ()):
        raise Forbidden(f"A {actor.role.value} may not {action.value}.")
    rule = TABLE.get((facts.status, action))
    if rule is None:
        raise InvalidTransition(f"A finding that is {facts.status.value} cannot take '{action.value}'.")
    if actor.role not in rule.roles:
        raise Forbidden(f"A {actor.role.value} may not {action.value} a {facts.status.value} finding.")
    if rule.precondition:
        rule.precondition(facts, actor)
    return rule


def decide(facts: FindingFacts, actor: Actor, action: Action, payload: dict, today: date) -> State:
    """Check everything the rules say about this action; return the state it leads to."""
    rule = rule_for(facts, actor, action)
    if rule.check:
        rule.check(facts, payload, today)
    return rule.to_state or facts.status


def allowed_actions(facts: FindingFacts, actor: Actor, today: date | None = None) -> list[str]:
    """The actions `actor` may take now. Preconditions read only the facts in the cache key below, so
    a page of fifty findings asks the table a handful of times, not fifty. With `today`, an extension is not
    offered once the term has run out (every such request is refused, whatever it asks)."""
    allowed = list(
        _allowed(
            facts.status,
            facts.level,
            facts.rectify_mode,
            facts.acknowledged,
            facts.extension_pending,
            facts.plan_complete,
            facts.after_photos_owed > 0,
            facts.supervised,
            actor.role,
            facts.reporter_id == actor.id,
        )
    )
    if today is not None and g.term_has_run_out(facts.deadline, today):
        allowed = [action for action in allowed if action != Action.REQUEST_EXTENSION.value]
    return allowed


@lru_cache(maxsize=4096)
def _allowed(
    status, level, rectify_mode, acknowledged, extension_pending, plan_complete, photos_owed, supervised, role, reporter
):
    actor = Actor(id=1, role=role)
    facts = FindingFacts(
        status=status,
        level=level,
        rectify_mode=rectify_mode,
        deadline=None,
        reporter_id=1 if reporter else 0,
        enterprise_id=None,
        area_path="",
        acknowledged=acknowledged,
        extension_pending=extension_pending,
        plan_complete=plan_complete,
        after_photos_owed=int(photos_owed),
        supervised=supervised,
    )
    allowed = []
    for action in EVENT_ACTIONS:
        try:
            rule_for(facts, actor, action)
        except (Forbidden, InvalidTransition, RuleViolation):
            continue
        allowed.append(action.value)
    return tuple(allowed)


# --- the create ------------------------------------------------------------------------


# Terms an enforcer sets: a grid worker (an information gatherer, not an enforcer) reports what they saw and
# the inspector or supervisor who triages it decides the rest at `confirm`.
ENFORCER_TERMS = ("deadline", "rectify_mode", "major_basis")


def check_report(actor: Actor, p: dict, today: date, observed_on: date | None = None) -> State:
    """Validate a new finding's rules and return the state it starts in."""
    if actor.role not in REPORTERS:
        raise Forbidden(f"A {actor.role.value} does not report findings.")
    if actor.role is Role.GRID_WORKER:
        return _check_grid_report(p)
    level = Level(p.get("level") or Level.GENERAL)
    if problem := g.major_basis_problem(level, p.get("major_basis")):
        raise RuleViolation("A major finding must cite its criterion and clause (重大事故隐患判定标准).", problem)
    g.require_future_or_today(p.get("deadline"), today, "deadline")
    if p.get("enterprise_id") is None:
        raise RuleViolation(
            "An inspector's finding names the enterprise that must fix it.",
            {"enterprise_id": "This field is required."},
        )
    fix = p.get("rectification")
    immediate = p.get("rectify_mode") == RectifyMode.IMMEDIATE
    if fix is not None and not immediate:
        raise RuleViolation(
            "Only an immediate finding can be fixed on the spot.",
            {"rectification": "Set rectify_mode to immediate."},
        )
    if level is Level.MAJOR and (immediate or fix is not None):
        why = "Report it as deadline (限期整改); the enterprise submits a treatment plan first."
        raise RuleViolation(
            "A major hazard needs a treatment plan (治理方案); it cannot be fixed on the spot or immediately.",
            {"rectification" if fix is not None else "rectify_mode": why},
        )
    if fix is None:
        return State.RECTIFYING
    _check_fix_on_the_spot(fix, today, observed_on)
    return State.PENDING_REVIEW


def _check_grid_report(p: dict) -> State:
    why = "A grid worker's report leaves this to the inspector who confirms it."
    sent = {name: why for name in ENFORCER_TERMS if p.get(name) is not None}
    if p.get("rectification") is not None:
        sent["rectification"] = "Only an inspector's immediate finding can be fixed on the spot."
    if sent:
        raise RuleViolation("Grid workers report; the terms are set when the report is confirmed.", sent)
    return State.REPORTED


def _check_fix_on_the_spot(fix: dict, today: date, observed_on: date | None) -> None:
    g.require_text(fix, "measures", "completed_on")
    if not fix.get("photo_ids"):
        raise RuleViolation(
            "A fix on the spot needs at least one photo of the fix.",
            {"rectification": {"photo_ids": "Declare the after-photos; upload them once the finding exists."}},
        )
    try:
        g.check_completed_on(fix["completed_on"], observed_on, today, "completed_on")
    except RuleViolation as problem:
        raise RuleViolation(problem.message, {"rectification": problem.fields}) from None
