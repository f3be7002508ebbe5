"""专项行动, the write side: a campaign and the enterprises it targets, fixed when it is made.

The targets are the list given (enterprise_ids), or else the active enterprises of the campaign's sectors in its
areas (their whole subtrees); either way only enterprises the creator may see, so a district's supervisor cannot
target another district. Idempotent on the client's id, as every create is.
"""

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.checklists import sector_codes
from app.domain.errors import Conflict, Forbidden, RuleViolation
from app.domain.terms import Role
from app.domain.visibility import can_see_enterprise, in_subtree
from app.models import Area, Campaign, CampaignArea, CampaignChecklist, CampaignTarget, Checklist, Enterprise
from app.read.scope import enterprise_scope
from app.services.fingerprint import fingerprint

ORGANISERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
MAX_DAYS = 3 * 366  # 百日会战 is a hundred days, a 大检查 round a season: three years is a typo's length


def create_campaign(session: Session, actor: Actor, data: dict, *, now: datetime) -> tuple[uuid.UUID, bool]:
    """Make the campaign and fix its targets; return (its id, created). A retry returns the original's id."""
    if actor.role not in ORGANISERS:
        raise Forbidden("Campaigns are organised by supervisors and admins.")
    _check_dates(data)
    sectors, problems = sector_codes(data.get("sectors") or [])
    if problems:
        raise RuleViolation("Unknown sectors.", {"sectors": problems})
    request_hash = fingerprint(actor.id, {**data, "sectors": sectors})
    if _is_retry(session, data["id"], request_hash):
        return data["id"], False
    areas = _areas(session, actor, data["areas"])
    checklists = _checklists(session, data["checklist_ids"])
    listed = data.get("enterprise_ids") is not None
    targets = _listed(session, actor, data["enterprise_ids"]) if listed else _in_scope(session, actor, areas, sectors)
    if not targets:
        raise RuleViolation("The campaign targets no enterprise.",
                            {"areas": "No active enterprise of these sectors in these areas."})  # fmt: skip
    campaign = Campaign(id=data["id"], name=data["name"].strip(), starts_on=data["starts_on"], ends_on=data["ends_on"],
                        sectors=sectors, targets_listed=listed, request_hash=request_hash, created_by_id=actor.id,
                        created_at=now)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(campaign)
            session.flush()
            session.add_all(
                CampaignArea(campaign_id=campaign.id, area_id=a.id, position=i) for i, a in enumerate(areas)
            )
            session.add_all(CampaignChecklist(campaign_id=campaign.id, checklist_id=c, position=i)
                            for i, c in enumerate(checklists))  # fmt: skip
            session.add_all(CampaignTarget(campaign_id=campaign.id, enterprise_id=e) for e in targets)
            session.flush()
    except IntegrityError:  # a concurrent create of the same id got there first
        if not _is_retry(session, data["id"], request_hash):
            raise
        return data["id"], False
    return campaign.id, True


def _check_dates(data: dict) -> None:
    if data["ends_on"] < data["starts_on"]:
        raise RuleViolation("A campaign ends on or after the day it starts.", {"ends_on": "Before starts_on."})
    if (data["ends_on"] - data["starts_on"]).days > MAX_DAYS:
        raise RuleViolation("A campaign lasts at most three years.", {"ends_on": "More than three years on."})


def _is_retry(session: Session, campaign_id: uuid.UUID, request_hash: str) -> bool:
    stored = session.scalar(select(Campaign.request_hash).where(Campaign.id == campaign_id))
    if stored is not None and stored != request_hash:
        raise Conflict("This campaign id is already used for another campaign.", {"id": "Make a new id."})
    return stored is not None


def _areas(session: Session, actor: Actor, codes: list[str]) -> list[Area]:
    found = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
    problems, areas = {}, []
    for i, code in enumerate(codes):
        area = found.get(code)
        if area is None or not area.active:
            problems[str(i)] = f"No active area with the code '{code}'."
        elif actor.role is not Role.ADMIN and not in_subtree(area.path, actor.area_path):
            problems[str(i)] = "Outside your area."
        elif area in areas:
            problems[str(i)] = "Named twice."
        else:
            areas.append(area)
    if problems:
        raise RuleViolation("Some areas cannot be the campaign's.", {"areas": problems})
    return areas


def _checklists(session: Session, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    known = set(session.scalars(select(Checklist.id).where(Checklist.id.in_(ids))))
    problems = {str(i): "No such checklist." for i, c in enumerate(ids) if c not in known}
    problems.update({str(i): "Named twice." for i, c in enumerate(ids) if c in ids[:i]})
    if problems:
        raise RuleViolation("Some checklists cannot be used.", {"checklist_ids": problems})
    return ids


def _listed(session: Session, actor: Actor, ids: list[int]) -> list[int]:
    rows = {e.id: e for e in session.execute(
        select(Enterprise.id, Enterprise.area_path, Enterprise.active).where(Enterprise.id.in_(ids)))}  # fmt: skip
    problems, seen = {}, set()
    for i, enterprise_id in enumerate(ids):
        row = rows.get(enterprise_id)
        if row is None or not can_see_enterprise(actor, row.id, row.area_path):
            problems[str(i)] = "No enterprise with this id in your area."
        elif not row.active:
            problems[str(i)] = "This enterprise is deactivated."
        elif enterprise_id in seen:
            problems[str(i)] = "Named twice."
        seen.add(enterprise_id)
    if problems:
        raise RuleViolation("Some enterprises cannot be targeted.", {"enterprise_ids": problems})
    return ids


def _in_scope(session: Session, actor: Actor, areas: list[Area], sectors: list[str]) -> list[int]:
    query = select(Enterprise.id).where(
        Enterprise.active,
        enterprise_scope(actor),
        or_(*(Enterprise.area_path.startswith(a.path, autoescape=True) for a in areas)),
    )
    if sectors:
        query = query.where(Enterprise.sector.in_(sectors))
    return list(session.scalars(query.order_by(Enterprise.id)))
