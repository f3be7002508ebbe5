"""Deadlines are calendar days in Asia/Shanghai; offline clocks are trusted within limits."""

from datetime import UTC, date, datetime, timedelta

from app.domain.calendar import days_overdue, default_deadline, is_overdue, local_today, reference_day
from app.domain.terms import Level, State


def test_today_is_the_shanghai_date():
    assert local_today(datetime(2026, 6, 14, 16, 30, tzinfo=UTC)) == date(2026, 6, 15)  # 00:30 in Shanghai
    assert local_today(datetime(2026, 6, 14, 15, 59, tzinfo=UTC)) == date(2026, 6, 14)


def test_overdue_is_derived_only_for_open_findings():
    deadline = date(2026, 6, 10)
    assert days_overdue(State.RECTIFYING, deadline, date(2026, 6, 15)) == 5
    assert days_overdue(State.REPORTED, deadline, date(2026, 6, 11)) == 1
    assert not is_overdue(State.RECTIFYING, deadline, deadline)  # due today is not late yet
    for closed in (State.PENDING_REVIEW, State.CLOSED, State.VOIDED):
        assert days_overdue(closed, deadline, date(2026, 6, 15)) == 0
    assert days_overdue(State.RECTIFYING, None, date(2026, 6, 15)) == 0


def test_default_deadline_gives_major_hazards_longer():
    today = date(2026, 6, 15)
    assert default_deadline(Level.GENERAL, today) < default_deadline(Level.MAJOR, today)


def test_reference_day_trusts_a_recent_device_clock_but_not_the_future_or_the_distant_past():
    now = datetime(2026, 6, 15, 2, tzinfo=UTC)
    assert reference_day(now - timedelta(days=3), now) == date(2026, 6, 12)
    assert reference_day(now + timedelta(days=3), now) == date(2026, 6, 15)
    assert reference_day(now - timedelta(days=400), now) == local_today(now - timedelta(days=30))
    assert reference_day(None, now) == date(2026, 6, 15)
