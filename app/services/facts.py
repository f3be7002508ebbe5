"""What a stored finding looks like to the rules, and the figures derived from it for the caller."""

from dataclasses import dataclass
from datetime import date

from app.domain.actors import Actor, FindingFacts
from app.domain.calendar import days_overdue
from app.domain.lifecycle import allowed_actions
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


@dataclass
class FindingView:
    """A finding as one caller sees it: the stored row plus what is derived, never stored."""

    finding: Finding
    allowed_actions: list[str]
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def acknowledged(self) -> bool:
        return self.finding.acknowledged_at is not None

    @property
    def location(self) -> dict | None:
        f = self.finding
        if f.lat is None:
            return None
        return {"lat": f.lat, "lng": f.lng, "accuracy_m": f.accuracy_m, "source": f.location_source}

    @property
    def major_basis(self) -> dict | None:
        f = self.finding
        if f.criterion is None:
            return None
        return {
            "criterion": f.criterion.code,
            "title": f.criterion.title,
            "document_number": f.criterion.document_number,
            "clause": f.major_clause,
        }

    @property
    def rectification(self) -> dict | None:
        f = self.finding
        if f.rectified_at is None:
            return None
        return {"measures": f.rectification_measures, "completed_on": f.rectified_on, "submitted_at": f.rectified_at}

    @property
    def review(self) -> dict | None:
        f = self.finding
        if f.reviewed_at is None:
            return None
        return {"comment": f.review_comment, "on_site": f.review_on_site, "at": f.reviewed_at}

    def __getattr__(self, name):
        return getattr(self.finding, name)


def view_of(finding: Finding, actor: Actor, today: date) -> FindingView:
    facts = facts_of(finding)
    return FindingView(finding, allowed_actions(facts, actor), days_overdue(facts.status, facts.deadline, today))
