"""What each role sees over HTTP; an invisible finding is 404, never 403 (SPEC §4)."""

from datetime import timedelta

import factories as f
import pytest
from helpers import event, real_today
from sqlalchemy import select

from app.domain.calendar import utcnow
from app.domain.visibility import can_see, can_see_enterprise
from app.models import Enterprise, Finding
from app.read.scope import enterprise_scope, finding_scope
from app.services.actors import actor_for
from app.services.facts import facts_of


@pytest.fixture
def scene(session):
    """Findings spread over two districts, two enterprises and two states."""
    world = f.World(session)
    now, deadline = utcnow(), real_today() + timedelta(days=7)
    reporter, grid_reporter = world.user("inspector"), world.user("grid_worker")
    far_inspector = world.user("inspector", area=world.other_district)
    findings = {
        "ours": f.report(session, reporter, f.finding_data(world.enterprise, deadline=deadline), now),
        "neighbour": f.report(session, reporter, f.finding_data(world.other_enterprise, deadline=deadline), now),
        "untriaged": f.report(session, grid_reporter, f.finding_data(world.enterprise), now),
        "far": f.report(session, far_inspector, f.finding_data(world.far_enterprise, deadline=deadline), now),
    }
    session.commit()
    return world, findings, grid_reporter


def visible_ids(client, headers) -> set[str]:
    return {item["id"] for item in client.get("/api/v1/findings?limit=200", headers=headers).json["items"]}


def ids(findings, *names) -> set[str]:
    return {str(findings[n].id) for n in names}


@pytest.mark.parametrize(
    "role,sees",
    [
        ("inspector", ("ours", "neighbour", "untriaged")),
        ("supervisor", ("ours", "neighbour", "untriaged", "far")),
        ("admin", ("ours", "neighbour", "untriaged", "far")),
        ("grid_worker", ("ours", "neighbour", "untriaged")),
        ("enterprise_officer", ("ours",)),
    ],
)
def test_each_role_lists_and_reads_exactly_what_it_may_see(client, session, scene, role, sees):
    world, findings, _ = scene
    headers = f.token_for(session, world.user(role))
    session.commit()
    assert visible_ids(client, headers) == ids(findings, *sees)
    for name, finding in findings.items():
        status = client.get(f"/api/v1/findings/{finding.id}", headers=headers).status_code
        assert status == (200 if name in sees else 404), name
        history = client.get(f"/api/v1/findings/{finding.id}/events", headers=headers).status_code
        assert history == (200 if name in sees else 404), name


def test_officer_of_another_enterprise_gets_404_even_for_actions(client, session, scene):
    world, findings, _ = scene
    stranger = world.user("enterprise_officer", enterprise=world.other_enterprise)
    headers = f.token_for(session, stranger)
    session.commit()
    finding = findings["ours"]
    assert client.get(f"/api/v1/findings/{finding.id}", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/findings/{finding.id}/events", json=event("acknowledge", finding.version), headers=headers
    )
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_grid_report_is_invisible_to_the_enterprise_until_confirmed(client, session, scene):
    world, findings, _ = scene
    officer, inspector = (
        f.token_for(session, world.user("enterprise_officer")),
        f.token_for(session, world.user("inspector")),
    )
    session.commit()
    report = findings["untriaged"]
    assert client.get(f"/api/v1/findings/{report.id}", headers=officer).status_code == 404
    confirmed = client.post(
        f"/api/v1/findings/{report.id}/events",
        headers=inspector,
        json=event("confirm", report.version, deadline=real_today() + timedelta(days=5)),
    )
    assert confirmed.status_code == 201
    assert client.get(f"/api/v1/findings/{report.id}", headers=officer).status_code == 200


def test_inspector_outside_the_subtree_gets_404(client, session, scene):
    world, findings, _ = scene
    outsider = f.token_for(session, world.user("inspector", area=world.other_district))
    session.commit()
    assert client.get(f"/api/v1/findings/{findings['ours'].id}", headers=outsider).status_code == 404
    assert visible_ids(client, outsider) == ids(findings, "far")


def test_reassigned_grid_worker_still_sees_own_reports(client, session, scene):
    world, findings, _ = scene
    moved = world.user("grid_worker")
    report = f.report(session, moved, f.finding_data(world.enterprise), utcnow())
    moved.area_id = world.other_grid.id  # reassigned to a grid in another district
    headers = f.token_for(session, moved)
    session.commit()
    # its own earlier report, and what lies in its new grid; nothing more of the old grid
    assert visible_ids(client, headers) == {str(report.id)} | ids(findings, "far")


def _every_kind_of_user(world, grid_reporter):
    return [
        *(world.user(r) for r in ("inspector", "supervisor", "admin", "grid_worker", "enterprise_officer")),
        grid_reporter,
        world.user("inspector", area=world.other_district),
        world.user("enterprise_officer", enterprise=world.far_enterprise),
    ]


def test_the_sql_scope_agrees_with_the_domain_rule(session, scene):
    world, _, grid_reporter = scene
    everything = list(session.scalars(select(Finding)))
    for user in _every_kind_of_user(world, grid_reporter):
        actor = actor_for(user)
        by_sql = set(session.scalars(select(Finding.id).where(finding_scope(actor))))
        by_rule = {finding.id for finding in everything if can_see(actor, facts_of(finding))}
        assert by_sql == by_rule, user.role


def test_the_sql_enterprise_scope_agrees_with_the_domain_rule(session, scene):
    world, _, grid_reporter = scene
    everything = list(session.scalars(select(Enterprise)))
    seen_by = {}
    for user in _every_kind_of_user(world, grid_reporter):
        actor = actor_for(user)
        by_sql = set(session.scalars(select(Enterprise.id).where(enterprise_scope(actor))))
        by_rule = {e.id for e in everything if can_see_enterprise(actor, e.id, e.area_path)}
        assert by_sql == by_rule, user.role
        seen_by[(user.role, user.id)] = by_rule
    # the comparison means something: some see all, some a part, an officer one
    assert max(map(len, seen_by.values())) == len(everything) > min(map(len, seen_by.values())) >= 1
