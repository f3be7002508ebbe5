"""Issue 12's rule table at a frozen clock: reminders, overdue notices, escalations, the triage wait and the
notices events cause, across an ordinary weekend, the 2026 Spring Festival and the National Day week."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.domain.calendar import SHANGHAI
from app.domain.deadlines import (
    Audience,
    DeadlineFacts,
    DeadlineSettings,
    ancestor_path,
    due_reminders,
    notices_for_event,
)
from app.domain.terms import Action, State
from app.domain.workdays import OFFICIAL_CALENDAR as CAL

STREET = "/350200/350206/350206001/"
AREA = STREET + "35020600100101/"
REPORTER, CONFIRMER = 7, 8
A = Audience


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def finding(status=State.RECTIFYING, deadline=None, **kw) -> DeadlineFacts:
    defaults = {"received_at": at(1, 5), "area_path": AREA, "reporter_id": REPORTER, "confirmer_id": CONFIRMER}
    return DeadlineFacts("f-1", status, deadline, **{**defaults, **kw})


def sent(facts, start: datetime, end: datetime, settings=DeadlineSettings()):
    """A job run every 15 minutes from start to end: each notice due in that span once, at the first run that
    found it (what fell due before `start` is an earlier run's)."""
    seen = {}
    now = start
    while now <= end:
        for notice in due_reminders(facts, now, CAL, settings):
            if notice.due_at >= start:
                seen.setdefault((notice.key, notice.audience), (now, notice))
        now += timedelta(minutes=15)
    for run, notice in seen.values():
        assert run == notice.due_at, f"{notice.rule} found at {run}, due {notice.due_at}"
    return sorted((n.due_at.strftime("%m-%d %H:%M"), n.rule, n.audience) for _, n in seen.values())


def test_an_ordinary_term_from_reminder_to_escalation():
    facts = finding(deadline=date(2026, 6, 11))  # a Thursday
    assert sent(facts, at(6, 1, 0), at(7, 3, 0)) == [
        ("06-08 09:00", "deadline_in_3_days", A.OFFICERS),
        ("06-11 09:00", "deadline_today", A.OFFICERS),
        ("06-12 09:00", "overdue", A.INSPECTOR),
        ("06-12 09:00", "overdue", A.OFFICERS),
        ("06-15 09:00", "escalated_street", A.STREET_SUPERVISORS),  # 3 days late is Sunday: told on Monday
        ("06-18 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),  # 7
        ("06-25 09:00", "escalated_city", A.CITY_SUPERVISORS),  # 14: the city joins
        ("06-25 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),
        ("07-02 09:00", "escalated_city", A.CITY_SUPERVISORS),  # 21: and every 7 days after
        ("07-02 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),
    ]


def test_nothing_before_09_00_and_the_same_keys_at_every_later_run():
    facts = finding(deadline=date(2026, 6, 11))
    assert due_reminders(facts, at(6, 8, 8, 59), CAL) == []
    first = due_reminders(facts, at(6, 8, 9, 0), CAL)
    assert [n.rule for n in first] == ["deadline_in_3_days"]
    assert first == due_reminders(facts, at(6, 8, 9, 0), CAL)  # the same run twice
    assert [n.key for n in due_reminders(facts, at(6, 8, 17, 45), CAL)] == [n.key for n in first]
    assert first[0].key == ("f-1", "deadline_in_3_days", "2026-06-08T09:00:00+08:00")
    assert first[0].due_at == datetime(2026, 6, 8, 1, 0, tzinfo=UTC)


def test_weekend_reminders_move_earlier_and_overdue_notices_later():
    sunday = finding(deadline=date(2026, 6, 14))
    assert sent(sunday, at(6, 1, 0), at(6, 18, 0)) == [
        ("06-11 09:00", "deadline_in_3_days", A.OFFICERS),
        ("06-12 09:00", "deadline_today", A.OFFICERS),  # due on Sunday: told on Friday
        ("06-15 09:00", "overdue", A.INSPECTOR),
        ("06-15 09:00", "overdue", A.OFFICERS),
        ("06-17 09:00", "escalated_street", A.STREET_SUPERVISORS),
    ]
    tuesday = finding(deadline=date(2026, 6, 16))
    assert sent(tuesday, at(6, 10, 0), at(6, 16, 12))[0] == ("06-12 09:00", "deadline_in_3_days", A.OFFICERS)


def test_national_day_week_with_its_worked_saturday():
    sunday_in_the_holiday = finding(deadline=date(2026, 10, 4))
    assert sent(sunday_in_the_holiday, at(9, 25, 0), at(10, 20, 0)) == [
        # 1 and 4 October are both off: both reminders fall on 30 September, and only the earlier one is sent
        ("09-30 09:00", "deadline_in_3_days", A.OFFICERS),
        ("10-08 09:00", "escalated_street", A.STREET_SUPERVISORS),
        ("10-08 09:00", "overdue", A.INSPECTOR),
        ("10-08 09:00", "overdue", A.OFFICERS),
        ("10-12 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),  # 11 October is Sunday
        ("10-19 09:00", "escalated_city", A.CITY_SUPERVISORS),
        ("10-19 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),
    ]
    friday = finding(deadline=date(2026, 10, 9))
    assert sent(friday, at(10, 10, 0), at(10, 10, 23)) == [
        ("10-10 09:00", "overdue", A.INSPECTOR),  # Saturday 10 October is worked: told that morning
        ("10-10 09:00", "overdue", A.OFFICERS),
    ]
    assert sent(finding(deadline=date(2026, 10, 13)), at(10, 9, 0), at(10, 11, 0)) == [
        ("10-10 09:00", "deadline_in_3_days", A.OFFICERS),
    ]


def test_the_worked_sunday_20_september_and_the_saturday_before_it():
    three_days_before_is_that_sunday = finding(deadline=date(2026, 9, 23))
    assert sent(three_days_before_is_that_sunday, at(9, 17, 0), at(9, 21, 0)) == [
        ("09-20 09:00", "deadline_in_3_days", A.OFFICERS),
    ]
    three_days_before_is_saturday = finding(deadline=date(2026, 9, 22))
    assert sent(three_days_before_is_saturday, at(9, 17, 0), at(9, 21, 0)) == [
        ("09-18 09:00", "deadline_in_3_days", A.OFFICERS),
    ]


def test_spring_festival_and_its_two_worked_saturdays():
    in_the_holiday = finding(deadline=date(2026, 2, 17))
    assert sent(in_the_holiday, at(2, 10, 0), at(2, 17, 23)) == [
        ("02-14 09:00", "deadline_in_3_days", A.OFFICERS),  # both land on the worked Saturday before it
    ]
    after_it = finding(deadline=date(2026, 2, 25))
    assert sent(after_it, at(2, 10, 0), at(2, 25, 23)) == [
        ("02-14 09:00", "deadline_in_3_days", A.OFFICERS),  # 22 February is off
        ("02-25 09:00", "deadline_today", A.OFFICERS),
    ]
    late_on_saturday = finding(deadline=date(2026, 2, 27))
    assert sent(late_on_saturday, at(2, 28, 0), at(2, 28, 23)) == [
        ("02-28 09:00", "overdue", A.INSPECTOR),
        ("02-28 09:00", "overdue", A.OFFICERS),
    ]


def test_escalations_that_fall_in_the_holiday_are_told_once_when_it_ends():
    facts = finding(deadline=date(2026, 2, 9))  # 7 and 14 days late are both in the Spring Festival
    escalations = [row for row in sent(facts, at(2, 9, 0), at(3, 3, 0)) if row[1].startswith("escalated")]
    assert escalations == [
        ("02-12 09:00", "escalated_street", A.STREET_SUPERVISORS),
        ("02-24 09:00", "escalated_city", A.CITY_SUPERVISORS),
        ("02-24 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),
        ("03-02 09:00", "escalated_city", A.CITY_SUPERVISORS),
        ("03-02 09:00", "escalated_district", A.DISTRICT_SUPERVISORS),
    ]


def test_who_each_overdue_notice_is_for():
    notices = due_reminders(finding(deadline=date(2026, 6, 11)), at(6, 25), CAL)
    by_audience = {n.audience: n for n in notices if n.due_at == at(6, 25)}
    assert by_audience[A.DISTRICT_SUPERVISORS].area_path == "/350200/350206/"
    assert by_audience[A.CITY_SUPERVISORS].area_path == "/350200/"
    street = due_reminders(finding(deadline=date(2026, 6, 11)), at(6, 15), CAL)
    assert [n.area_path for n in street if n.rule == "escalated_street"] == [STREET]
    overdue = due_reminders(finding(deadline=date(2026, 6, 11)), at(6, 12), CAL)
    assert [n.person_id for n in overdue if n.audience is A.INSPECTOR] == [CONFIRMER]
    unconfirmed = finding(deadline=date(2026, 6, 11), confirmer_id=None)  # an inspector's own order
    assert [n.person_id for n in due_reminders(unconfirmed, at(6, 12), CAL) if n.audience is A.INSPECTOR] == [REPORTER]


def test_a_report_waits_two_working_days_for_triage_across_a_weekend_and_a_holiday():
    def triage(received_at):
        report = finding(State.REPORTED, received_at=received_at)
        return sent(report, received_at, received_at + timedelta(days=14))

    assert triage(at(6, 12, 15)) == [("06-16 09:00", "triage_waiting", A.STREET_TRIAGERS)]  # Fri → Mon, Tue
    assert triage(at(9, 24, 10)) == [("09-29 09:00", "triage_waiting", A.STREET_TRIAGERS)]  # 中秋 25–27 off
    assert triage(at(9, 30, 10)) == [("10-09 09:00", "triage_waiting", A.STREET_TRIAGERS)]  # 国庆: 8th, 9th
    assert triage(at(10, 9, 10)) == [("10-12 09:00", "triage_waiting", A.STREET_TRIAGERS)]  # Saturday 10th counts
    assert triage(at(2, 13, 10)) == [("02-24 09:00", "triage_waiting", A.STREET_TRIAGERS)]  # 14th, then 24th
    assert triage(datetime(2026, 9, 29, 23, 30, tzinfo=UTC)) == [  # 07:30 on 30 September in Shanghai
        ("10-09 09:00", "triage_waiting", A.STREET_TRIAGERS)
    ]
    (notice,) = due_reminders(finding(State.REPORTED, received_at=at(6, 12, 15)), at(6, 16), CAL)
    assert notice.area_path == STREET


def test_a_report_is_never_overdue_whatever_its_row_holds():
    report = finding(State.REPORTED, deadline=date(2026, 6, 1), received_at=at(6, 1, 10))
    assert {rule for _, rule, _ in sent(report, at(6, 1, 10), at(6, 30, 0))} == {"triage_waiting"}


@pytest.mark.parametrize("status", [State.PENDING_REVIEW, State.CLOSED, State.VOIDED])
def test_nothing_is_scheduled_once_the_enterprise_is_no_longer_to_act(status):
    facts = finding(status, deadline=date(2026, 6, 11), received_at=at(6, 1, 10))
    assert sent(facts, at(6, 1, 0), at(7, 3, 0)) == []


def test_a_term_that_began_late_gets_no_reminder_from_before_it():
    short_term = finding(deadline=date(2026, 6, 11), term_started_at=at(6, 10, 14))
    assert sent(short_term, at(6, 10, 14), at(6, 11, 12)) == [("06-11 09:00", "deadline_today", A.OFFICERS)]


def test_a_job_that_was_down_catches_up_only_within_the_window():
    facts = finding(deadline=date(2026, 6, 11))
    assert [n.rule for n in due_reminders(facts, at(6, 10, 16), CAL)] == ["deadline_in_3_days"]
    late_run = due_reminders(facts, at(6, 20, 10), CAL)  # down ten days: only the last three days' notices
    assert {n.rule for n in late_run} == {"escalated_district"}


def test_a_run_catching_up_after_the_deadline_sends_the_overdue_notice_not_the_reminder_as_well():
    facts = finding(deadline=date(2026, 6, 11))  # a Thursday; the job was down from Wednesday to Friday
    late_run = due_reminders(facts, at(6, 12, 10), CAL)
    assert {n.rule for n in late_run} == {"overdue"}  # not "deadline_today" of the 11th too
    on_the_day = due_reminders(facts, at(6, 11, 10), CAL)
    assert {n.rule for n in on_the_day} == {"deadline_today"}  # still owed on the day itself


def test_the_rules_are_configurable():
    settings = DeadlineSettings(
        remind_days_before=(5, 1), notify_at=time(8, 30), street_after=2, district_after=4, city_after=8,
        escalate_every=4, triage_workdays=1,
    )  # fmt: skip
    facts = finding(deadline=date(2026, 6, 11))
    assert sent(facts, at(6, 1, 0), at(6, 23, 12), settings) == [
        ("06-05 08:30", "deadline_in_5_days", A.OFFICERS),  # 6 June is Saturday
        ("06-10 08:30", "deadline_in_1_days", A.OFFICERS),
        ("06-12 08:30", "overdue", A.INSPECTOR),
        ("06-12 08:30", "overdue", A.OFFICERS),
        ("06-15 08:30", "escalated_district", A.DISTRICT_SUPERVISORS),
        ("06-15 08:30", "escalated_street", A.STREET_SUPERVISORS),
        ("06-22 08:30", "escalated_city", A.CITY_SUPERVISORS),  # 8 days late is 19 June, 端午
        ("06-22 08:30", "escalated_district", A.DISTRICT_SUPERVISORS),
        ("06-23 08:30", "escalated_city", A.CITY_SUPERVISORS),  # 12
        ("06-23 08:30", "escalated_district", A.DISTRICT_SUPERVISORS),
    ]


def test_a_year_without_its_notice_is_judged_monday_to_friday():
    facts = finding(deadline=date(2027, 1, 4))  # Monday; 1 January 2027 is surely 元旦, but it is not loaded
    assert not CAL.covers(2027)
    assert sent(facts, at(12, 30, 0), at(1, 4, 12, year=2027))[0] == ("01-01 09:00", "deadline_in_3_days", A.OFFICERS)


# -- the event-driven rows -----------------------------------------------------------------------------------------

EVENT_AT = datetime(2026, 6, 15, 2, 30, tzinfo=UTC)


def told(action, status, from_state=None, **kw):
    notices = notices_for_event(action, finding(status, deadline=date(2026, 6, 30), **kw), EVENT_AT, from_state)
    return [(n.rule, n.audience) for n in notices]


@pytest.mark.parametrize(
    ("action", "after", "from_state", "expected"),
    [
        (Action.REPORT, State.RECTIFYING, None, [("new_order", A.OFFICERS)]),
        (Action.REPORT, State.REPORTED, None, []),  # a grid worker's report waits for triage: see the triage rule
        (Action.REPORT, State.PENDING_REVIEW, None, [("rectification_submitted", A.APPROVERS)]),
        (Action.CONFIRM, State.RECTIFYING, State.REPORTED, [("new_order", A.OFFICERS)]),
        (Action.SUBMIT_RECTIFICATION, State.PENDING_REVIEW, None, [("rectification_submitted", A.APPROVERS)]),
        (Action.REQUEST_EXTENSION, State.RECTIFYING, State.RECTIFYING, [("extension_requested", A.APPROVERS)]),
        (Action.DECIDE_EXTENSION, State.RECTIFYING, State.RECTIFYING, [("extension_decided", A.OFFICERS)]),
        (Action.REJECT, State.RECTIFYING, State.PENDING_REVIEW, [("rejected", A.OFFICERS)]),
        (Action.REOPEN, State.RECTIFYING, State.CLOSED, [("reopened", A.OFFICERS)]),
        (Action.VOID, State.VOIDED, State.RECTIFYING, [("voided", A.OFFICERS), ("voided", A.REPORTER)]),
        (Action.VOID, State.VOIDED, State.REPORTED, [("voided", A.REPORTER)]),  # the enterprise never saw it
        (Action.ACKNOWLEDGE, State.RECTIFYING, State.RECTIFYING, []),
        (Action.SUBMIT_PLAN, State.RECTIFYING, State.RECTIFYING, []),
        (Action.APPROVE, State.CLOSED, State.PENDING_REVIEW, []),
        (Action.COMMENT, State.RECTIFYING, State.RECTIFYING, []),
        (Action.PHOTO_ADDED, State.RECTIFYING, State.RECTIFYING, []),
    ],
)
def test_who_is_told_of_each_event(action, after, from_state, expected):
    assert told(action, after, from_state) == expected


def test_an_event_notice_is_due_at_the_event_and_keyed_by_it():
    facts = finding(State.VOIDED, deadline=date(2026, 6, 30))
    notices = notices_for_event(Action.VOID, facts, EVENT_AT, State.RECTIFYING)
    assert {n.due_at for n in notices} == {at(6, 15, 10, 30)}
    assert all(n.due_at.tzinfo is SHANGHAI for n in notices)
    assert [n.person_id for n in notices if n.audience is A.REPORTER] == [REPORTER]
    assert notices == notices_for_event(Action.VOID, facts, EVENT_AT, State.RECTIFYING)
    assert notices[0].key == ("f-1", "voided", "2026-06-15T10:30:00+08:00")
    (approvers,) = notices_for_event(Action.SUBMIT_RECTIFICATION, replace(facts, status=State.PENDING_REVIEW), EVENT_AT)
    assert approvers.area_path == AREA


def test_ancestor_path_reads_the_tree_from_the_city_down():
    assert ancestor_path(AREA, 1) == "/350200/"
    assert ancestor_path(AREA, 2) == "/350200/350206/"
    assert ancestor_path(AREA, 3) == STREET
    assert ancestor_path("/350200/350206/", 3) is None  # a finding filed at district level has no street
