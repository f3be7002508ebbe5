"""The area tree from a spreadsheet (code, name, parent code, level): all of it or nothing.

Keyed by code. A new code is created under its parent (in the file or already in the database, in any order
of rows); a known code may be renamed; a known code under another parent or of another level is an error
(moving is PATCH /api/v1/areas/{code}, one empty area at a time).
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.areas import LEVELS, area_code_problem, level_of
from app.domain.enterprises import as_text
from app.models import Area
from app.services.admin.audit import record_many
from app.services.admin.tabular import Column, Problems, open_table, reject, report

COLUMNS = (
    Column("code", "区划代码", ("代码", "编码", "区划编码"), required=True),
    Column("name", "名称", ("区划名称", "地区名称"), required=True),
    Column("parent", "上级区划代码", ("parent code", "parent_code", "上级代码", "上级编码"), required=True),
    Column("level", "层级", ("级别", "类型"), required=True),
)
CHUNK = 500


def import_areas(session: Session, actor: Actor | None, data: bytes, *, now: datetime, dry_run: bool) -> dict:
    problems = Problems()
    table = open_table(data, COLUMNS, problems)
    head = table.headers
    rows: dict[str, dict] = {}
    for number, raw in table:
        code, name, parent = as_text(raw["code"]), as_text(raw["name"]), as_text(raw["parent"]) or None
        level = level_of(as_text(raw["level"]))
        bad = False
        if not code:
            problems.add(number, head["code"], "Required.")
            bad = True
        elif code in rows:
            problems.add(number, head["code"], f"Also on row {rows[code]['row']}.")
            bad = True
        if not name or len(name) > 100:
            problems.add(number, head["name"], "Required, at most 100 characters.")
            bad = True
        if level is None:
            problems.add(number, head["level"], f"One of {', '.join(LEVELS)} (or 市/区/县/街道/镇/乡/社区/村/网格).")
            bad = True
        if not bad:
            rows[code] = {"row": number, "code": code, "name": name, "parent": parent, "level": level}
    known = _known(session, {*rows, *(r["parent"] for r in rows.values() if r["parent"])})
    plan = _plan(rows, known, problems, head)
    if problems:
        reject(problems, rows=table.data_rows, dry_run=dry_run)
    created = [r for r in plan if r["action"] == "create"]
    updated = [r for r in plan if r["action"] == "update"]
    if not dry_run:
        _write(session, actor, created, updated, known, now)
    return report(rows=table.data_rows, created=len(created), updated=len(updated),
                  unchanged=len(plan) - len(created) - len(updated), dry_run=dry_run)  # fmt: skip


def _known(session: Session, codes: set[str]) -> dict[str, Area]:
    codes, found = sorted(codes), {}
    for i in range(0, len(codes), CHUNK):
        found.update({a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes[i : i + CHUNK])))})
    return found


def _plan(rows: dict[str, dict], known: dict[str, Area], problems: Problems, head: dict) -> list[dict]:
    plan = []
    for row in sorted(rows.values(), key=lambda r: LEVELS.index(r["level"])):
        parent_code = row["parent"]
        parent_level = rows[parent_code]["level"] if parent_code in rows else None
        if parent_code and parent_level is None and parent_code in known:
            parent_level = known[parent_code].level
        if parent_code and parent_level is None:
            problems.add(row["row"], head["parent"], f"No area {parent_code} in the file or in Closeloop.")
            continue
        existing = known.get(row["code"])
        if existing is not None:
            now_parent = existing.parent.code if existing.parent else None
            if existing.level != row["level"]:
                problems.add(row["row"], head["level"], f"{row['code']} is a {existing.level} already.")
            elif now_parent != parent_code:
                problems.add(row["row"], head["parent"], f"{row['code']} lies under {now_parent}: move it with "
                             "PATCH /api/v1/areas/{code} while it is empty.")  # fmt: skip
            else:
                plan.append({**row, "action": "update" if existing.name != row["name"] else "unchanged"})
            continue
        for key, message in area_code_problem(row["code"], row["level"], parent_code, parent_level).items():
            problems.add(row["row"], head[key], message)
        if parent_code in known and not known[parent_code].active:
            problems.add(row["row"], head["parent"], f"{parent_code} is deactivated.")
        plan.append({**row, "action": "create"})
    return plan


def _write(session, actor, created: list[dict], updated: list[dict], known: dict[str, Area], now) -> None:
    areas = dict(known)
    for level in LEVELS:  # parents before children, one flush per level
        batch = [r for r in created if r["level"] == level]
        for r in batch:
            parent = areas.get(r["parent"]) if r["parent"] else None
            areas[r["code"]] = Area(code=r["code"], name=r["name"], level=level, parent=parent, active=True,
                                    parent_id=parent.id if parent else None,
                                    path=f"{parent.path if parent else '/'}{r['code']}/")  # fmt: skip
            session.add(areas[r["code"]])
        session.flush()
    renames = []
    for r in updated:
        renames.append((r["code"], {"name": areas[r["code"]].name}, {"name": r["name"]}))
        areas[r["code"]].name = r["name"]
    session.flush()
    record_many(session, actor, "area", "import",
                [(r["code"], None, {k: r[k] for k in ("code", "name", "level", "parent")}) for r in created],
                now=now)  # fmt: skip
    record_many(session, actor, "area", "import", renames, now=now)
