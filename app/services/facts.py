"""What a stored finding looks like to the rules."""

from app.domain.actors import FindingFacts
from app.domain.terms import Level, RectifyMode, State
from app.models import Finding


def facts_of(finding: Finding) -> FindingFacts:
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
    )
