"""Who may see which finding and enterprise (SPEC §4). The SQL filters in services.lookups mirror these."""

from app.domain.actors import Actor, FindingFacts
from app.domain.terms import Role, State


def in_subtree(area_path: str | None, home_path: str | None) -> bool:
    return bool(area_path and home_path and area_path.startswith(home_path))


def can_see(actor: Actor, finding: FindingFacts) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role in (Role.INSPECTOR, Role.SUPERVISOR):
        return in_subtree(finding.area_path, actor.area_path)
    if actor.role is Role.GRID_WORKER:
        return finding.reporter_id == actor.id or in_subtree(finding.area_path, actor.area_path)
    if actor.role is Role.ENTERPRISE_OFFICER:
        # Never a report still in triage, nor one voided there: the enterprise learns of a finding when it
        # becomes an order to it (triaged), and only then.
        return (
            actor.enterprise_id is not None
            and finding.enterprise_id == actor.enterprise_id
            and finding.status is not State.REPORTED
            and finding.triaged
        )
    return False


def can_see_enterprise(actor: Actor, enterprise_id: int, area_path: str | None) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.ENTERPRISE_OFFICER:
        return actor.enterprise_id is not None and enterprise_id == actor.enterprise_id
    return in_subtree(area_path, actor.area_path)
