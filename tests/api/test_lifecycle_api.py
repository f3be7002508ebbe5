"""Every (state, action, role) through the HTTP API: 201 and the right state, 403, 404 or 409."""

from datetime import timedelta

import factories as f
import pytest
from helpers import event, real_today
from spec_table import ACTIONS, ROLES, ROLES_OF, SPEC, STATES

from app.domain.calendar import utcnow


def payload_for(action: str, finding) -> dict:
    today = real_today()
    plan = {**f.PLAN, "time_limit": today + timedelta(days=5)}  # by the deadline, a week away
    basis = {"criterion": "gongmao_2023", "clause": "第四条(一)"}
    return {
        "confirm": {"deadline": today + timedelta(days=10), "major_basis": basis},
        "acknowledge": {},
        "submit_plan": {"plan": plan},
        "request_extension": {
            "new_deadline": (finding.deadline or today) + timedelta(days=10),
            "reason": "设备到货延迟",
        },
        "decide_extension": {"approved": True},
        "submit_rectification": {"measures": "已更换", "completed_on": today},
        "approve": {"on_site": True},
        "reject": {"comment": "整改照片不清晰"},
        "void": {"reason": "重复上报"},
        "reopen": {"reason": "复查发现反弹", "new_deadline": today + timedelta(days=5)},
        "comment": {"text": "已电话提醒企业"},
        "list_supervision": {
            "level": "county",
            "authority": "湖里区安委办",
            "document_no": "湖安办督〔2026〕3号",
            "leader": "赵六",
        },
    }[action]


def finding_in(session, world, state: str, action: str):
    """A major finding in `state` that meets the preconditions of `action`, reported by a bystander. For
    submit_rectification a general immediate one: an inspector hands in only such a fix, and a major hazard is
    never immediate."""
    now, today = utcnow(), real_today()
    officer, reviewer = world.user("enterprise_officer"), world.user("supervisor")
    if state == "reported":
        return f.report(session, world.user("grid_worker"), f.major_data(world.enterprise), now)
    terms = {"deadline": today + timedelta(days=7), "observed_at": now}
    if action == "submit_rectification":
        data = f.finding_data(world.enterprise, rectify_mode="immediate", **terms)
    else:
        data = f.major_data(world.enterprise, **terms)
    finding = f.report(session, world.user("inspector"), data, now)
    if finding.level == "major" and (action != "submit_plan" or state != "rectifying"):
        finding = f.act(session, officer, finding, "submit_plan", now, plan={**f.PLAN, "time_limit": today})
    if state == "rectifying" and action == "decide_extension":
        finding = f.act(
            session,
            officer,
            finding,
            "request_extension",
            now,
            new_deadline=finding.deadline + timedelta(days=3),
            reason="等待配件",
        )
    if state == "rectifying":
        if action == "submit_rectification":  # the after-photo arrives before the submission that cites it
            f.upload(session, officer, finding, "rectification", now=now)
        return finding
    finding = f.act(session, officer, finding, "submit_rectification", now, measures="已整改", completed_on=today)
    if state == "closed":
        return f.act(session, reviewer, finding, "approve", now, on_site=True)
    if state == "voided":
        return f.act(
            session,
            reviewer,
            f.act(session, reviewer, finding, "reject", now, comment="不合格"),
            "void",
            now,
            reason="误报",
        )
    return finding


def expected(state: str, action: str, role: str) -> tuple[int, str | None]:
    if role == "enterprise_officer" and state == "reported":
        return 404, "not_found"  # the enterprise does not see a report before triage
    if role not in ROLES_OF[action]:
        return 403, "forbidden"
    if (state, action) not in SPEC:
        return 409, "invalid_transition"
    return 201, SPEC[(state, action)][0]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_state_action_role_through_the_api(client, session, state, action):
    world = f.World(session)
    for role in ROLES:
        finding = finding_in(session, world, state, action)
        actor = world.user(role)
        headers = f.token_for(session, actor)
        session.commit()
        body = event(action, finding.version, **payload_for(action, finding))
        response = client.post(f"/api/v1/findings/{finding.id}/events", json=body, headers=headers)
        status, outcome = expected(state, action, role)
        assert response.status_code == status, (state, action, role, response.json)
        if status == 201:
            assert response.json["status"] == outcome
            assert response.json["version"] == finding.version + (0 if action == "comment" else 1)
        else:
            assert response.json["error"]["code"] == outcome
            assert response.json["error"]["message"]


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_in_the_api_are_the_ones_that_succeed(client, session, state):
    world = f.World(session)
    finding = finding_in(session, world, state, "comment")
    for role in ROLES:
        headers = f.token_for(session, world.user(role))
        session.commit()
        response = client.get(f"/api/v1/findings/{finding.id}", headers=headers)
        if expected(state, "comment", role)[0] == 404:
            assert response.status_code == 404
            continue
        allowed = set(response.json["allowed_actions"])
        assert "comment" in allowed
        assert allowed <= {a for a in ACTIONS if expected(state, a, role)[0] == 201}
