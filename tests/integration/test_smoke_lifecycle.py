"""The whole loop through the services: report, confirm, rectify, approve."""

from datetime import timedelta

import factories as f


def test_grid_report_goes_round_the_loop(session):
    world = f.World(session)
    grid, inspector, officer, supervisor = (
        world.user(r) for r in ("grid_worker", "inspector", "enterprise_officer", "supervisor")
    )
    finding = f.report(session, grid, f.finding_data(world.enterprise))
    assert finding.status == "reported" and finding.number.startswith(f"YH-350206-{f.TODAY.year}-")
    finding = f.act(session, inspector, finding, "confirm", deadline=f.TODAY + timedelta(days=10))
    assert finding.status == "rectifying"
    finding = f.act(session, officer, finding, "acknowledge")
    finding = f.act(session, officer, finding, "submit_rectification", measures="清理通道", completed_on=f.TODAY)
    assert finding.status == "pending_review"
    finding = f.act(session, supervisor, finding, "approve", on_site=False)
    # six events, five versions: the after-photo's arrival is in the history but moves no version
    assert (finding.status, finding.version, finding.events_count) == ("closed", 5, 6)
