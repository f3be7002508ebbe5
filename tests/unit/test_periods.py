"""The statistics' periods in Asia/Shanghai (app/domain/periods.py): months, quarters and weeks at their edges."""

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.calendar import SHANGHAI
from app.domain.periods import (
    MAX_TREND_WEEKS,
    SHANGHAI_OFFSET,
    local_day,
    month_key,
    quarter_key,
    trend_weeks,
    week_key,
    week_start,
)

CST = timezone(timedelta(hours=8))


def test_shanghai_is_utc_plus_8_without_daylight_saving_over_the_whole_span_the_columns_hold():
    """The SQL side shifts UTC by SHANGHAI_OFFSET: exact only while zoneinfo agrees, every day of 2000..2100."""
    day = datetime(2000, 1, 1, 12, tzinfo=UTC)
    while day.year < 2100:
        assert day.astimezone(SHANGHAI).utcoffset() == SHANGHAI_OFFSET, day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    "moment,month,quarter",
    [
        (datetime(2026, 3, 31, 23, 30, tzinfo=CST), "2026-03", "2026-Q1"),  # 15:30 UTC on the 31st
        (datetime(2026, 4, 1, 0, 10, tzinfo=CST), "2026-04", "2026-Q2"),  # still 31 March in UTC
        (datetime(2026, 3, 31, 16, 10, tzinfo=UTC), "2026-04", "2026-Q2"),  # 00:10 on 1 April in Shanghai
        (datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC), "2026-06", "2026-Q2"),
        (datetime(2026, 6, 30, 16, 0, tzinfo=UTC), "2026-07", "2026-Q3"),
        (datetime(2026, 9, 30, 23, 59, tzinfo=CST), "2026-09", "2026-Q3"),
        (datetime(2026, 10, 1, 0, 0, tzinfo=CST), "2026-10", "2026-Q4"),
        (datetime(2026, 12, 31, 23, 59, tzinfo=CST), "2026-12", "2026-Q4"),
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), "2027-01", "2027-Q1"),  # New Year in Shanghai first
    ],
)
def test_months_and_quarters_by_the_local_day(moment, month, quarter):
    day = local_day(moment)
    assert (month_key(day), quarter_key(day)) == (month, quarter)


def test_every_month_of_a_year_is_in_its_quarter():
    quarters = [quarter_key(date(2026, m, 15)) for m in range(1, 13)]
    assert quarters == ["2026-Q1"] * 3 + ["2026-Q2"] * 3 + ["2026-Q3"] * 3 + ["2026-Q4"] * 3
    assert month_key(date(987, 1, 1)) == "0987-01"


def test_a_week_runs_monday_to_sunday_in_shanghai():
    sunday_night = local_day(datetime(2026, 11, 29, 23, 59, tzinfo=CST))  # a Sunday
    monday_morning = local_day(datetime(2026, 11, 30, 0, 0, tzinfo=CST))
    assert week_key(sunday_night) == "2026-11-23"
    assert week_key(monday_morning) == "2026-11-30"
    # 00:00 Monday in Shanghai is 16:00 Sunday in UTC: the UTC day would put it a week early
    assert week_key(local_day(datetime(2026, 11, 29, 16, 0, tzinfo=UTC))) == "2026-11-30"
    assert all(week_start(date(2026, 11, 23) + timedelta(days=n)) == date(2026, 11, 23) for n in range(7))
    assert week_start(date(2026, 1, 1)) == date(2025, 12, 29)  # a week across the new year keeps its Monday


def test_trend_weeks_end_with_the_current_week_oldest_first():
    weeks = trend_weeks(date(2026, 12, 2), 3)  # a Wednesday
    assert weeks == [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]
    assert trend_weeks(date(2026, 11, 30), 1) == [date(2026, 11, 30)]
    long = trend_weeks(date(2026, 12, 2), MAX_TREND_WEEKS)
    assert len(long) == 104 and all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(long))


@pytest.mark.parametrize("weeks", [0, -1, MAX_TREND_WEEKS + 1])
def test_trend_weeks_refuses_a_length_out_of_range(weeks):
    with pytest.raises(ValueError):
        trend_weeks(date(2026, 12, 2), weeks)
