"""专项行动, the read side: the campaigns a person takes part in, and one campaign.

A campaign is seen by the regulators whose area overlaps its own (a district's inspector sees the city's
campaign and the district's; the city's supervisor sees both); an admin sees every one. Its counts are of the
targets within the caller's area.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import Forbidden, NotFound
from app.domain.terms import Role
from app.domain.visibility import in_subtree
from app.models import Campaign, CampaignTarget, Checklist, ChecklistVersion, Enterprise, User
from app.read.checklists import sectors_of
from app.read.scope import enterprise_scope

READERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR, Role.GRID_WORKER})


def may_read_campaigns(actor: Actor) -> None:
    if actor.role not in READERS:
        raise Forbidden("Campaigns are the regulators' own.")


def overlaps(actor: Actor, area_paths: list[str]) -> bool:
    """Whether the campaign's areas and the actor's area overlap: one holds the other."""
    if actor.role is Role.ADMIN:
        return True
    return any(in_subtree(p, actor.area_path) or in_subtree(actor.area_path, p) for p in area_paths)


def visible_campaign(session: Session, actor: Actor, campaign_id: uuid.UUID) -> Campaign:
    """The campaign, or NotFound when it does not exist or lies outside the actor's area: the same answer."""
    may_read_campaigns(actor)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or not overlaps(actor, [a.area.path for a in campaign.areas]):
        raise NotFound("No such campaign.")
    return campaign


def list_campaigns(session: Session, actor: Actor) -> list[dict]:
    """The campaigns the actor takes part in, the latest first."""
    may_read_campaigns(actor)
    campaigns = session.scalars(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id)).all()
    shown = [c for c in campaigns if overlaps(actor, [a.area.path for a in c.areas])]
    counts = _targeted(session, actor, [c.id for c in shown])
    return [present_campaign(session, c, counts.get(c.id, 0)) for c in shown]


def campaign_detail(session: Session, actor: Actor, campaign_id: uuid.UUID) -> dict:
    campaign = visible_campaign(session, actor, campaign_id)
    return present_campaign(session, campaign, _targeted(session, actor, [campaign.id]).get(campaign.id, 0))


def _targeted(session: Session, actor: Actor, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    query = (
        select(CampaignTarget.campaign_id, func.count())
        .join(Enterprise, Enterprise.id == CampaignTarget.enterprise_id)
        .where(CampaignTarget.campaign_id.in_(ids), enterprise_scope(actor))
        .group_by(CampaignTarget.campaign_id)
    )
    return dict(session.execute(query).all())


def present_campaign(session: Session, campaign: Campaign, targeted: int) -> dict:
    creator = session.get(User, campaign.created_by_id)
    return {
        "id": campaign.id,
        "name": campaign.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "areas": [{"code": a.area.code, "name": a.area.name} for a in campaign.areas],
        "sectors": sectors_of(campaign.sectors),
        "targets_listed": campaign.targets_listed,
        "targeted": targeted,
        "created_at": campaign.created_at,
        "created_by": {"id": creator.id, "display_name": creator.display_name},
        "checklists": _checklists(session, [c.checklist_id for c in campaign.checklists]),
    }


def _checklists(session: Session, ids: list[uuid.UUID]) -> list[dict]:
    query = (
        select(Checklist.id, ChecklistVersion.name, Checklist.current_version)
        .join(
            ChecklistVersion,
            (ChecklistVersion.checklist_id == Checklist.id) & (ChecklistVersion.version == Checklist.current_version),
        )
        .where(Checklist.id.in_(ids))
    )
    found = {row.id: row for row in session.execute(query)}
    return [{"id": i, "name": found[i].name, "version": found[i].current_version} for i in ids if i in found]
