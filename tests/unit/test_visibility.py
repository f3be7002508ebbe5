"""Who sees what (SPEC §4), on plain facts."""

from datetime import date

import pytest

from app.domain.actors import Actor, FindingFacts
from app.domain.terms import Level, RectifyMode, Role, State
from app.domain.visibility import can_see, can_see_enterprise, in_subtree


def finding(status=State.RECTIFYING, area="/350200/350206/g1/", enterprise=7, reporter=100) -> FindingFacts:
    return FindingFacts(
        status=status,
        level=Level.GENERAL,
        rectify_mode=RectifyMode.DEADLINE,
        deadline=date(2026, 7, 1),
        reporter_id=reporter,
        enterprise_id=enterprise,
        area_path=area,
    )


def test_subtree_is_a_whole_segment_prefix():
    assert in_subtree("/350200/350206/", "/350200/")
    assert not in_subtree("/350200/3502061/", "/350200/350206/")  # a longer code is not a child
    assert not in_subtree("/350200/", None)


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.SUPERVISOR])
def test_regulators_see_their_area_subtree(role):
    assert can_see(Actor(1, role, "/350200/350206/"), finding())
    assert can_see(Actor(1, role, "/350200/"), finding())
    assert not can_see(Actor(1, role, "/350200/350203/"), finding())


def test_grid_worker_sees_own_reports_and_own_grid():
    worker = Actor(5, Role.GRID_WORKER, "/350200/350206/g1/")
    assert can_see(worker, finding())
    assert can_see(worker, finding(status=State.REPORTED))
    assert not can_see(worker, finding(area="/350200/350206/g2/"))
    assert can_see(worker, finding(area="/350200/350206/g2/", reporter=5))


def test_officer_sees_own_enterprise_but_never_untriaged_reports():
    officer = Actor(9, Role.ENTERPRISE_OFFICER, "/350200/350206/g1/", enterprise_id=7)
    for status in (State.RECTIFYING, State.PENDING_REVIEW, State.CLOSED, State.VOIDED):
        assert can_see(officer, finding(status=status))
    assert not can_see(officer, finding(status=State.REPORTED))
    assert not can_see(officer, finding(enterprise=8))
    assert not can_see(Actor(9, Role.ENTERPRISE_OFFICER, "/350200/", enterprise_id=None), finding())


def test_admin_sees_everything():
    assert can_see(Actor(1, Role.ADMIN), finding(area="/elsewhere/"))


def test_enterprises_are_seen_by_area_except_by_officers_who_see_their_own():
    here, there = "/350200/350206/g1/", "/350200/350203/g4/"
    for role in (Role.INSPECTOR, Role.SUPERVISOR, Role.GRID_WORKER):
        assert can_see_enterprise(Actor(1, role, "/350200/350206/"), 7, here)
        assert not can_see_enterprise(Actor(1, role, "/350200/350206/"), 8, there)
    officer = Actor(9, Role.ENTERPRISE_OFFICER, "/350200/", enterprise_id=7)
    assert can_see_enterprise(officer, 7, here)
    assert not can_see_enterprise(officer, 8, here)  # its area does not widen an officer's view
    assert not can_see_enterprise(Actor(9, Role.ENTERPRISE_OFFICER, "/350200/"), 7, here)
    assert can_see_enterprise(Actor(1, Role.ADMIN), 8, there)
