"""Dates as our users live them: deadlines are calendar days in Asia/Shanghai."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.terms import Level, State

SHANGHAI = ZoneInfo("Asia/Shanghai")

# A sensible default when the inspector does not pick one: major hazards get longer to fix.
DEFAULT_DAYS = {Level.GENERAL: 15, Level.MAJOR: 30}


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


def default_deadline(level: Level, today: date) -> date:
    return today + timedelta(days=DEFAULT_DAYS[level])


# The one definition of 逾期: the enterprise's own deadline has passed while it is still to fix it. A `reported`
# finding has no enterprise deadline yet (it waits for triage: triage_days), and one in pending_review is the
# regulator's to act on. Lists, filters, counts and exports all use this state (see read.filters).
OVERDUE_STATE = State.RECTIFYING


def days_overdue(status: State, deadline: date | None, today: date) -> int:
    """Whole days past the deadline for a finding being rectified; 0 when not overdue."""
    if deadline is None or status is not OVERDUE_STATE:
        return 0
    return max((today - deadline).days, 0)


def triage_days(status: State, received_at: datetime, today: date) -> int | None:
    """Whole days a grid worker's report has waited for triage (初审); None once it is triaged."""
    if status is not State.REPORTED:
        return None
    return max((today - local_today(received_at)).days, 0)


def is_overdue(status: State, deadline: date | None, today: date) -> bool:
    return days_overdue(status, deadline, today) > 0


# How long a device may hold an item before sending it and still be judged by its own clock.
OFFLINE_GRACE = timedelta(days=30)


def reference_day(client_time: datetime | None, now: datetime) -> date:
    """The day a rule such as "no deadline in the past" is judged on.

    An inspector who issued an order offline three days ago set a deadline that was in the future
    then; judging it by the server's clock on arrival would lose the report. The client's clock is
    trusted only within OFFLINE_GRACE and never beyond the server's own.
    """
    if client_time is None:
        return local_today(now)
    return local_today(min(max(client_time, now - OFFLINE_GRACE), now))
