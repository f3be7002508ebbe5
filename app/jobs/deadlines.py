"""The deadline job: every scheduled notice now due (app/domain/deadlines.py), written once per recipient.

Run every 15 minutes (`flask jobs run deadlines`). It reads only the findings that can have a notice due, through
the (status, deadline) index, asks the pure rules what is due, resolves each audience to people and inserts one
notification per person with INSERT ... ON CONFLICT DO NOTHING on the notice's key and the recipient
(services/notifications.write_notifications, which queues their deliveries alongside): a second run, a second
host, or a run that overlaps a slow one writes nothing twice.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.calendar import SHANGHAI, days_overdue, local_today
from app.domain.deadlines import DEFAULT_SETTINGS, Audience, DeadlineFacts, DeadlineSettings, Notice, due_reminders
from app.domain.terms import Action, Role, State
from app.domain.workdays import WorkCalendar
from app.jobs.escalations import record_escalations
from app.jobs.wording import kind_of, wording
from app.models import Area, Finding, FindingEvent, Notification, User
from app.services.admin.holidays import work_calendar
from app.services.audiences import officers_by_enterprise
from app.services.bulk import among
from app.services.notifications import write_notifications

# The longest run of rest days a reminder can be moved back over (春节 with its weekends is 9 days), so a
# deadline this far beyond the furthest reminder still cannot have one due today.
LONGEST_REST = timedelta(days=10)
STATES = {state.value: state for state in State}  # a dict look-up, not an Enum call per candidate
AREA_AUDIENCES = {
    Audience.STREET_SUPERVISORS: (Role.SUPERVISOR,),
    Audience.DISTRICT_SUPERVISORS: (Role.SUPERVISOR,),
    Audience.CITY_SUPERVISORS: (Role.SUPERVISOR,),
    Audience.STREET_TRIAGERS: (Role.INSPECTOR, Role.SUPERVISOR),
}


def run_deadlines(
    session: Session, now: datetime, calendar: WorkCalendar | None = None, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> int:
    """Write the notifications due at `now`; returns how many are new. Flushes, never commits."""
    calendar = calendar or work_calendar(session)  # the notices the deployment's admin keeps
    findings = _candidates(session, now, settings)
    if not findings:
        return 0
    facts = _facts(session, findings)
    notices = [(finding, n) for finding in findings for n in due_reminders(facts[finding.id], now, calendar, settings)]
    people = _Recipients(session, notices)
    today = local_today(now)
    kinds = {}  # rule -> kind
    rows = []
    for finding, notice in notices:
        late = days_overdue(facts[finding.id].status, finding.deadline, today)
        title, body = wording(notice, finding.number or str(finding.id)[:8], finding.title, finding.deadline, late,
                              settings.triage_workdays, today)  # fmt: skip
        rule = notice.rule
        kind = kinds.get(rule) or kinds.setdefault(rule, kind_of(rule))
        for recipient_id in sorted(people.of(notice, finding)):
            rows.append({"recipient_id": recipient_id, "finding_id": finding.id, "rule": rule, "kind": kind,
                         "due_at": notice.due_at, "title": title, "body": body, "created_at": now,
                         "read_at": None})  # fmt: skip
    record_escalations(session, notices, now)  # first: it locks the findings a second host would also write
    return write_notifications(session, _unwritten(session, rows, now - settings.catch_up), now)


# What the rules, the wording and the escalations read of a candidate: rows of these columns, not ORM objects
# (20,000 of them at 1,000,000 findings; docs/benchmarks.md lists this beside the deadline job's row).
CANDIDATE_COLUMNS = (Finding.id, Finding.number, Finding.title, Finding.status, Finding.deadline, Finding.received_at,
                     Finding.area_path, Finding.reporter_id, Finding.enterprise_id)  # fmt: skip


def _candidates(session: Session, now: datetime, settings: DeadlineSettings) -> list[Row]:
    """Only findings that can have a notice due: rectifying ones whose deadline is near or past (every overdue one
    may be due an escalation), by ix_findings_status_deadline, and reports old enough to wait for triage, by
    ix_findings_status_received_at (tests/integration/test_deadline_plan.py checks the plan)."""
    today = local_today(now)
    horizon = today + timedelta(days=max(settings.remind_days_before, default=0)) + LONGEST_REST
    # A report received on day R is due at 09:00 on R + triage_workdays working days: not before that many
    # calendar days from R's first hour (less one day, for a report late on R), and, with the catch-up window and
    # the longest rest, not long after.
    received_by = now - timedelta(days=settings.triage_workdays - 1)
    received_from = now - settings.catch_up - timedelta(days=settings.triage_workdays) - LONGEST_REST * 2
    query = select(*CANDIDATE_COLUMNS).where(
        or_(
            and_(Finding.status == State.RECTIFYING.value, Finding.deadline <= horizon),
            and_(
                Finding.status == State.REPORTED.value,
                Finding.received_at <= received_by,
                Finding.received_at >= received_from,
            ),
        )
    )
    return list(session.execute(query.order_by(Finding.id)))


def _facts(session: Session, findings: list[Row]) -> dict:
    ids = [f.id for f in findings]
    confirmers, term_starts = {}, {}
    for these in among(session, FindingEvent.finding_id, ids):
        # the latest confirmer of each finding (a reopen and a new confirm would change who it is)
        confirms = select(FindingEvent.finding_id, FindingEvent.actor_id).where(
            these, FindingEvent.action == Action.CONFIRM.value
        )
        for finding_id, actor_id in session.execute(confirms.order_by(FindingEvent.seq)):
            confirmers[finding_id] = actor_id
        # The current term began when the finding last entered rectifying or an extension was decided (a
        # refused one restarts nothing, but its moment is past every reminder a 15-minute job had already sent).
        starts = (
            select(FindingEvent.finding_id, func.max(FindingEvent.received_at))
            .where(
                these,
                FindingEvent.to_state == State.RECTIFYING.value,
                or_(
                    FindingEvent.from_state.is_(None),
                    FindingEvent.from_state != State.RECTIFYING.value,
                    FindingEvent.action == Action.DECIDE_EXTENSION.value,
                ),
            )
            .group_by(FindingEvent.finding_id)
        )
        term_starts.update(session.execute(starts).all())
    return {
        f.id: DeadlineFacts(
            finding_id=str(f.id),
            status=STATES[f.status],
            deadline=f.deadline,
            received_at=f.received_at.astimezone(SHANGHAI),
            area_path=f.area_path,
            reporter_id=f.reporter_id,
            confirmer_id=confirmers.get(f.id),
            enterprise_id=f.enterprise_id,
            term_started_at=_aware(term_starts.get(f.id)),
        )
        for f in findings
    }


def _unwritten(session: Session, rows: list[dict], since: datetime) -> list[dict]:
    """The rows not written yet. Every run after the morning's first finds the same notices due (the catch-up
    window keeps them for days): reading their keys back, one query per 900 findings on the key's own index, is
    cheaper than sending them all again for ON CONFLICT to drop (at 1,000,000 findings with 20,000 due, 47,640 rows
    and 2.3 s of the insert alone). ON CONFLICT DO NOTHING stays: two hosts at once still write each once. Read
    after record_escalations, whose lock makes a second host wait for the first to commit, so it sees its rows."""
    written = set()
    for these in among(session, Notification.finding_id, sorted({row["finding_id"] for row in rows})):
        query = select(Notification.finding_id, Notification.rule, Notification.due_at, Notification.recipient_id)
        query = query.where(these, Notification.due_at >= since)
        written.update(tuple(key) for key in session.execute(query))
    return [row for row in rows if (row["finding_id"], row["rule"], row["due_at"], row["recipient_id"]) not in written]


class _Recipients:
    """Who each audience is, read in a few queries for the whole run rather than one per notice or enterprise."""

    def __init__(self, session: Session, notices: list[tuple[Row, Notice]]):
        self._session = session
        self.by_area = defaultdict(set)  # (area path, role) -> user ids
        told = {f.enterprise_id for f, n in notices if n.audience is Audience.OFFICERS}
        self.officers = officers_by_enterprise(session, told)  # enterprise id -> its officers
        self._load_areas({n.area_path for _, n in notices if n.audience in AREA_AUDIENCES and n.area_path})
        self.active = self._active({n.person_id for _, n in notices if n.person_id is not None})

    def of(self, notice: Notice, finding: Row) -> set[int]:
        if notice.audience is Audience.OFFICERS:
            return self._officers_of(finding.enterprise_id)
        if notice.audience in (Audience.INSPECTOR, Audience.REPORTER):
            return {notice.person_id} & self.active
        if notice.audience in AREA_AUDIENCES:
            roles = AREA_AUDIENCES[notice.audience]
            return set().union(*(self.by_area[(notice.area_path, r.value)] for r in roles))
        return set()  # APPROVERS belong to events, not to this job

    def _officers_of(self, enterprise_id: int | None) -> set[int]:
        return self.officers.get(enterprise_id, set())

    def _load_areas(self, paths: set[str]) -> None:
        if not paths:
            return
        roles = [Role.SUPERVISOR.value, Role.INSPECTOR.value]
        query = (
            select(User.id, User.role, Area.path)
            .join(Area, Area.id == User.area_id)
            .where(Area.path.in_(paths), User.role.in_(roles), User.active)
        )
        for user_id, role, path in self._session.execute(query):
            self.by_area[(path, role)].add(user_id)

    def _active(self, ids: set[int]) -> set[int]:
        if not ids:
            return set()
        return set(self._session.scalars(select(User.id).where(User.id.in_(ids), User.active)))


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(SHANGHAI)
