"""The pure rules of checklists and inspections (app/domain/checklists.py, app/domain/inspections.py): methods and
sectors as the sheets write them, an item's 重大 pair, every item answered once, a fail and its finding, the two
inspectors of an enforcement inspection, a failed item's prefilled finding, and the coverage arithmetic."""

import uuid
from datetime import date

import pytest

from app.domain.checklists import (
    MAX_ITEMS,
    ItemTerms,
    Method,
    check_items,
    derived_item_id,
    major_pair_problem,
    method_of,
    sector_codes,
)
from app.domain.errors import RuleViolation
from app.domain.inspections import (
    ItemBasis,
    check_coverage,
    check_finding_ids,
    check_inspectors,
    coverage_rate,
    coverage_rows,
    finding_terms,
    result_problems,
)


@pytest.mark.parametrize(
    "word, method",
    [("records", Method.RECORDS), ("查资料", Method.RECORDS), (" 现场查看 ", Method.SITE), ("site", Method.SITE),
     ("询问", Method.INTERVIEW), ("interview", Method.INTERVIEW), ("查阅资料", Method.RECORDS), ("看看", None),
     ("", None), (None, None), (3, None)],
)  # fmt: skip
def test_a_method_is_named_by_its_code_or_its_chinese_name(word, method):
    assert method_of(word) is method


def test_sectors_are_codes_in_order_once_each_and_unknown_words_are_named():
    assert sector_codes(["危化", "gas", "化工", "燃气"]) == (["chemical", "gas"], {})
    assert sector_codes(["gas", "bakery"])[1] == {"1": "'bakery' is not a sector (GET /api/v1/sectors)."}


def test_a_major_item_names_its_criterion_and_clause_together():
    assert major_pair_problem(None, None) is None
    assert major_pair_problem("gongmao_2023", "第四条") is None
    assert "major_clause" in major_pair_problem("gongmao_2023", None)
    assert "major_criterion" in major_pair_problem(None, "第四条")


def _item(content="安全出口畅通", item_id=None, **kw) -> ItemTerms:
    return ItemTerms(item_id or uuid.uuid4(), content, "GB 55036-2022", Method.SITE, "fire", **kw)


def test_a_checklist_has_items_each_id_and_content_once():
    check_items([_item("一"), _item("二")])
    with pytest.raises(RuleViolation) as empty:
        check_items([])
    assert empty.value.fields == {"items": "At least one item."}
    with pytest.raises(RuleViolation):
        check_items([_item(str(n)) for n in range(MAX_ITEMS + 1)])
    same = uuid.uuid4()
    with pytest.raises(RuleViolation) as twice:
        check_items([_item("一", same), _item("二", same), _item(" 一\u3000")])
    assert twice.value.fields["items"] == {"1": {"id": "The same id as item 0."},
                                           "2": {"content": "The same content as item 0."}}  # fmt: skip
    with pytest.raises(RuleViolation) as half:
        check_items([_item(criterion="gongmao_2023")])
    assert "major_clause" in half.value.fields["items"]["0"]


def test_an_imported_items_id_follows_its_content_within_its_checklist():
    checklist, other = uuid.uuid4(), uuid.uuid4()
    assert derived_item_id(checklist, "安全出口 畅通") == derived_item_id(checklist, "安全出口畅通")
    assert derived_item_id(checklist, "安全出口畅通") != derived_item_id(other, "安全出口畅通")
    assert derived_item_id(checklist, "安全出口畅通") != derived_item_id(checklist, "疏散通道畅通")


def test_every_item_is_answered_exactly_once():
    a, b, c, stranger = (uuid.uuid4() for _ in range(4))
    check_coverage([a, b, c], [c, a, b])
    with pytest.raises(RuleViolation) as problems:
        check_coverage([a, b, c], [a, a, stranger])
    assert problems.value.fields == {"results": {"missing_items": [str(b), str(c)], "unknown_items": [str(stranger)],
                                                 "repeated_items": [str(a)]}}  # fmt: skip


