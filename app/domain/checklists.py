"""检查清单: the rules of a checklist and its items, with no database.

An item says what to check (检查内容), on what basis (依据: a clause of a standard or a regulation), how (检查方式:
查资料, 现场查看 or 询问), the category a failed item's finding files under, and, when failing it is a 重大事故隐患
by a named criterion, that criterion and its clause. The form (JSON or an imported sheet) is judged elsewhere;
what a checklist must be, whichever way it came, is judged here.
"""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import RuleViolation
from app.domain.sectors import sector_code

MAX_ITEMS = 500
CONTENT_MAX = 200  # a failed item's finding takes its content as its title, and a title is 200 characters
BASIS_MAX = 1000
CLAUSE_MAX = 100


class Method(StrEnum):
    RECORDS = "records"  # 查资料
    SITE = "site"  # 现场查看
    INTERVIEW = "interview"  # 询问


METHOD_NAMES = {Method.RECORDS: "查资料", Method.SITE: "现场查看", Method.INTERVIEW: "询问"}
METHOD_NAMES_EN = {Method.RECORDS: "Records", Method.SITE: "On-site check", Method.INTERVIEW: "Interview"}
_METHOD_WORDS = {
    **{m.value: m for m in Method},
    **{name: m for m, name in METHOD_NAMES.items()},
    "查阅资料": Method.RECORDS,
    "查记录": Method.RECORDS,
    "现场检查": Method.SITE,
    "现场": Method.SITE,
    "询问人员": Method.INTERVIEW,
    "问询": Method.INTERVIEW,
}


def method_of(word: str) -> Method | None:
    """The method a code or a Chinese name (as a checklist sheet writes it) names, or None."""
    return _METHOD_WORDS.get(word.strip()) if isinstance(word, str) else None


@dataclass(frozen=True)
class ItemTerms:
    """One item as a version stores it: codes still to be looked up (category, criterion) are kept as codes."""

    item_id: uuid.UUID
    content: str
    basis: str
    method: Method
    category: str
    criterion: str | None = None
    clause: str | None = None


def major_pair_problem(criterion: str | None, clause: str | None) -> dict | None:
    """A 重大 item names both its criterion and the clause of it; neither alone."""
    if criterion and not clause:
        return {"major_clause": "The clause of the criterion (e.g. 第四条第（一）项) is required with it."}
    if clause and not criterion:
        return {"major_criterion": "A clause needs the criterion (判定标准) it belongs to."}
    return None


def sector_codes(words: list[str]) -> tuple[list[str], dict]:
    """The sectors' codes in the order given, once each, and the problems (by index) of words naming none."""
    codes, problems = [], {}
    for i, word in enumerate(words):
        code = sector_code(word)
        if code is None:
            problems[str(i)] = f"'{word}' is not a sector (GET /api/v1/sectors)."
        elif code not in codes:
            codes.append(code)
    return codes, problems


def check_items(items: list[ItemTerms]) -> None:
    """At least one item, at most MAX_ITEMS, each id and each content once."""
    if not items:
        raise RuleViolation("A checklist has at least one item.", {"items": "At least one item."})
    if len(items) > MAX_ITEMS:
        raise RuleViolation(f"At most {MAX_ITEMS} items.", {"items": f"At most {MAX_ITEMS} items."})
    problems, ids, contents = {}, {}, {}
    for i, item in enumerate(items):
        if item.item_id in ids:
            problems[str(i)] = {"id": f"The same id as item {ids[item.item_id]}."}
        ids.setdefault(item.item_id, i)
        key = normalised(item.content)
        if key in contents:
            problems.setdefault(str(i), {})["content"] = f"The same content as item {contents[key]}."
        contents.setdefault(key, i)
        if pair := major_pair_problem(item.criterion, item.clause):
            problems.setdefault(str(i), {}).update(pair)
    if problems:
        raise RuleViolation("Some items are not valid.", {"items": problems})


def normalised(text: str) -> str:
    """Content compared as a person reads it: whitespace (full-width too) does not make two items differ."""
    return "".join(text.split())


def derived_item_id(checklist_id: uuid.UUID, content: str) -> uuid.UUID:
    """An imported item's id: the same content in the same checklist gets the same id in every version."""
    return uuid.uuid5(checklist_id, normalised(content))
