"""Bulk enterprise import, keyed by credit code, all or nothing.

`parse` reads and judges every row with no database (an XLSX streamed read-only, a CSV decoded once), so a web
request holds no write lock while a 50,000-row file is read; `apply` then looks the areas and the credit codes
up in chunks, refuses the whole file if any row has a problem, and writes the new rows and the changed ones with
one executemany each (and their audit rows), in the caller's transaction. A dry run stops before the writes.

A column the file lacks leaves that field of a known enterprise as it is; an empty cell in a column it has
empties the field (the file is the bureau's ledger). An enterprise's `active` flag is not the file's business.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.areas import enterprise_area_problem
from app.domain.enterprises import clean_enterprise
from app.domain.errors import Conflict
from app.models import Area, Enterprise
from app.services.admin.audit import record_many
from app.services.admin.tabular import Column, Problems, open_table, reject, report

COLUMNS = (
    Column("name", "企业名称", ("单位名称", "企业（单位）名称", "名称"), required=True),
    Column("credit_code", "统一社会信用代码", ("社会信用代码", "信用代码"), required=True),
    Column("area", "所在区划代码", ("区划代码", "所在网格代码", "网格代码"), required=True),
    Column("sector", "行业", ("所属行业", "行业类别", "行业分类"), required=True),
    Column("address", "地址", ("详细地址", "经营地址", "注册地址")),
    Column("lng", "经度"),
    Column("lat", "纬度"),
    Column("contact_name", "主要负责人", ("负责人", "法定代表人")),
    Column("contact_phone", "联系电话", ("电话", "联系方式", "手机")),
    Column("scale", "规模", ("企业规模",)),
)
COMPARED = ("name", "sector", "address", "lat", "lng", "contact_name", "contact_phone", "scale")
CHUNK = 500
Progress = Callable[[int], None]


@dataclass
class Parsed:
    rows: list[dict]  # cleaned values plus "row" (the sheet's row number), only rows without problems
    problems: Problems
    headers: dict[str, str]  # key -> the header as the file writes it
    present: frozenset[str]  # the columns the file has
    data_rows: int = 0
    # (row, area code) of rows refused for another cell: their area is still checked, so the report lists every
    # problem of a row at once instead of the next one only after the first is fixed
    other_areas: list[tuple[int, str]] = field(default_factory=list)


def parse(data: bytes, progress: Progress | None = None) -> Parsed:
    problems = Problems()
    table = open_table(data, COLUMNS, problems)
    present = frozenset(c.key for c in COLUMNS if table.has(c.key))
    rows, first_seen, other_areas = [], {}, []
    for n, (number, raw) in enumerate(table, start=1):
        clean, row_problems = clean_enterprise(raw)
        for key, message in row_problems.items():
            problems.add(number, table.headers[key], message)
        code = clean["credit_code"]
        if code and "credit_code" not in row_problems:
            if code in first_seen:
                message = f"The same credit code as row {first_seen[code]}."
                problems.add(number, table.headers["credit_code"], message)
                row_problems["credit_code"] = "duplicate"
            else:
                first_seen[code] = number
        if not row_problems:
            clean["row"] = number
            rows.append(clean)
        elif clean.get("area") and "area" not in row_problems:
            other_areas.append((number, clean["area"]))
        if progress and n % 1000 == 0:
            progress(1000)
    if progress:
        progress(table.data_rows % 1000)
    return Parsed(rows, problems, table.headers, present, table.data_rows, other_areas)


def apply(
    session: Session,
    actor: Actor | None,
    parsed: Parsed,
    *,
    now: datetime,
    dry_run: bool,
    progress: Progress | None = None,
) -> dict:
    problems, head = parsed.problems, parsed.headers
    to_check = [(r["row"], r["area"]) for r in parsed.rows] + parsed.other_areas
    areas = _areas(session, {code for _, code in to_check})
    for row, code in sorted(to_check):
        area = areas.get(code)
        problem = "No area with this code." if area is None else enterprise_area_problem(area.level, area.active)
        if problem:
            problems.add(row, head["area"], problem)
    if problems:
        reject(problems, rows=parsed.data_rows, dry_run=dry_run)
    existing = _existing(session, [r["credit_code"] for r in parsed.rows])
    compared = [k for k in COMPARED if k in parsed.present]
    inserts, updates, audit_new, audit_changed = [], [], [], []
    for r in parsed.rows:
        area = areas[r["area"]]
        old = existing.get(r["credit_code"])
        if old is None:
            values = {k: r[k] if k in parsed.present else _empty(k) for k in COMPARED}
            inserts.append({**values, "credit_code": r["credit_code"], "area_id": area.id, "area_path": area.path,
                            "active": True})  # fmt: skip
            audit_new.append((r["credit_code"], None, {**values, "credit_code": r["credit_code"], "area": r["area"]}))
            continue
        diff = [k for k in compared if old[k] != r[k]]
        if old["area"] != r["area"]:
            diff.append("area")
        if diff:
            new = {k: r[k] if k in parsed.present else old[k] for k in COMPARED}
            updates.append({**{f"v_{k}": v for k, v in new.items()}, "v_area_id": area.id, "v_area_path": area.path,
                            "b_id": old["id"]})  # fmt: skip
            audit_changed.append((r["credit_code"], {k: old[k] for k in diff}, {k: r[k] for k in diff}))
    unchanged = len(parsed.rows) - len(inserts) - len(updates)
    counts = {"created": len(inserts), "updated": len(updates), "unchanged": unchanged}
    if not dry_run:
        _write(session, actor, inserts, updates, audit_new + audit_changed, now, progress)
    if progress:
        progress(counts["unchanged"] if not dry_run else len(parsed.rows))
    return report(rows=parsed.data_rows, dry_run=dry_run, **counts)


def import_enterprises(session: Session, actor: Actor | None, data: bytes, *, now: datetime, dry_run: bool,
                       progress: Progress | None = None) -> dict:  # fmt: skip
    """parse + apply, for callers that hold no lock while reading (the command line)."""
    return apply(session, actor, parse(data, progress), now=now, dry_run=dry_run, progress=progress)


def _empty(key: str):
    return None if key in ("lat", "lng", "scale") else ""


def _areas(session: Session, codes: set[str]) -> dict:
    codes, found = sorted(codes), {}
    query = select(Area.code, Area.id, Area.path, Area.level, Area.active)
    for i in range(0, len(codes), CHUNK):
        found.update({a.code: a for a in session.execute(query.where(Area.code.in_(codes[i : i + CHUNK])))})
    return found


def _existing(session: Session, credit_codes: list[str]) -> dict[str, dict]:
    query = select(Enterprise.id, Enterprise.credit_code, *(getattr(Enterprise, k) for k in COMPARED),
                   Area.code.label("area")).join(Area, Area.id == Enterprise.area_id)  # fmt: skip
    found = {}
    conn = session.connection()
    for i in range(0, len(credit_codes), CHUNK):
        chunk = credit_codes[i : i + CHUNK]
        rows = conn.execute(query.where(Enterprise.credit_code.in_(chunk)))
        found.update({row.credit_code: row._asdict() for row in rows})
    return found


_INSERT = insert(Enterprise.__table__)
_UPDATE = (
    update(Enterprise.__table__)
    .where(Enterprise.__table__.c.id == bindparam("b_id"))
    .values({k: bindparam(f"v_{k}") for k in (*COMPARED, "area_id", "area_path")})
)


def _write(session, actor, inserts, updates, audit, now, progress: Progress | None) -> None:
    conn = session.connection()
    step = 5000
    try:
        with session.begin_nested():
            for i in range(0, len(inserts), step):
                conn.execute(_INSERT, inserts[i : i + step])
                if progress:
                    progress(len(inserts[i : i + step]))
            for i in range(0, len(updates), step):
                conn.execute(_UPDATE, updates[i : i + step])
                if progress:
                    progress(len(updates[i : i + step]))
    except IntegrityError:  # another import or form registered one of these credit codes meanwhile
        raise Conflict("Another change to these enterprises came at the same time: import the file again.") from None
    record_many(session, actor, "enterprise", "import", audit, now=now)
