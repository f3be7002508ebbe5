"""The lifecycle table against SPEC §3, combination by combination, with no database."""

from datetime import date

import pytest
from spec_table import ACTIONS, ROLES, ROLES_OF, SPEC, STATES

from app.domain.actors import Actor, FindingFacts
from app.domain.errors import Forbidden, InvalidTransition, RuleViolation
from app.domain.lifecycle import TABLE, allowed_actions, decide, rule_for
from app.domain.terms import Action, Level, RectifyMode, Role, State

TODAY = date(2026, 6, 15)
REPORTER_ID = 99

VALID_PAYLOAD = {
    "confirm": {"deadline": date(2026, 6, 30)},
    "acknowledge": {},
    "submit_plan": {
        "plan": {
            "objective": "o",
            "measures": "m",
            "responsible": "r",
            "funds": "f",
            "time_limit": date(2026, 7, 1),
            "contingency": "c",
        }
    },
    "request_extension": {"new_deadline": date(2026, 8, 1), "reason": "设备到货延迟"},
    "decide_extension": {"approved": True},
    "submit_rectification": {"measures": "已清理", "completed_on": TODAY},
    "approve": {"on_site": True},
    "reject": {"comment": "照片不清楚"},
    "void": {"reason": "重复上报"},
    "reopen": {"reason": "复查发现反弹", "new_deadline": date(2026, 7, 1)},
    "comment": {"text": "已电话提醒"},
    "list_supervision": {
        "level": "city",
        "authority": "厦门市安委办",
        "document_no": "厦安办督〔2026〕12号",
        "leader": "王五",
    },
}


def facts_ready_for(state: str, action: str) -> FindingFacts:
    """A finding in `state` that meets every precondition of `action` except role and state."""
    return FindingFacts(
        status=State(state),
        level=Level.MAJOR,
        rectify_mode=RectifyMode.IMMEDIATE,
        deadline=date(2026, 7, 15),
        reporter_id=REPORTER_ID,
        enterprise_id=1,
        area_path="/1/",
        acknowledged=False,
        extension_pending=action == "decide_extension",
        plan_complete=action != "submit_plan",
        has_major_basis=True,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_state_action_role(state, action, role):
    facts, actor = facts_ready_for(state, action), Actor(id=1, role=Role(role), area_path="/", enterprise_id=1)
    if role not in ROLES_OF[action]:
        with pytest.raises(Forbidden):
            decide(facts, actor, Action(action), VALID_PAYLOAD[action], TODAY)
    elif (state, action) not in SPEC:
        with pytest.raises(InvalidTransition):
            decide(facts, actor, Action(action), VALID_PAYLOAD[action], TODAY)
    else:
        to_state, roles = SPEC[(state, action)]
        assert role in roles
        assert decide(facts, actor, Action(action), VALID_PAYLOAD[action], TODAY) == State(to_state)
        assert action in allowed_actions(facts, actor)


def test_table_holds_exactly_the_specified_transitions():
    implemented = {
        (s.value, a.value): ((r.to_state or s).value, frozenset(x.value for x in r.roles))
        for (s, a), r in TABLE.items()
    }
    assert implemented == SPEC


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_are_exactly_those_decide_accepts(state):
    for role in ROLES:
        actor = Actor(id=1, role=Role(role), area_path="/", enterprise_id=1)
        facts = facts_ready_for(state, "comment")
        for action in ACTIONS:
            try:
                rule_for(facts, actor, Action(action))
                accepted = True
            except (Forbidden, InvalidTransition, RuleViolation):
                accepted = False
            assert (action in allowed_actions(facts, actor)) == accepted


def test_terminal_states_allow_only_talk_and_reopen():
    supervisor = Actor(id=1, role=Role.SUPERVISOR, area_path="/")
    assert allowed_actions(facts_ready_for("closed", "x"), supervisor) == ["reopen", "comment"]
    assert allowed_actions(facts_ready_for("voided", "x"), supervisor) == ["comment"]
