"""What a stored finding looks like to the rules."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actors import FindingFacts
from app.domain.calendar import local_today
from app.domain.terms import ExtensionStatus, Level, RectifyMode, State
from app.models import ExtensionRequest, Finding


def facts_of(finding: Finding, session: Session | None = None) -> FindingFacts:
    """The finding's facts; with a session, also the date a pending extension asks for (one more read, made
    only when a request is pending)."""
    return FindingFacts(
        status=State(finding.status),
        level=Level(finding.level),
        rectify_mode=RectifyMode(finding.rectify_mode),
        deadline=finding.deadline,
        reporter_id=finding.reporter_id,
        enterprise_id=finding.enterprise_id,
        area_path=finding.area_path,
        acknowledged=finding.acknowledged_at is not None,
        extension_pending=finding.extension_pending,
        plan_complete=finding.plan_complete,
        has_major_basis=finding.criterion_id is not None,
        triaged=finding.triaged,
        observed_on=local_today(finding.observed_at),
        requested_deadline=_requested(session, finding) if session is not None else None,
        after_photos_owed=finding.after_photos_owed,
        supervised=finding.supervision_level is not None,
        enterprise_location=_enterprise_location(finding),
    )


def _requested(session: Session, finding: Finding):
    if not finding.extension_pending:
        return None
    query = select(ExtensionRequest.requested_deadline).where(
        ExtensionRequest.finding_id == finding.id, ExtensionRequest.status == ExtensionStatus.PENDING.value
    )
    return session.scalar(query)


def _enterprise_location(finding: Finding) -> tuple[float, float] | None:
    """Where a listed hazard's on-site check must be made; read only for a listed finding."""
    if finding.supervision_level is None or finding.enterprise is None or finding.enterprise.lat is None:
        return None
    return finding.enterprise.lat, finding.enterprise.lng
