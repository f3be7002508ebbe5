"""The official working-day calendar: weekends, the 2026 法定节假日 and their 调休 workdays, and the fallback."""

from datetime import date, timedelta

import pytest

from app.domain.workdays import HOLIDAYS_2026, OFFICIAL_CALENDAR, HolidayYear, WorkCalendar, days

CAL = OFFICIAL_CALENDAR


def test_an_ordinary_weekend_is_not_worked():
    assert CAL.is_workday(date(2026, 6, 12))  # Friday
    assert not CAL.is_workday(date(2026, 6, 13))
    assert not CAL.is_workday(date(2026, 6, 14))
    assert CAL.add_workdays(date(2026, 6, 12), 1) == date(2026, 6, 15)
    assert CAL.workdays_between(date(2026, 6, 12), date(2026, 6, 15)) == 1


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)],
)
def test_each_2026_tiaoxiu_day_is_a_weekend_day_that_is_worked(day):
    assert day.weekday() >= 5
    assert CAL.is_workday(day)


def test_national_day_week_is_off_and_its_saturday_is_worked():
    assert not any(CAL.is_workday(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert CAL.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CAL.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)  # Saturday, worked
    assert not CAL.is_workday(date(2026, 10, 11))  # the Sunday after stays off
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3  # 8, 9, 10 October
    assert CAL.is_workday(date(2026, 9, 20)) and not CAL.is_workday(date(2026, 9, 19))  # Sunday worked, not Saturday


def test_spring_festival_runs_nine_days_between_two_worked_saturdays():
    assert CAL.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CAL.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert CAL.workdays_between(date(2026, 2, 14), date(2026, 2, 23)) == 0
    assert CAL.workdays_between(date(2026, 2, 23), date(2026, 3, 1)) == 5  # 24–27 February and Saturday 28th


def test_counting_backwards_and_from_a_rest_day():
    assert CAL.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert CAL.add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert CAL.add_workdays(date(2026, 10, 3), 1) == date(2026, 10, 8)  # received in the holiday: 8th is the first
    assert CAL.workdays_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert CAL.workday_on_or_before(date(2026, 10, 4)) == date(2026, 9, 30)
    assert CAL.workday_on_or_after(date(2026, 10, 4)) == date(2026, 10, 8)
    assert CAL.workday_on_or_after(date(2026, 10, 10)) == date(2026, 10, 10)


def test_2026_has_248_working_days():
    first = date(2026, 1, 1)
    assert sum(CAL.is_workday(first + timedelta(n)) for n in range(365)) == 248
    assert len(HOLIDAYS_2026.rest_days) == 33


def test_a_year_without_its_notice_falls_back_to_monday_to_friday_and_says_so():
    assert CAL.covers(2026)
    assert not CAL.covers(2027)  # to be loaded by an admin once the State Council publishes it
    assert CAL.is_workday(date(2027, 1, 1))  # a Friday: surely 元旦, but nobody has told us yet
    assert not CAL.is_workday(date(2027, 1, 2))
    assert CAL.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)


def test_an_empty_calendar_is_monday_to_friday():
    bare = WorkCalendar([])
    assert not bare.covers(2026)
    assert bare.is_workday(date(2026, 10, 1))
    assert not bare.is_workday(date(2026, 10, 10))


def test_a_notice_must_be_consistent():
    with pytest.raises(ValueError, match="outside"):
        HolidayYear(2026, frozenset({date(2027, 1, 1)}), frozenset())
    with pytest.raises(ValueError, match="both"):
        HolidayYear(2026, frozenset({date(2026, 1, 4)}), frozenset({date(2026, 1, 4)}))
    with pytest.raises(ValueError, match="two notices"):
        WorkCalendar([HOLIDAYS_2026, HOLIDAYS_2026])
