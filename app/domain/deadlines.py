"""Deadlines that act (issue 12): who is told what, and when, as a finding's term runs and runs out.

Pure rules: given a finding's facts, a moment and the working-day calendar, which notices are due. The deadline job
calls `due_reminders` for each open finding; the event writer calls `notices_for_event` in the event's transaction.
Each notice has a `key` (finding, rule, due moment); the job adds the recipient and writes each key once, so a
second run, or a second host, writes nothing new.

When a scheduled notice is due (all at `notify_at`, 09:00 in Shanghai, and always on a working day, because that
is when an officer or a supervisor reads it):
- Reminders ahead of the deadline count calendar days, as the deadline itself does (calendar.py). One that falls on
  a rest day moves to the working day before it: a warning given after the weekend may come too late. If two
  reminders then land on the same morning, only the one further ahead is sent (e.g. a deadline on 4 October 2026:
  both "3 days before" and "on the day" fall in the National Day holiday and move to 30 September).
- A reminder still owed once the deadline has passed (a job that was down) is dropped: the overdue notice says it.
- Overdue notices and escalations count calendar days past the deadline (days_overdue). One that falls on a rest
  day moves to the next working day: it cannot be told before it is true.
- The triage wait counts working days (WorkCalendar.workdays_between, like triage_days counts calendar days): a
  report received on day R is due for a nudge at 09:00 on R + `triage_workdays` working days.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from app.domain.calendar import SHANGHAI, days_overdue, local_today
from app.domain.terms import Action, State
from app.domain.workdays import WorkCalendar


class Audience(StrEnum):
    OFFICERS = "officers"  # the enterprise's safety officers
    INSPECTOR = "inspector"  # the inspector who confirmed the finding, or reported it if nobody confirmed it
    REPORTER = "reporter"  # whoever reported it (an inspector or a grid worker)
    STREET_SUPERVISORS = "street_supervisors"  # supervisors whose home area is the finding's street
    DISTRICT_SUPERVISORS = "district_supervisors"
    CITY_SUPERVISORS = "city_supervisors"
    APPROVERS = "approvers"  # the supervisors who may decide the finding's next step (approve, decide an extension)
    STREET_TRIAGERS = "street_triagers"  # inspectors and supervisors of the finding's street


@dataclass(frozen=True)
class DeadlineSettings:
    """Per deployment; the defaults are issue 12's table."""

    remind_days_before: tuple[int, ...] = (3, 0)  # 0: on the day
    notify_at: time = time(9, 0)
    overdue_after: int = 1  # days past the deadline: officers and the inspector
    street_after: int = 3
    district_after: int = 7
    city_after: int = 14
    escalate_every: int = 7  # district (from district_after) and city (from city_after) are told again this often
    triage_workdays: int = 2
    # How far back a run still sends what fell due: a job that was down this long catches up; older moments
    # are history, not news.
    catch_up: timedelta = timedelta(days=3)


DEFAULT_SETTINGS = DeadlineSettings()


@dataclass(frozen=True)
class DeadlineFacts:
    """What the rules need of a finding."""

    finding_id: str
    status: State
    deadline: date | None
    received_at: datetime
    area_path: str  # materialised path, "/city/district/street/..."
    reporter_id: int
    confirmer_id: int | None = None
    enterprise_id: int | None = None
    # When the current term began: the finding last entered rectifying or its deadline last moved. A reminder due
    # before it belonged to a term nobody was running (a deadline set tomorrow gets no "3 days before").
    term_started_at: datetime | None = None


@dataclass(frozen=True)
class Notice:
    finding_id: str
    rule: str
    audience: Audience
    due_at: datetime  # aware, Asia/Shanghai
    person_id: int | None = None  # for INSPECTOR and REPORTER: who that is
    area_path: str | None = None  # for area audiences: the street, district or city (APPROVERS: the finding's area)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.finding_id, self.rule, self.due_at.isoformat())


def reminder_rule(days_before: int) -> str:
    return "deadline_today" if days_before == 0 else f"deadline_in_{days_before}_days"


