"""The notices an event causes (issue 12's table), written in the event's own transaction with their deliveries
queued, and the escalation steps the deadline job writes into the finding's history as the system actor."""

import uuid
from datetime import UTC, date, datetime, timedelta

import factories as f
import pytest
from sqlalchemy import func, select

from app.models import Delivery, FindingEvent, Notification, User
from app.services.actions import apply_action
from app.services.actors import actor_for

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
DEADLINE = date(2026, 12, 8)


@pytest.fixture
def people(session):
    world = f.World(session)
    cast = {
        "officer": world.user("enterprise_officer"),
        "officer2": world.user("enterprise_officer"),
        "other_officer": world.user("enterprise_officer", enterprise=world.other_enterprise),
        "inspector": world.user("inspector"),
        "grid": world.user("grid_worker"),
        "street_supervisor": world.user("supervisor", area=world.street),
        "district_supervisor": world.user("supervisor", area=world.district),
        "city_supervisor": world.user("supervisor", area=world.city),
        "far_supervisor": world.user("supervisor", area=world.other_district),
    }
    session.commit()
    return world, cast


def ordered(world) -> dict:
    return f.finding_data(world.enterprise, deadline=DEADLINE, observed_at=AT - timedelta(minutes=5))


def reported(world) -> dict:
    return f.finding_data(world.enterprise, observed_at=AT - timedelta(minutes=5))


def told(session, finding, since: int = 0) -> set[tuple[str, str]]:
    """(rule, username) of each notification about `finding` after id `since`."""
    query = (
        select(Notification.rule, User.username)
        .join(User, User.id == Notification.recipient_id)
        .where(Notification.finding_id == finding.id, Notification.id > since)
    )
    return set(session.execute(query).tuples())


def names(cast, *keys) -> set[str]:
    return {cast[k].username for k in keys}


def last_id(session) -> int:
    return session.scalar(select(func.max(Notification.id))) or 0


def test_an_order_tells_the_enterprise_officers_but_not_its_author(session, people):
    world, cast = people
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    assert told(session, order) == {("new_order", u) for u in names(cast, "officer", "officer2")}
    note = session.scalars(select(Notification).where(Notification.finding_id == order.id)).first()
    assert note.title == f"新的整改要求：隐患 {order.number}" and "2026年12月8日" in note.body
    assert (note.kind, note.due_at, note.created_at) == ("order", AT, AT)


def test_a_grid_workers_report_waits_for_triage_and_tells_nobody(session, people):
    world, cast = people
    report = f.report(session, cast["grid"], reported(world), now=AT)
    assert told(session, report) == set()


def test_each_step_of_the_loop_tells_the_people_of_the_table(session, people):
    world, cast = people
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    approvers = names(cast, "street_supervisor", "district_supervisor", "city_supervisor")  # not far_supervisor
    officers = names(cast, "officer", "officer2")
    # the officer who asks is not told of their own request; the supervisors over the finding's area are
    mark = last_id(session)
    order = f.act(session, cast["officer"], order, "request_extension", now=AT + timedelta(hours=1),
                  new_deadline=DEADLINE + timedelta(days=10), reason="等待防爆电机到货")  # fmt: skip
    assert told(session, order, mark) == {("extension_requested", u) for u in approvers}
    asked = session.scalars(select(Notification).where(Notification.rule == "extension_requested")).first()
    assert asked.title.endswith("申请延期至 2026年12月18日") and "2026年12月8日" in asked.body
    mark = last_id(session)
    order = f.act(session, cast["district_supervisor"], order, "decide_extension", now=AT + timedelta(hours=2),
                  approved=True)  # fmt: skip
    assert told(session, order, mark) == {("extension_decided", u) for u in officers}
    decided = session.scalars(select(Notification).where(Notification.rule == "extension_decided")).first()
    assert decided.title.endswith("延期申请已批准") and "延至 2026年12月18日" in decided.body
    mark = last_id(session)
    order = f.act(session, cast["officer"], order, "submit_rectification", now=AT + timedelta(hours=3),
                  measures="更换防爆电机", completed_on=date(2026, 12, 1))  # fmt: skip
    assert told(session, order, mark) == {("rectification_submitted", u) for u in approvers}
    mark = last_id(session)
    order = f.act(session, cast["city_supervisor"], order, "reject", now=AT + timedelta(hours=4), comment="未更换")
    assert told(session, order, mark) == {("rejected", u) for u in officers}
    order = f.act(session, cast["officer2"], order, "submit_rectification", now=AT + timedelta(hours=5),
                  measures="已更换", completed_on=date(2026, 12, 1))  # fmt: skip
    mark = last_id(session)
    order = f.act(session, cast["city_supervisor"], order, "approve", now=AT + timedelta(hours=6), on_site=False)
    assert told(session, order, mark) == set()  # 销号: nobody is asked to do anything
    order = f.act(session, cast["city_supervisor"], order, "reopen", now=AT + timedelta(days=1), reason="复查反弹",
                  new_deadline=DEADLINE + timedelta(days=20))  # fmt: skip
    assert told(session, order, mark) == {("reopened", u) for u in officers}
    assert not {u for _, u in told(session, order)} & names(cast, "other_officer", "far_supervisor", "grid")


