"""Areas: created under their parent, renamed, moved (with the code the new parent asks for) only while
nothing refers to them, deactivated with everything under them, never deleted."""

from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.areas import area_code_problem
from app.domain.errors import NotFound, RuleViolation
from app.models import Area, Enterprise, Finding, User
from app.services.admin.audit import changed, record, record_many


def snapshot(area: Area) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent": area.parent.code if area.parent else None,
        "active": area.active,
    }


def area_by_code(session: Session, code: str | None, field: str = "area") -> Area:
    area = session.scalars(select(Area).where(Area.code == code)).first() if code else None
    if area is None:
        raise RuleViolation("Unknown area.", {field: f"No area with code {code}."})
    return area


def _existing(session: Session, code: str) -> Area:
    area = session.scalars(select(Area).where(Area.code == code)).first()
    if area is None:
        raise NotFound("No such area.", {"code": f"No area with code {code}."})
    return area


def _name_problem(name) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "Required."
    if len(name.strip()) > 100:
        return "At most 100 characters."
    return None


def create_area(session: Session, actor: Actor | None, data: dict, *, now: datetime) -> Area:
    """data: code, name, level, parent (the parent's code; none for a city)."""
    code, level, parent_code = (data.get("code") or "").strip(), data.get("level"), data.get("parent")
    parent = session.scalars(select(Area).where(Area.code == parent_code)).first() if parent_code else None
    problems = {}
    if parent_code and parent is None:
        problems["parent"] = f"No area with code {parent_code}."
    elif parent is not None and not parent.active:
        problems["parent"] = "The parent is deactivated."
    else:
        problems.update(area_code_problem(code, level, parent_code, parent.level if parent else None))
    if (problem := _name_problem(data.get("name"))) is not None:
        problems["name"] = problem
    if code and session.scalar(select(Area.id).where(Area.code == code)) is not None:
        problems["code"] = "An area with this code exists already."
    if problems:
        raise RuleViolation("The area cannot be created.", problems)
    area = Area(
        code=code,
        name=data["name"].strip(),
        level=level,
        parent_id=parent.id if parent else None,
        parent=parent,
        path=f"{parent.path if parent else '/'}{code}/",
        active=True,
    )
    session.add(area)
    session.flush()
    record(session, actor, "area", area.code, "create", None, snapshot(area), now=now)
    return area


def in_use(session: Session, area: Area) -> list[str]:
    """What refers to this area (and so keeps it where it is): children, enterprises, users, findings."""
    checks = {
        "areas under it": exists().where(Area.parent_id == area.id),
        "enterprises": exists().where(Enterprise.area_id == area.id),
        "users": exists().where(User.area_id == area.id),
        "findings": exists().where(Finding.area_id == area.id),
    }
    return [what for what, clause in checks.items() if session.scalar(select(clause))]


def update_area(session: Session, actor: Actor | None, code: str, data: dict, *, now: datetime) -> Area:
    """data: any of name, active, parent and code. A move (parent or code) only while nothing refers to it."""
    area = _existing(session, code)
    before = snapshot(area)
    problems = {}
    if "name" in data and (problem := _name_problem(data["name"])) is not None:
        problems["name"] = problem
    moving = ("parent" in data and data["parent"] != before["parent"]) or (
        "code" in data and data["code"] != area.code
    )
    if moving:
        problems.update(_move_problems(session, area, data))
    if data.get("active") is True and area.parent is not None and not area.parent.active:
        problems["active"] = "Its parent is deactivated: activate the parent first."
    if problems:
        raise RuleViolation("The area cannot be changed.", problems)
    if "name" in data:
        area.name = data["name"].strip()
    if moving:
        _move(session, area, data)
    if "active" in data and data["active"] != area.active:
        if data["active"]:
            area.active = True
        else:
            return _deactivate(session, actor, area, before, now)
    session.flush()
    old, new = changed(before, snapshot(area))
    if new:
        action = "activate" if new.get("active") is True else "update"
        record(session, actor, "area", before["code"], action, old, new, now=now)
    return area


def _move_problems(session: Session, area: Area, data: dict) -> dict:
    users = in_use(session, area)
    if users:
        return {"parent" if "parent" in data else "code": f"Only an empty area moves; this one has {', '.join(users)}."}
    parent_code = data.get("parent", area.parent.code if area.parent else None)
    new_code = (data.get("code") or area.code).strip()
    parent = session.scalars(select(Area).where(Area.code == parent_code)).first() if parent_code else None
    if parent_code and parent is None:
        return {"parent": f"No area with code {parent_code}."}
    if parent is not None and not parent.active:
        return {"parent": "The new parent is deactivated."}
    problems = area_code_problem(new_code, area.level, parent_code, parent.level if parent else None)
    if not problems and new_code != area.code and session.scalar(select(Area.id).where(Area.code == new_code)):
        problems["code"] = "An area with this code exists already."
    return problems


def _move(session: Session, area: Area, data: dict) -> None:
    parent_code = data.get("parent", area.parent.code if area.parent else None)
    parent = session.scalars(select(Area).where(Area.code == parent_code)).first() if parent_code else None
    area.code = (data.get("code") or area.code).strip()
    area.parent_id, area.parent = (parent.id, parent) if parent else (None, None)
    area.path = f"{parent.path if parent else '/'}{area.code}/"


def _deactivate(session: Session, actor: Actor | None, area: Area, before: dict, now: datetime) -> Area:
    """The area and everything under it stop being offered; what refers to them keeps referring."""
    subtree = select(Area.code).where(Area.path.startswith(area.path, autoescape=True), Area.active, Area.id != area.id)
    below = list(session.scalars(subtree))
    area.active = False
    session.flush()
    if below:
        session.execute(
            update(Area).where(Area.code.in_(below)).values(active=False).execution_options(synchronize_session="fetch")
        )
    old, new = changed(before, snapshot(area))
    record(session, actor, "area", before["code"], "deactivate", old, new, now=now)
    record_many(session, actor, "area", "deactivate",
                [(c, {"active": True}, {"active": False, "with": area.code}) for c in below], now=now)  # fmt: skip
    return area
