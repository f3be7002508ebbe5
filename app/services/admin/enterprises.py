"""Enterprises one at a time: create, edit, deactivate. The rules are app.domain.enterprises'; the area must
exist, be active and be a street or below; the credit code is unique."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.areas import enterprise_area_problem
from app.domain.enterprises import FIELDS, clean_enterprise
from app.domain.errors import Conflict, NotFound, RuleViolation
from app.models import Area, Enterprise
from app.services.admin.audit import changed, record

STORED = ("name", "credit_code", "sector", "address", "lat", "lng", "contact_name", "contact_phone", "scale")


def snapshot(enterprise: Enterprise, area_code: str | None = None) -> dict:
    values = {key: getattr(enterprise, key) for key in STORED}
    values["area"] = area_code or (enterprise.area.code if enterprise.area else None)
    values["active"] = enterprise.active
    return values


def _area(session: Session, code: str, problems: dict) -> Area | None:
    area = session.scalars(select(Area).where(Area.code == code)).first()
    if area is None:
        problems["area"] = f"No area with code {code}."
    elif (problem := enterprise_area_problem(area.level, area.active)) is not None:
        problems["area"] = problem
    return area


def _taken(session: Session, credit_code: str, problems: dict, own_id: int | None = None) -> None:
    other = session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.credit_code == credit_code)
    ).first()
    if other is not None and other.id != own_id:
        problems["credit_code"] = f"Already registered: {other.name} (id {other.id})."


def create_enterprise(session: Session, actor: Actor | None, data: dict, *, now: datetime) -> Enterprise:
    clean, problems = clean_enterprise(data)
    area = _area(session, clean["area"], problems) if "area" not in problems else None
    if "credit_code" not in problems:
        _taken(session, clean["credit_code"], problems)
    if problems:
        raise RuleViolation("The enterprise cannot be saved.", problems)
    enterprise = Enterprise(
        **{key: clean[key] for key in STORED}, area_id=area.id, area_path=area.path, area=area, active=True
    )
    _flush(session, enterprise)
    record(session, actor, "enterprise", enterprise.credit_code, "create", None, snapshot(enterprise), now=now)
    return enterprise


def update_enterprise(
    session: Session, actor: Actor | None, enterprise_id: int, data: dict, *, now: datetime
) -> Enterprise:
    """data: any of FIELDS and `active`. A coordinate sent alone is judged with the other one kept."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("No such enterprise.")
    before = snapshot(enterprise)
    raw = {key: data[key] for key in FIELDS if key in data}
    if ("lat" in raw) != ("lng" in raw):
        raw.setdefault("lat", enterprise.lat)
        raw.setdefault("lng", enterprise.lng)
    clean, problems = clean_enterprise(raw, partial=True)
    area = None
    if "area" in clean and "area" not in problems and clean["area"] != before["area"]:
        area = _area(session, clean["area"], problems)
    if "credit_code" in clean and "credit_code" not in problems:
        _taken(session, clean["credit_code"], problems, own_id=enterprise.id)
    if problems:
        raise RuleViolation("The enterprise cannot be saved.", problems)
    for key in STORED:
        if key in clean:
            setattr(enterprise, key, clean[key])
    if area is not None:
        enterprise.area_id, enterprise.area_path, enterprise.area = area.id, area.path, area
    if "active" in data:
        enterprise.active = bool(data["active"])
    _flush(session, enterprise)
    old, new = changed(before, snapshot(enterprise))
    if new:
        action = "update"
        if "active" in new:
            action = "activate" if new["active"] else "deactivate"
        record(session, actor, "enterprise", before["credit_code"], action, old, new, now=now)
    return enterprise


def _flush(session: Session, enterprise: Enterprise) -> None:
    try:
        with session.begin_nested():
            session.add(enterprise)
            session.flush()
    except IntegrityError:  # another request registered the same credit code a moment ago
        raise Conflict("Another change registered this credit code just now.", {"credit_code": "Taken."}) from None
