"""A checklist from a sheet (XLSX or CSV), all or nothing, with every row's problems reported as the other imports
report them ({row, column, message}, rows as Excel numbers them).

One item a row: 检查内容, 依据, 检查方式, 隐患类别 (required columns), 重大隐患判定标准 and 条款. A category may be
written as its code or its Chinese name, a criterion as its code, title or document number, a method as its code
or 查资料 / 现场查看 / 询问. A row has no id: its item's id is derived from the checklist and the content, so the
same item keeps its id when the sheet is imported again as the checklist's next version.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.checklists import BASIS_MAX, CLAUSE_MAX, CONTENT_MAX, derived_item_id, major_pair_problem, method_of
from app.domain.checklists import normalised as normalised_content
from app.domain.enterprises import as_text
from app.domain.errors import RuleViolation
from app.models import Category, Checklist, MajorCriterion
from app.services.admin.tabular import Column, Problems, open_table, reject, report
from app.services.checklists import create_checklist, edit_checklist

COLUMNS = (
    Column("content", "检查内容", ("检查项目", "检查事项", "检查内容及要求"), required=True),
    Column("basis", "依据", ("检查依据", "法律依据", "标准依据"), required=True),
    Column("method", "检查方式", ("检查方法",), required=True),
    Column("category", "隐患类别", ("类别", "隐患分类"), required=True),
    Column("major_criterion", "重大隐患判定标准", ("重大事故隐患判定标准", "判定标准")),
    Column("major_clause", "条款", ("判定条款", "重大隐患条款")),
)
AMBIGUOUS = "?"  # a word naming two criteria
LIMITS = {"content": CONTENT_MAX, "basis": BASIS_MAX, "major_clause": CLAUSE_MAX, "category": 100,
          "major_criterion": 200, "method": 20}  # fmt: skip


@dataclass
class Parsed:
    rows: list[dict]  # the cells as text plus "row", for rows without problems of their own
    problems: Problems
    headers: dict[str, str]
    data_rows: int


def parse(data: bytes, checklist_id: uuid.UUID) -> Parsed:
    problems = Problems()
    table = open_table(data, COLUMNS, problems)
    rows, first_seen = [], {}
    for number, raw in table:
        cells = {key: as_text(value) for key, value in raw.items()}
        found = _row_problems(cells)
        key = normalised_content(cells.get("content", ""))
        if key and "content" not in found:
            if key in first_seen:
                found["content"] = f"The same content as row {first_seen[key]}."
            first_seen.setdefault(key, number)
        for column, message in found.items():
            problems.add(number, table.headers[column], message)
        if not found:
            rows.append({**cells, "row": number, "id": derived_item_id(checklist_id, cells["content"])})
    if table.header_row and not table.data_rows and not problems:
        problems.add(table.header_row + 1, "", "No items: one item a row under the header.")
    return Parsed(rows, problems, table.headers, table.data_rows)


def _row_problems(cells: dict) -> dict:
    found = {}
    for key in ("content", "basis", "method", "category"):
        if not cells.get(key):
            found[key] = "Required."
    for key, limit in LIMITS.items():
        if len(cells.get(key, "")) > limit:
            found[key] = f"At most {limit} characters."
    if cells.get("method") and "method" not in found and method_of(cells["method"]) is None:
        found["method"] = "One of 查资料, 现场查看, 询问."
    pair = major_pair_problem(cells.get("major_criterion") or None, cells.get("major_clause") or None)
    for key, message in (pair or {}).items():
        found.setdefault(key, message)
    return found


def apply(session: Session, actor: Actor, parsed: Parsed, terms: dict, *, now: datetime, dry_run: bool) -> dict:
    """Judge the rows against the reference lists, then write the checklist (or its next version) unless it is
    a dry run; every problem of every row refuses the whole file."""
    problems, head = parsed.problems, parsed.headers
    categories, criteria = _category_words(session), _criterion_words(session)
    items = []
    for row in parsed.rows:
        category = categories.get(row["category"]) or categories.get(row["category"].lower())
        criterion = criteria.get(_key(row.get("major_criterion", ""))) if row.get("major_criterion") else None
        if category is None:
            problems.add(row["row"], head["category"], "Not a hazard category (its code or its Chinese name).")
        if criterion == AMBIGUOUS:
            problems.add(row["row"], head["major_criterion"], "This 文号 names two criteria: write the code or title.")
        elif row.get("major_criterion") and criterion is None:
            problems.add(row["row"], head["major_criterion"], "Not a known criterion (its code, title or 文号).")
        items.append({"id": row["id"], "content": row["content"], "basis": row["basis"], "method": row["method"],
                      "category": category or "", "major_criterion": criterion,
                      "major_clause": row.get("major_clause") or None})  # fmt: skip
    if problems:
        reject(problems, rows=parsed.data_rows, dry_run=dry_run)
    body = {**terms, "items": items}
    savepoint = session.begin_nested()
    try:
        version, written = _write(session, actor, body, now)
    except RuleViolation as error:
        savepoint.rollback()
        _as_row_problems(error, parsed, problems)
        reject(problems, rows=parsed.data_rows, dry_run=dry_run)
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    counts = {"created": len(items)} if written else {"unchanged": len(items)}
    result = report(rows=parsed.data_rows, dry_run=dry_run, **counts)
    return {**result, "checklist": {"id": str(terms["id"]), "version": version, "written": written and not dry_run}}


def _write(session: Session, actor: Actor, body: dict, now: datetime) -> tuple[int, bool]:
    if session.get(Checklist, body["id"]) is None:
        _, created = create_checklist(session, actor, body, now=now)
        return 1, created
    return edit_checklist(session, actor, body["id"], body, now=now)


def _as_row_problems(error: RuleViolation, parsed: Parsed, problems: Problems) -> None:
    """The service's problems by item index, turned into the sheet's rows and columns."""
    by_item = error.fields.get("items")
    if not isinstance(by_item, dict):
        problems.add(1, "", "; ".join(f"{k}: {v}" for k, v in error.fields.items()) or error.message)
        return
    for index, found in by_item.items():
        row = parsed.rows[int(index)]["row"] if str(index).isdigit() else 1
        for field, message in found.items() if isinstance(found, dict) else [("", found)]:
            problems.add(row, parsed.headers.get(field, field), str(message))


def _key(word: str) -> str:
    return "".join(word.split()).lower()


def _category_words(session: Session) -> dict[str, str]:
    rows = session.execute(select(Category.code, Category.name_zh).where(Category.active)).all()
    return {**{name: code for code, name in rows}, **{code: code for code, _ in rows}}


def _criterion_words(session: Session) -> dict[str, str]:
    """Code, title and 文号 of every criterion, compared without spaces or case; the criterion's own rules (in
    force today) are judged when the version is written."""
    words = {}
    for c in session.execute(select(MajorCriterion.code, MajorCriterion.title, MajorCriterion.document_number)):
        for word in (c.document_number, c.title):
            if word:  # one 文号 may issue two standards (安监总管三〔2017〕121号 did)
                words[_key(word)] = AMBIGUOUS if words.get(_key(word), c.code) != c.code else c.code
    codes = session.scalars(select(MajorCriterion.code)).all()
    return {**words, **{_key(code): code for code in codes}}