def test_a_fail_carries_a_finding_and_nothing_else_does():
    finding = {"id": uuid.uuid4(), "deadline": date(2026, 12, 31)}
    good = [{"result": "fail", "finding": finding}, {"result": "pass"}, {"result": "na", "note": "无此设备"}]
    assert result_problems(good) == {}
    bad = [{"result": "fail"}, {"result": "pass", "finding": finding}, {"result": "na", "photo_ids": [uuid.uuid4()]}]
    assert set(result_problems(bad)) == {"0", "1", "2"}
    assert "photo_ids" in result_problems(bad)["2"]
    with pytest.raises(RuleViolation) as twice:
        failed = {"result": "fail", "finding": finding}
        check_finding_ids([failed, {"result": "pass"}, failed])
    assert twice.value.fields == {"results": {"2": {"finding": {"id": "The same finding id as result 0."}}}}


@pytest.mark.parametrize("enforcement, eligible, refused", [(True, 1, True), (True, 2, False), (True, 5, False),
                                                            (False, 1, False), (False, 0, True)])  # fmt: skip
def test_an_enforcement_inspection_is_made_by_two(enforcement, eligible, refused):
    if refused:
        with pytest.raises(RuleViolation) as error:
            check_inspectors(enforcement, eligible, {})
        assert "inspectors" in error.value.fields
    else:
        check_inspectors(enforcement, eligible, {})


def test_a_refused_inspector_is_named_even_when_enough_remain():
    with pytest.raises(RuleViolation) as error:
        check_inspectors(True, 3, {"2": "Named twice."})
    assert error.value.fields == {"inspectors": {"2": "Named twice."}}


def test_a_failed_items_finding_is_prefilled_from_the_item():
    inspection = uuid.uuid4()
    major = ItemBasis(7, uuid.uuid4(), "粉尘爆炸危险场所设在非框架结构的多层建筑物内", "dust", "gongmao_2023",
                      "第六条第（一）项")  # fmt: skip
    photo_a, photo_b = uuid.uuid4(), uuid.uuid4()
    finding = {"id": uuid.uuid4(), "deadline": date(2026, 12, 31), "photo_ids": [photo_b, photo_a]}
    result = {"result": "fail", "note": " 二车间 ", "photo_ids": [photo_a], "finding": finding}
    terms = finding_terms(major, result, inspection_id=inspection, enterprise_id=3)
    assert terms == {
        "id": finding["id"], "enterprise_id": 3, "category": "dust", "level": "major",
        "major_basis": {"criterion": "gongmao_2023", "clause": "第六条第（一）项"}, "title": major.content,
        "description": "二车间", "rectify_mode": "deadline", "deadline": date(2026, 12, 31),
        "photo_ids": [photo_a, photo_b], "inspection_id": inspection, "checklist_item_id": 7,
    }  # fmt: skip
    general = ItemBasis(8, uuid.uuid4(), "灭火器在有效期内", "fire", None, None)
    written = {**result, "finding": {**finding, "title": "三楼灭火器过期", "description": "共3具"}}
    terms = finding_terms(general, written, inspection_id=inspection, enterprise_id=3)
    assert (terms["level"], terms["major_basis"], terms["title"], terms["description"]) == (
        "general", None, "三楼灭火器过期", "共3具")  # fmt: skip


@pytest.mark.parametrize(
    "inspected, targeted, rate",
    [(0, 0, None), (0, 5, 0.0), (5, 5, 1.0), (1, 3, 0.3333), (2, 3, 0.6667), (1, 20000, 0.0001), (1, 8, 0.125)],
)
def test_coverage_is_inspected_over_targeted_rounded_half_up(inspected, targeted, rate):
    assert coverage_rate(inspected, targeted) == rate  # 1/20000 = 0.00005: half up, not to even


def test_coverage_rows_count_by_group_with_the_ungrouped_last():
    targets = [("B", True), (None, False), ("A", False), ("B", False), ("A", True), ("A", True)]
    rows, total = coverage_rows(targets, {"A": "江头街道", "B": "殿前街道"})
    assert [(r["key"], r["name"], r["targeted"], r["inspected"], r["uninspected"]) for r in rows] == [
        ("A", "江头街道", 3, 2, 1), ("B", "殿前街道", 2, 1, 1), (None, None, 1, 0, 1)]  # fmt: skip
    assert total == {"targeted": 6, "inspected": 3, "uninspected": 3, "rate": 0.5}
    assert coverage_rows([], {}) == ([], {"targeted": 0, "inspected": 0, "uninspected": 0, "rate": None})
