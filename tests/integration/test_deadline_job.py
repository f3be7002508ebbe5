"""`flask jobs run deadlines --at ...` at the moments of issue 12's table writes exactly the expected notifications,
once: a second run at the same moment writes nothing, and a closed finding is told nothing."""

from datetime import UTC, date, datetime, timedelta

import factories as f
import pytest
from sqlalchemy import func, select

from app.models import Notification

REPORTED = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
DEADLINE = date(2026, 12, 8)  # a Tuesday: "3 days before" is Saturday, so it moves to Friday 4 December


@pytest.fixture
def loop(session):
    world = f.World(session)
    people = {
        "officer": world.user("enterprise_officer"),
        "other_officer": world.user("enterprise_officer", enterprise=world.other_enterprise),
        "inspector": world.user("inspector"),
        "street_inspector": world.user("inspector", area=world.street),
        "street_supervisor": world.user("supervisor", area=world.street),
        "district_supervisor": world.user("supervisor", area=world.district),
        "city_supervisor": world.user("supervisor", area=world.city),
        "far_supervisor": world.user("supervisor", area=world.other_district),
        "grid": world.user("grid_worker"),
    }
    data = {"observed_at": REPORTED - timedelta(minutes=5), "deadline": DEADLINE}
    order = f.report(session, people["inspector"], f.finding_data(world.enterprise, **data), now=REPORTED)
    report = f.report(session, people["grid"], f.finding_data(world.enterprise, **data), now=REPORTED)
    done = f.report(session, people["inspector"], f.finding_data(world.enterprise, **data), now=REPORTED)
    officer, supervisor = people["officer"], people["city_supervisor"]
    done = f.act(session, officer, done, "submit_rectification", now=REPORTED, measures="清理通道",
                 completed_on=REPORTED.date())  # fmt: skip
    f.act(session, supervisor, done, "approve", now=REPORTED + timedelta(hours=1), on_site=False)
    session.commit()
    # what the events themselves caused (the new orders, the submission) is not the job's: count from here
    before = session.scalar(select(func.max(Notification.id))) or 0
    return {"people": {k: u.id for k, u in people.items()}, "order": order.id, "report": report.id, "done": done.id,
            "before": before}  # fmt: skip


def run(app, at: str) -> str:
    result = app.test_cli_runner().invoke(args=["jobs", "run", "deadlines", "--at", at])
    assert result.exit_code == 0, result.output
    return result.output


def written(session, since_id: int) -> set[tuple]:
    session.rollback()  # see what the command committed
    rows = session.scalars(select(Notification).where(Notification.id > since_id))
    return {(n.finding_id, n.rule, n.recipient_id) for n in rows}


# (moment in UTC, finding, rule, who) at each step of the table, run in order as cron would
STEPS = [
    ("2026-12-03T01:00:00", "report", "triage_waiting", ("street_inspector", "street_supervisor")),
    ("2026-12-04T01:00:00", "order", "deadline_in_3_days", ("officer",)),
    ("2026-12-08T01:00:00", "order", "deadline_today", ("officer",)),
    ("2026-12-09T01:00:00", "order", "overdue", ("officer", "inspector")),
    ("2026-12-11T01:00:00", "order", "escalated_street", ("street_supervisor",)),
    ("2026-12-15T01:00:00", "order", "escalated_district", ("district_supervisor",)),
]


def test_each_moment_tells_exactly_the_expected_people_once(app, session, loop):
    ids = loop["people"]
    assert run(app, "2026-12-02T01:00:00") == "deadlines: 0 notifications written\n"  # nothing is due yet
    last = loop["before"]
    for at, finding, rule, who in STEPS:
        output = run(app, at)
        new = written(session, last)
        assert new == {(loop[finding], rule, ids[w]) for w in who}, at
        assert output == f"deadlines: {len(who)} notifications written\n"
        assert run(app, at) == "deadlines: 0 notifications written\n"  # again at the same moment: none new
        last = max(session.scalars(select(Notification.id)))
    # 14 days overdue: the district is told again and the city for the first time
    run(app, "2026-12-22T01:00:00")
    assert written(session, last) == {
        (loop["order"], "escalated_district", ids["district_supervisor"]),
        (loop["order"], "escalated_city", ids["city_supervisor"]),
    }
    everyone = written(session, loop["before"])
    assert not {row for row in everyone if row[0] == loop["done"]}, "a closed finding is told nothing"
    for bystander in ("other_officer", "far_supervisor", "grid"):
        assert not {row for row in everyone if row[2] == ids[bystander]}, bystander


def test_a_notification_names_the_finding_and_its_deadline_in_chinese(app, session, loop):
    run(app, "2026-12-04T01:30:00")
    session.rollback()
    note = session.scalars(select(Notification).where(Notification.rule == "deadline_in_3_days")).one()
    number = "YH-350206-2026-"
    assert note.title.startswith(f"隐患 {number}") and note.title.endswith("将于 2026年12月8日 到期")
    assert note.kind == "reminder" and note.read_at is None
    assert note.due_at == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def test_a_run_before_the_morning_writes_nothing_and_one_after_catches_up(app, session, loop):
    assert run(app, "2026-12-03T00:59:00") == "deadlines: 0 notifications written\n"  # 08:59 in Shanghai
    # the job was down for two days: the reminder of the 4th, and the triage nudge of the 3rd, still go out
    run(app, "2026-12-05T12:00:00")
    assert {rule for _, rule, _ in written(session, loop["before"])} == {"deadline_in_3_days", "triage_waiting"}


def test_the_deployment_sets_its_own_table(app, session, loop):
    """DEADLINE_REMIND_DAYS=1: no "3 days before" on Friday 4 December, a "1 day before" on Monday 7th."""
    app.config.update(DEADLINE_REMIND_DAYS="1")
    assert run(app, "2026-12-04T01:30:00") == "deadlines: 2 notifications written\n"  # the triage nudge only
    assert {rule for _, rule, _ in written(session, loop["before"])} == {"triage_waiting"}
    run(app, "2026-12-07T01:30:00")
    assert (loop["order"], "deadline_in_1_days", loop["people"]["officer"]) in written(session, loop["before"])
    app.config.update(DEADLINE_REMIND_DAYS="1,soon")
    refused = app.test_cli_runner().invoke(args=["jobs", "run", "deadlines", "--at", "2026-12-07T02:00:00"])
    assert refused.exit_code != 0 and "DEADLINE_REMIND_DAYS" in refused.output