def ancestor_paths(area_path: str) -> list[str]:
    """The path of every area from the city down to `area_path` itself: "/a/", "/a/b/", "/a/b/c/"."""
    codes = [code for code in area_path.split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


def ancestor_path(area_path: str, depth: int) -> str | None:
    """The path of the area `depth` levels down from the city (1 city, 2 district, 3 street), if it is that deep."""
    paths = ancestor_paths(area_path)
    return paths[depth - 1] if len(paths) >= depth else None


STREET, DISTRICT, CITY = 3, 2, 1


# -- scheduled notices ---------------------------------------------------------------------------------------------


def due_reminders(
    facts: DeadlineFacts, now: datetime, calendar: WorkCalendar, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> list[Notice]:
    """The scheduled notices due at `now` (within the catch-up window), oldest first; none once it is closed."""
    if facts.status is State.REPORTED:
        candidates = _triage(facts, calendar, settings)
        since = facts.received_at
    elif facts.status is State.RECTIFYING and facts.deadline is not None:
        today = local_today(now)
        # A reminder ahead of the deadline that a run catching up finds after it is no news: the overdue notice
        # says it, and an officer told both "due" and "overdue" the same morning is told one thing twice.
        ahead = _ahead(facts, calendar, settings) if today <= facts.deadline else []
        candidates = ahead + _overdue(facts, today, calendar, settings)
        since = facts.term_started_at
    else:  # pending_review is the regulator's to act on; closed and voided are done
        return []
    earliest = now - settings.catch_up
    if since is not None:
        earliest = max(earliest, since)
    return sorted((n for n in candidates if earliest <= n.due_at <= now), key=lambda n: (n.due_at, n.rule))


def _moment(day: date, settings: DeadlineSettings) -> datetime:
    return datetime.combine(day, settings.notify_at, tzinfo=SHANGHAI)


def _ahead(facts: DeadlineFacts, calendar: WorkCalendar, settings: DeadlineSettings) -> list[Notice]:
    by_day: dict[date, int] = {}
    for before in sorted(settings.remind_days_before):  # the one furthest ahead wins a shared morning
        day = calendar.workday_on_or_before(facts.deadline - timedelta(days=before))
        by_day[day] = before
    return [
        Notice(facts.finding_id, reminder_rule(before), Audience.OFFICERS, _moment(day, settings))
        for day, before in by_day.items()
    ]


def _overdue(facts: DeadlineFacts, today: date, calendar: WorkCalendar, settings: DeadlineSettings) -> list[Notice]:
    """Every overdue notice whose nominal day has come; the window in due_reminders keeps the recent ones."""
    late = days_overdue(facts.status, facts.deadline, today)
    notices = []
    for days_late, rule, audience, depth in _escalation_steps(late, settings):
        day = calendar.workday_on_or_after(facts.deadline + timedelta(days=days_late))
        moment = _moment(day, settings)
        if audience is Audience.OFFICERS:
            notices.append(Notice(facts.finding_id, rule, audience, moment))
            inspector = facts.confirmer_id if facts.confirmer_id is not None else facts.reporter_id
            notices.append(Notice(facts.finding_id, rule, Audience.INSPECTOR, moment, person_id=inspector))
        else:
            area = ancestor_path(facts.area_path, depth)
            notices.append(Notice(facts.finding_id, rule, audience, moment, area_path=area))
    return notices


def _escalation_steps(late: int, settings: DeadlineSettings):
    """(days late, rule, audience, area depth) for each step reached by `late` days overdue."""
    if late >= settings.overdue_after:
        yield settings.overdue_after, "overdue", Audience.OFFICERS, None
    if late >= settings.street_after:
        yield settings.street_after, "escalated_street", Audience.STREET_SUPERVISORS, STREET
    for start, rule, audience, depth in (
        (settings.district_after, "escalated_district", Audience.DISTRICT_SUPERVISORS, DISTRICT),
        (settings.city_after, "escalated_city", Audience.CITY_SUPERVISORS, CITY),
    ):
        for days_late in range(start, late + 1, settings.escalate_every):
            yield days_late, rule, audience, depth


def _triage(facts: DeadlineFacts, calendar: WorkCalendar, settings: DeadlineSettings) -> list[Notice]:
    day = calendar.add_workdays(local_today(facts.received_at), settings.triage_workdays)
    street = ancestor_path(facts.area_path, STREET)
    moment = _moment(day, settings)
    return [Notice(facts.finding_id, "triage_waiting", Audience.STREET_TRIAGERS, moment, area_path=street)]


# -- notices caused by an event ------------------------------------------------------------------------------------

# (action, the state it led to) -> (rule, audiences). None: whatever the state.
EVENT_RULES: dict[tuple[Action, State | None], tuple[str, tuple[Audience, ...]]] = {
    (Action.REPORT, State.RECTIFYING): ("new_order", (Audience.OFFICERS,)),  # an inspector's order
    # an inspector's fix on the spot, reported with its after-photos, waits for approval like any submission
    (Action.REPORT, State.PENDING_REVIEW): ("rectification_submitted", (Audience.APPROVERS,)),
    (Action.CONFIRM, None): ("new_order", (Audience.OFFICERS,)),
    (Action.SUBMIT_RECTIFICATION, None): ("rectification_submitted", (Audience.APPROVERS,)),
    (Action.REQUEST_EXTENSION, None): ("extension_requested", (Audience.APPROVERS,)),
    (Action.DECIDE_EXTENSION, None): ("extension_decided", (Audience.OFFICERS,)),
    (Action.REJECT, None): ("rejected", (Audience.OFFICERS,)),
    (Action.REOPEN, None): ("reopened", (Audience.OFFICERS,)),
    (Action.VOID, None): ("voided", (Audience.OFFICERS, Audience.REPORTER)),
}


def notices_for_event(
    action: Action, facts: DeadlineFacts, at: datetime, from_state: State | None = None
) -> list[Notice]:
    """Who is told of an event, due at the event's own moment `at`; `facts` are the finding after the event.

    `from_state` matters for a void: a report voided before triage was never the enterprise's to see (SPEC §4),
    so only its reporter is told.
    """
    found = EVENT_RULES.get((action, facts.status)) or EVENT_RULES.get((action, None))
    if found is None:
        return []
    rule, audiences = found
    if action is Action.VOID and from_state is State.REPORTED:
        audiences = tuple(a for a in audiences if a is not Audience.OFFICERS)
    due = at.astimezone(SHANGHAI)
    return [_event_notice(facts, rule, audience, due) for audience in audiences]


def _event_notice(facts: DeadlineFacts, rule: str, audience: Audience, due: datetime) -> Notice:
    if audience is Audience.REPORTER:
        return Notice(facts.finding_id, rule, audience, due, person_id=facts.reporter_id)
    if audience is Audience.APPROVERS:
        return Notice(facts.finding_id, rule, audience, due, area_path=facts.area_path)
    return Notice(facts.finding_id, rule, audience, due)
