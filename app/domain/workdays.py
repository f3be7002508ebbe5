"""The official working-day calendar (工作日): weekends, 法定节假日 and their 调休 workdays, in Asia/Shanghai dates.

China's working days are not Monday to Friday: each year the State Council publishes which days are rest days
(法定节假日, with the weekend days joined to them) and which weekend days are worked instead (调休上班). A rule
that counts working days (a report waits "2 working days" for triage) must use that year's notice; a year the
calendar has no notice for falls back to Monday to Friday, and `covers(year)` tells a caller so it can warn
that the count may be off by a holiday.

The data is a plain table per year: the official years below are the rules' own fixtures, and a deployment reads
its calendar from the `holiday_years` / `holiday_days` tables an admin keeps (seeded with the same 2026 notice),
checked by `notice_problems` before it is stored.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

SATURDAY = 5  # date.weekday()


@dataclass(frozen=True)
class HolidayYear:
    """One year's notice: the days off that would otherwise be worked, and the weekend days that are worked."""

    year: int
    rest_days: frozenset[date]  # 放假: every day of each holiday, weekend days inside it included
    workdays: frozenset[date]  # 调休上班: Saturdays and Sundays that are working days

    def __post_init__(self):
        stray = [d for d in self.rest_days | self.workdays if d.year != self.year]
        if stray:
            raise ValueError(f"days outside {self.year}: {sorted(stray)}")
        if self.rest_days & self.workdays:
            raise ValueError(f"days both off and worked: {sorted(self.rest_days & self.workdays)}")


def days(first: date, last: date) -> frozenset[date]:
    """Every day from `first` to `last`, both included: how a notice writes a holiday (1月1日至3日)."""
    return frozenset(first + timedelta(n) for n in range((last - first).days + 1))


# 国务院办公厅关于2026年部分节假日安排的通知 (published 2025-11-04).
HOLIDAYS_2026 = HolidayYear(
    year=2026,
    rest_days=(
        days(date(2026, 1, 1), date(2026, 1, 3))  # 元旦
        | days(date(2026, 2, 15), date(2026, 2, 23))  # 春节
        | days(date(2026, 4, 4), date(2026, 4, 6))  # 清明节
        | days(date(2026, 5, 1), date(2026, 5, 5))  # 劳动节
        | days(date(2026, 6, 19), date(2026, 6, 21))  # 端午节
        | days(date(2026, 9, 25), date(2026, 9, 27))  # 中秋节
        | days(date(2026, 10, 1), date(2026, 10, 7))  # 国庆节
    ),
    workdays=frozenset(
        {
            date(2026, 1, 4),  # 周日, 元旦
            date(2026, 2, 14),  # 周六, 春节
            date(2026, 2, 28),  # 周六, 春节
            date(2026, 5, 9),  # 周六, 劳动节
            date(2026, 9, 20),  # 周日, 国庆节
            date(2026, 10, 10),  # 周六, 国庆节
        }
    ),
)

# 2027 is deliberately absent: its notice is not yet published (it usually comes in November of the year before).
# An admin loads it when it is; until then 2027 counts Monday to Friday and covers(2027) is False.
OFFICIAL_YEARS: tuple[HolidayYear, ...] = (HOLIDAYS_2026,)


class WorkCalendar:
    """Answers which days are worked, from the notices it was given."""

    def __init__(self, years: Iterable[HolidayYear] = OFFICIAL_YEARS):
        self._years: dict[int, HolidayYear] = {}
        for year in years:
            if year.year in self._years:
                raise ValueError(f"two notices for {year.year}")
            self._years[year.year] = year

    def covers(self, year: int) -> bool:
        """Whether the year's official notice is loaded; if not, its days are judged Monday to Friday."""
        return year in self._years

    def is_workday(self, day: date) -> bool:
        notice = self._years.get(day.year)
        if notice is not None:
            if day in notice.workdays:
                return True
            if day in notice.rest_days:
                return False
        return day.weekday() < SATURDAY

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it for a negative n); `day` itself for 0.

        `day` need not be a working day: a report received on Saturday has its first working day on Monday.
        """
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`: how many working days have passed from a to b.

        Counted like calendar `(b - a).days`, so a report received on `a` has waited this many working days
        on `b`; negative when b is before a.
        """
        if b < a:
            return -self.workdays_between(b, a)
        return sum(self.is_workday(a + timedelta(n)) for n in range(1, (b - a).days + 1))

    def workday_on_or_before(self, day: date) -> date:
        return day if self.is_workday(day) else self.add_workdays(day, -1)

    def workday_on_or_after(self, day: date) -> date:
        return day if self.is_workday(day) else self.add_workdays(day, 1)


OFFICIAL_CALENDAR = WorkCalendar()
FIRST_YEAR, LAST_YEAR = 2000, 2100


def notice_problems(year: int, rest_days: Iterable[date], workdays: Iterable[date]) -> dict[str, str]:
    """What is wrong with a year's notice as an admin typed it, keyed by field; empty when it can be stored."""
    rest, work = list(rest_days), list(workdays)
    problems = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        problems["year"] = f"A year from {FIRST_YEAR} to {LAST_YEAR}."
    for key, listed in (("rest_days", rest), ("workdays", work)):
        stray = sorted(d for d in listed if d.year != year)
        if stray:
            problems[key] = f"Days outside {year}: {', '.join(d.isoformat() for d in stray)}."
        elif len(set(listed)) != len(listed):
            problems[key] = "A day is listed twice."
    weekdays = sorted(d for d in work if d.weekday() < SATURDAY)
    if "workdays" not in problems and weekdays:
        problems["workdays"] = ("调休上班 days are Saturdays or Sundays; these are weekdays already: "
                                f"{', '.join(d.isoformat() for d in weekdays)}.")  # fmt: skip
    both = sorted(set(rest) & set(work))
    if both:
        problems["workdays"] = f"Days both off and worked: {', '.join(d.isoformat() for d in both)}."
    if not rest:
        problems["rest_days"] = "A notice lists at least one day off."
    return problems
