"""The notices an event causes (issue 12's table): a new order to the officers, a submission or an extension
request to the supervisors who may decide it, a decision, a rejection, a reopen or a void back to the officers.

Written in the event's own transaction (write_notifications), so an in-app notification is visible the moment
the event commits and its email or webhook delivery is queued with it. A replayed event applies nothing and so
tells nobody twice; the actor is never told of their own step.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import SHANGHAI
from app.domain.deadlines import Audience, DeadlineFacts, Notice, notices_for_event
from app.domain.terms import Action, State
from app.jobs.wording import event_wording, kind_of
from app.models import User
from app.services.audiences import officers_by_enterprise, supervisors_over
from app.services.notifications import write_notifications


@dataclass(frozen=True)
class Subject:
    """What the notices need of the finding, after the event (from the ORM row or the create's own row)."""

    finding_id: uuid.UUID
    number: str | None
    title: str
    status: State
    deadline: date | None
    area_path: str
    enterprise_id: int | None
    reporter_id: int
    received_at: datetime

    @classmethod
    def of(cls, finding) -> "Subject":
        return cls(finding.id, finding.number, finding.title, State(finding.status), finding.deadline,
                   finding.area_path, finding.enterprise_id, finding.reporter_id, finding.received_at)  # fmt: skip


def notify_event(
    session: Session,
    actor: Actor,
    action: Action,
    subject: Subject,
    *,
    from_state: State | None,
    now: datetime,
    detail: dict | None = None,
) -> int:
    """Write the notifications `action` causes; returns how many. `detail` carries what the wording needs of
    the event (an extension's requested date, whether it was granted)."""
    facts = DeadlineFacts(
        finding_id=str(subject.finding_id),
        status=subject.status,
        deadline=subject.deadline,
        received_at=subject.received_at.astimezone(SHANGHAI),
        area_path=subject.area_path,
        reporter_id=subject.reporter_id,
        enterprise_id=subject.enterprise_id,
    )
    notices = notices_for_event(action, facts, now, from_state)
    if not notices:
        return 0
    rows = []
    for notice in notices:
        title, body = event_wording(notice.rule, subject.number or str(subject.finding_id)[:8], subject.title,
                                    subject.deadline, detail or {})  # fmt: skip
        for recipient_id in sorted(_recipients(session, notice, subject) - {actor.id}):
            rows.append({"recipient_id": recipient_id, "finding_id": subject.finding_id, "rule": notice.rule,
                         "kind": kind_of(notice.rule), "due_at": notice.due_at, "title": title, "body": body,
                         "created_at": now, "read_at": None})  # fmt: skip
    return write_notifications(session, rows, now)


def _recipients(session: Session, notice: Notice, subject: Subject) -> set[int]:
    if notice.audience is Audience.OFFICERS:
        return officers_by_enterprise(session, [subject.enterprise_id]).get(subject.enterprise_id, set())
    if notice.audience is Audience.REPORTER:
        return set(session.scalars(select(User.id).where(User.id == notice.person_id, User.active)))
    if notice.audience is Audience.APPROVERS:
        return supervisors_over(session, subject.area_path)
    return set()
