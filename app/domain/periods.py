"""The periods the statistics count in, as our users live them: days, weeks, months and quarters in Asia/Shanghai.

Pure rules: the read side asks the database only for each finding's local day (read.periods.local_day) and rolls
days up into weeks, months and quarters here, so every period boundary is decided in one tested place.
"""

from datetime import date, datetime, timedelta

from app.domain.calendar import SHANGHAI

# Asia/Shanghai has been UTC+8 without daylight saving since 1992, and the columns hold instants from 2000 to 2100
# (read.cursors): over that span a local day is the UTC instant shifted by 8 hours, which SQL can compute on either
# database without a time-zone table. tests/unit/test_periods.py holds this to zoneinfo for every year of the span.
SHANGHAI_OFFSET = timedelta(hours=8)
MAX_TREND_WEEKS = 104  # two years of weeks: a trend longer than that is a report, not a chart


def local_day(moment: datetime) -> date:
    """The day in Asia/Shanghai of an aware instant."""
    return moment.astimezone(SHANGHAI).date()


def month_key(day: date) -> str:
    """The month a local day falls in, as "2026-03"."""
    return f"{day.year:04d}-{day.month:02d}"


def quarter_key(day: date) -> str:
    """The calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) a local day falls in, as "2026-Q1"."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def week_start(day: date) -> date:
    """The Monday that starts the week (Monday to Sunday, as Chinese calendars and ISO 8601 count) of `day`."""
    return day - timedelta(days=day.weekday())


def week_key(day: date) -> str:
    """A week named by its Monday, as "2026-11-23"."""
    return week_start(day).isoformat()


def trend_weeks(today: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first; the last is the current week's."""
    if not 1 <= weeks <= MAX_TREND_WEEKS:
        raise ValueError(f"weeks must be 1..{MAX_TREND_WEEKS}")
    this_week = week_start(today)
    return [this_week - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
