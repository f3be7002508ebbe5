"""检查记录: the rules of one inspection, and the arithmetic of a campaign's coverage, with no database.

- Every item of the checklist version is answered exactly once: pass, fail or na (不适用).
- A fail becomes a finding (it carries the finding's id and deadline); a pass or an na carries none, and no photos:
  photos are evidence of a hazard and are kept on the finding.
- An enforcement inspection (执法检查) is made by at least two law-enforcement officers (《行政处罚法》第四十二条:
  执法人员不得少于两人), each an active inspector or supervisor whose area covers the enterprise; any inspection
  names at least one.
- A failed item's finding takes its terms from the item: the category, major exactly when the item names a
  criterion (its 重大事故隐患判定标准 and clause as the finding's major_basis), and the item's content as the title
  unless the inspector wrote one.
"""

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.domain.errors import RuleViolation
from app.domain.terms import Level, RectifyMode

MIN_ENFORCERS = 2
RATE_PLACES = Decimal("0.0001")


class Result(StrEnum):
    PASS = "pass"  # 符合
    FAIL = "fail"  # 不符合: a hazard, a finding
    NA = "na"  # 不适用


RESULT_NAMES = {Result.PASS: "符合", Result.FAIL: "不符合", Result.NA: "不适用"}


@dataclass(frozen=True)
class ItemBasis:
    """What a failed item gives its finding."""

    row_id: int  # checklist_items.id: the version's row the finding points at
    item_id: uuid.UUID
    content: str
    category: str  # a category code
    criterion: str | None
    clause: str | None


def check_coverage(item_ids: list[uuid.UUID], answered: list[uuid.UUID]) -> None:
    """Each item of the version answered once: the items missing, unknown or answered twice are named."""
    known, seen, twice, unknown = set(item_ids), set(), [], []
    for item_id in answered:
        if item_id not in known:
            unknown.append(str(item_id))
        elif item_id in seen:
            twice.append(str(item_id))
        seen.add(item_id)
    missing = [str(i) for i in item_ids if i not in seen]
    problems = {"missing_items": missing, "unknown_items": unknown, "repeated_items": twice}
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise RuleViolation(
            "Answer every item of the checklist exactly once (pass, fail or na).", {"results": problems}
        )


def result_problems(results: list[dict]) -> dict:
    """Per result (by its index): a fail with no finding, a pass or na with one, photos outside a fail."""
    problems = {}
    for i, r in enumerate(results):
        result, finding = Result(r["result"]), r.get("finding")
        if result is Result.FAIL and finding is None:
            problems[str(i)] = {"finding": "A failed item becomes a finding: send its id and deadline."}
        elif result is not Result.FAIL and finding is not None:
            problems[str(i)] = {"finding": f"Only a failed item makes a finding; this one is {result.value}."}
        elif result is not Result.FAIL and r.get("photo_ids"):
            problems[str(i)] = {"photo_ids": "Photos go with a failed item's finding."}
    return problems


def check_results(results: list[dict]) -> None:
    if problems := result_problems(results):
        raise RuleViolation("Some results are not valid.", {"results": problems})


def check_finding_ids(results: list[dict]) -> None:
    """Each failed item makes its own finding: one finding id used twice would be one hazard counted twice."""
    first, problems = {}, {}
    for i, r in enumerate(results):
        finding = r.get("finding")
        if finding is None:
            continue
        if finding["id"] in first:
            problems[str(i)] = {"finding": {"id": f"The same finding id as result {first[finding['id']]}."}}
        first.setdefault(finding["id"], i)
    if problems:
        raise RuleViolation("Each failed item makes its own finding.", {"results": problems})


def check_inspectors(enforcement: bool, eligible: int, problems: dict) -> None:
    """`problems` names (by index) the inspectors refused; `eligible` counts the distinct ones accepted."""
    if problems:
        raise RuleViolation("Some inspectors cannot inspect this enterprise.", {"inspectors": problems})
    needed = MIN_ENFORCERS if enforcement else 1
    if eligible < needed:
        message = (
            "An enforcement inspection is made by at least two inspectors (执法人员不少于两人)."
            if enforcement
            else "Name the inspector who inspected."
        )
        raise RuleViolation(message, {"inspectors": message})


def finding_terms(item: ItemBasis, result: dict, *, inspection_id: uuid.UUID, enterprise_id: int) -> dict:
    """The body report_finding takes for a failed item: the terms prefilled from the item, the rest the
    inspector's (the finding's id, deadline, and a title or description if written)."""
    finding = result["finding"]
    major = item.criterion is not None
    photos = list(dict.fromkeys([*(result.get("photo_ids") or []), *(finding.get("photo_ids") or [])]))
    description = (finding.get("description") or "").strip() or (result.get("note") or "").strip()
    return {
        "id": finding["id"],
        "enterprise_id": enterprise_id,
        "category": item.category,
        "level": (Level.MAJOR if major else Level.GENERAL).value,
        "major_basis": {"criterion": item.criterion, "clause": item.clause} if major else None,
        "title": (finding.get("title") or "").strip() or item.content,
        "description": description,
        "rectify_mode": RectifyMode.DEADLINE.value,
        "deadline": finding["deadline"],
        "photo_ids": photos,
        "inspection_id": inspection_id,
        "checklist_item_id": item.row_id,
    }


def coverage_rate(inspected: int, targeted: int) -> float | None:
    """覆盖率 = inspected ÷ targeted, rounded half up to 4 places; None when nothing is targeted."""
    if targeted <= 0:
        return None
    return float((Decimal(inspected) / Decimal(targeted)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP))


def coverage_rows(targets: list[tuple[str | None, bool]], names: dict[str, str]) -> tuple[list[dict], dict]:
    """Rows of (group key, inspected?) for each target enterprise, counted per group (in key order, the
    enterprises outside every group last under key None) and in total."""
    counts: dict[str | None, list[int]] = {}
    for key, inspected in targets:
        row = counts.setdefault(key, [0, 0])
        row[0] += 1
        row[1] += int(inspected)
    ordered = sorted(counts, key=lambda k: (k is None, k or ""))
    rows = [_row(k, names.get(k) if k else None, *counts[k]) for k in ordered]
    total = _row(None, None, len(targets), sum(int(i) for _, i in targets))
    del total["key"], total["name"]
    return rows, total


def _row(key, name, targeted: int, inspected: int) -> dict:
    return {"key": key, "name": name, "targeted": targeted, "inspected": inspected,
            "uninspected": targeted - inspected, "rate": coverage_rate(inspected, targeted)}  # fmt: skip
