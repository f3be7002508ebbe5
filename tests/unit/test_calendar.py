"""Deadlines are calendar days in Asia/Shanghai; offline clocks are trusted within limits."""

from datetime import UTC, date, datetime, timedelta

from app.domain.calendar import days_overdue, default_deadline, is_overdue, local_today, reference_day, triage_days
from app.domain.terms import Level, State


def test_today_is_the_shanghai_date():
    assert local_today(datetime(2026, 6, 14, 16, 30, tzinfo=UTC)) == date(2026, 6, 15)  # 00:30 in Shanghai
    assert local_today(datetime(2026, 6, 14, 15, 59, tzinfo=UTC)) == date(2026, 6, 14)


def test_overdue_is_the_enterprise_own_deadline_passing_while_it_rectifies():
    deadline = date(2026, 6, 10)
    assert days_overdue(State.RECTIFYING, deadline, date(2026, 6, 15)) == 5
    # a report waiting for triage has no enterprise deadline to miss, whatever its row holds
    assert days_overdue(State.REPORTED, deadline, date(2026, 6, 11)) == 0
    assert not is_overdue(State.REPORTED, deadline, date(2026, 7, 11))
    assert not is_overdue(State.RECTIFYING, deadline, deadline)  # due today is not late yet
    for closed in (State.PENDING_REVIEW, State.CLOSED, State.VOIDED):
        assert days_overdue(closed, deadline, date(2026, 6, 15)) == 0
    assert days_overdue(State.RECTIFYING, None, date(2026, 6, 15)) == 0


def test_a_report_counts_the_days_it_waits_for_triage_in_shanghai():
    received = datetime(2026, 6, 9, 17, 0, tzinfo=UTC)  # 01:00 on 10 June in Shanghai
    assert triage_days(State.REPORTED, received, date(2026, 6, 10)) == 0
    assert triage_days(State.REPORTED, received, date(2026, 6, 13)) == 3
    for triaged in (State.RECTIFYING, State.PENDING_REVIEW, State.CLOSED, State.VOIDED):
        assert triage_days(triaged, received, date(2026, 6, 13)) is None


def test_default_deadline_gives_major_hazards_longer():
    today = date(2026, 6, 15)
    assert default_deadline(Level.GENERAL, today) < default_deadline(Level.MAJOR, today)


def test_reference_day_trusts_a_recent_device_clock_but_not_the_future_or_the_distant_past():
    now = datetime(2026, 6, 15, 2, tzinfo=UTC)
    assert reference_day(now - timedelta(days=3), now) == date(2026, 6, 12)
    assert reference_day(now + timedelta(days=3), now) == date(2026, 6, 15)
    assert reference_day(now - timedelta(days=400), now) == local_today(now - timedelta(days=30))
    assert reference_day(None, now) == date(2026, 6, 15)