def test_a_void_tells_the_officers_and_the_reporter_but_a_report_voided_in_triage_only_its_reporter(session, people):
    world, cast = people
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    mark = last_id(session)
    f.act(session, cast["city_supervisor"], order, "void", now=AT + timedelta(hours=1), reason="重复上报")
    assert told(session, order, mark) == {("voided", u) for u in names(cast, "officer", "officer2", "inspector")}
    report = f.report(session, cast["grid"], reported(world), now=AT)
    f.act(session, cast["street_supervisor"], report, "void", now=AT + timedelta(hours=1), reason="不属于隐患")
    assert told(session, report) == {("voided", cast["grid"].username)}  # 举报 never reached the enterprise


def test_a_replayed_event_tells_nobody_twice(session, people):
    world, cast = people
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    event = {"id": uuid.uuid4(), "action": "reject", "version": order.version}
    order = f.act(session, cast["officer"], order, "submit_rectification", now=AT, measures="清理",
                  completed_on=date(2026, 12, 1))  # fmt: skip
    event["version"] = order.version
    for _ in range(2):
        apply_action(session, actor_for(cast["city_supervisor"]), order.id, {**event, "comment": "不合格"},
                     now=AT + timedelta(hours=1))  # fmt: skip
    rejected = select(func.count()).where(Notification.finding_id == order.id, Notification.rule == "rejected")
    assert session.scalar(rejected) == 2  # officer and officer2, once each


def test_a_chosen_channel_is_queued_with_the_notification(session, people):
    world, cast = people
    cast["officer"].channels, cast["officer"].email = ["email", "webhook"], "zhang@example.com"
    cast["officer2"].channels, cast["officer2"].email = ["email"], None  # chose email but gave no address
    session.flush()
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    rows = session.execute(
        select(User.username, Delivery.channel, Delivery.status, Delivery.next_attempt_at)
        .join(Notification, Notification.id == Delivery.notification_id)
        .join(User, User.id == Notification.recipient_id)
        .where(Notification.finding_id == order.id)
    ).all()
    officer = cast["officer"].username
    assert sorted(rows) == [(officer, "email", "queued", AT), (officer, "webhook", "queued", AT)]


# --- escalations in the history ------------------------------------------------------------------------------


def run(app, at: str) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "run", "deadlines", "--at", at])
    assert result.exit_code == 0, result.output


def escalations(session, finding) -> list[FindingEvent]:
    session.rollback()  # see what the command committed
    query = select(FindingEvent).where(FindingEvent.finding_id == finding.id, FindingEvent.action == "escalate")
    return list(session.scalars(query.order_by(FindingEvent.seq)))


def test_each_escalation_is_an_event_of_the_system_actor_written_once(app, session, people):
    world, cast = people
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    session.commit()
    version = order.version
    run(app, "2026-12-09T01:00:00")  # overdue: the officers and the inspector are told, nobody escalates yet
    assert escalations(session, order) == []
    run(app, "2026-12-11T01:00:00")  # 3 days: the street
    run(app, "2026-12-11T01:00:00")
    run(app, "2026-12-22T01:00:00")  # 14 days: the district again and the city
    steps = escalations(session, order)
    assert [(e.payload["level"], e.payload["days_overdue"]) for e in steps] == [
        ("street", 3), ("district", 14), ("city", 14)]  # fmt: skip
    # the district's first step (7 days) fell outside the catch-up window of a job that was down for a week
    assert {(e.role, e.actor.username, e.from_state, e.to_state) for e in steps} == {
        ("system", "system", "rectifying", "rectifying")}  # fmt: skip
    session.refresh(order)
    assert order.version == version  # an officer's queued step does not turn stale
    assert order.events_count == max(e.seq for e in steps) and order.updated_at.isoformat().startswith("2026-12-22")


def test_no_escalation_once_the_officer_has_submitted(app, session, people):
    world, cast = people
    order = f.report(session, cast["inspector"], ordered(world), now=AT)
    f.act(session, cast["officer"], order, "submit_rectification", now=AT + timedelta(days=9), measures="已整改",
          completed_on=date(2026, 12, 9))  # fmt: skip
    session.commit()
    run(app, "2026-12-11T01:00:00")
    assert escalations(session, order) == []
