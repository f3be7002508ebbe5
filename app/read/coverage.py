"""A campaign's coverage (覆盖率): of the enterprises it targets within the caller's area, how many were inspected, by
street or by grid, and which were not.

An enterprise counts as inspected when a submitted inspection of it was made in the campaign, on a day within the
campaign's dates. Its street (or grid) is the ancestor of that level of the area it sits in; an enterprise sitting
above that level (one registered on a street, grouped by grid) is counted under key null.
"""

import uuid

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.inspections import coverage_rows
from app.models import Area, CampaignTarget, Enterprise, Inspection
from app.read.campaigns import visible_campaign
from app.read.scope import enterprise_scope

GROUPS = ("street", "grid")
CHUNK = 500


def coverage(session: Session, actor: Actor, campaign_id: uuid.UUID, group_by: str) -> dict:
    campaign = visible_campaign(session, actor, campaign_id)
    done = exists().where(
        Inspection.campaign_id == campaign.id,
        Inspection.enterprise_id == Enterprise.id,
        Inspection.status == "submitted",
        and_(Inspection.inspected_on >= campaign.starts_on, Inspection.inspected_on <= campaign.ends_on),
    )
    query = (
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.credit_code,
            Enterprise.area_path,
            Area.code.label("area_code"),
            Area.name.label("area_name"),
            done.label("inspected"),
        )
        .join(CampaignTarget, CampaignTarget.enterprise_id == Enterprise.id)
        .join(Area, Area.id == Enterprise.area_id)
        .where(CampaignTarget.campaign_id == campaign.id, enterprise_scope(actor))
        .order_by(Enterprise.area_path, Enterprise.name, Enterprise.id)
    )
    targets = session.execute(query).all()
    groups = _groups(session, {t.area_path for t in targets}, group_by)
    keyed = [(_group_of(t.area_path, groups), bool(t.inspected)) for t in targets]
    names = dict(groups.values())
    rows, total = coverage_rows(keyed, names)
    uninspected = [
        {"id": t.id, "name": t.name, "credit_code": t.credit_code, "area": {"code": t.area_code, "name": t.area_name}}
        for t in targets
        if not t.inspected
    ]
    return {"group_by": group_by, "rows": rows, "total": total, "uninspected": uninspected}


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def _groups(session: Session, paths: set[str], level: str) -> dict[str, tuple[str, str]]:
    """path -> (code, name) of every area of `level` above or at the targets' areas."""
    wanted = sorted({p for path in paths for p in _prefixes(path)})
    found = {}
    for i in range(0, len(wanted), CHUNK):
        query = select(Area.path, Area.code, Area.name).where(Area.level == level, Area.path.in_(wanted[i : i + CHUNK]))
        found.update({row.path: (row.code, row.name) for row in session.execute(query)})
    return found


def _group_of(path: str, groups: dict[str, tuple[str, str]]) -> str | None:
    for prefix in reversed(_prefixes(path)):
        if prefix in groups:
            return groups[prefix][0]
    return None
