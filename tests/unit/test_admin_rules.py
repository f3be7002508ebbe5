"""The administration's pure rules: sectors, area codes, enterprise records, accounts, criteria in force."""

from datetime import date

import pytest

from app.demo.xiamen import AREAS, ENTERPRISES, SECTORS
from app.domain.accounts import account_problems, role_code, username_problem
from app.domain.areas import area_code_problem, enterprise_area_problem, level_of
from app.domain.credit_code import make_credit_code
from app.domain.enterprises import as_number, as_text, clean_enterprise, coordinate_problems, phone_problem
from app.domain.reference_rules import citable, criterion_dates_problem, criterion_problem, reference_code_problem
from app.domain.sectors import BY_CODE, sector_code
from app.domain.sectors import SECTORS as SECTOR_LIST

GOOD = make_credit_code("350206", "MA2XK4L7")


# ---- sectors


def test_the_demo_sectors_keep_their_codes_and_names():
    for code, (zh, _en) in SECTORS.items():
        assert code in BY_CODE and BY_CODE[code].name_zh == zh
    assert {e["sector"] for e in ENTERPRISES} <= set(BY_CODE)


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("工贸", "industry_trade"), ("危化", "chemical"), ("化工/危险化学品", "chemical"), ("建筑施工", "construction"),
        ("燃气", "gas"), ("城镇燃气", "gas"), ("消防重点单位", "fire_key_unit"), ("烟花爆竹", "fireworks"),
        ("矿山", "mining"), ("道路运输", "road_transport"), ("manufacturing", "manufacturing"),
        (" 餐饮 ", "catering"), ("Hotel", "hotel"),
    ],
)  # fmt: skip
def test_a_sector_is_named_by_its_code_or_its_chinese_words(word, code):
    assert sector_code(word) == code


def test_unknown_sectors_are_none():
    assert sector_code("航天") is None and sector_code("") is None


def test_every_sector_has_both_names_and_a_code_of_its_own():
    codes = [s.code for s in SECTOR_LIST]
    assert len(codes) == len(set(codes))
    assert all(s.name_zh and s.name_en for s in SECTOR_LIST)


# ---- area codes


def test_the_demo_tree_obeys_the_code_rules():
    levels = {code: level for code, _, level, _ in AREAS}
    for code, _name, level, parent in AREAS:
        assert area_code_problem(code, level, parent, levels.get(parent)) == {}, code


@pytest.mark.parametrize(
    ("code", "level", "parent", "parent_level"),
    [
        ("350200", "city", None, None),
        ("110000", "city", None, None),  # a municipality
        ("110105", "district", "110000", "city"),
        ("350582", "district", "350500", "city"),  # a county-level city
        ("350206001", "street", "350206", "district"),  # the demo's nine digits
        ("350206001000", "street", "350206", "district"),  # the twelve-digit 统计用区划代码
        ("350206001002", "community", "350206001", "street"),
        ("350206001002", "community", "350206001000", "street"),
        ("35020600100201", "grid", "350206001002", "community"),
        ("3502060010020001", "grid", "350206001002", "community"),
    ],
)
def test_good_codes(code, level, parent, parent_level):
    assert area_code_problem(code, level, parent, parent_level) == {}


@pytest.mark.parametrize(
    ("code", "level", "parent", "parent_level", "key"),
    [
        ("350206", "city", None, None, "code"),  # a city's ends in 00
        ("350200", "district", "350200", "city", "code"),
        ("350306", "district", "350200", "city", "code"),  # another city's
        ("350203001", "street", "350206", "district", "code"),  # another district's
        ("350206000", "street", "350206", "district", "code"),
        ("350206001001", "street", "350206", "district", "code"),  # 12 digits not ending 000
        ("3502060010", "street", "350206", "district", "code"),
        ("350206002001", "community", "350206001", "street", "code"),  # another street's
        ("350206001000", "community", "350206001", "street", "code"),
        ("35020600200101", "grid", "350206001002", "community", "code"),
        ("35020600100200", "grid", "350206001002", "community", "code"),
        ("35020600100201", "grid", "350206001", "street", "parent"),  # a grid lies in a community
        ("350206001", "street", None, None, "parent"),
        ("350200", "city", "110000", "city", "parent"),
        ("35O206", "district", "350200", "city", "code"),
        ("350206", "town", "350200", "city", "level"),
    ],
)
def test_bad_codes_say_which_part(code, level, parent, parent_level, key):
    assert key in area_code_problem(code, level, parent, parent_level)


def test_level_words_and_enterprise_areas():
    assert [level_of(w) for w in ("街道", "镇", "村", "网格", "区/县", "grid", "x")] == [
        "street", "street", "community", "grid", "district", "grid", None,
    ]  # fmt: skip
    assert enterprise_area_problem("grid", True) is None
    assert "street" in enterprise_area_problem("district", True)
    assert "deactivated" in enterprise_area_problem("grid", False)


# ---- enterprises


def _row(**overrides):
    return {"name": "厦门测试有限公司", "credit_code": GOOD, "area": "35020600100101", "sector": "危化",
            "address": "湖里区", "lat": "24.5", "lng": 118.1, "contact_name": "张三", "contact_phone": 13800000000.0,
            **overrides}  # fmt: skip


def test_a_good_row_is_cleaned():
    clean, problems = clean_enterprise(_row(credit_code=" " + GOOD.lower() + " ", scale="小型"))
    assert problems == {}
    assert clean["credit_code"] == GOOD and clean["sector"] == "chemical" and clean["scale"] == "small"
    assert clean["lat"] == 24.5 and clean["contact_phone"] == "13800000000"


@pytest.mark.parametrize(
    ("overrides", "key", "words"),
    [
        ({"credit_code": GOOD[:17] + ("1" if GOOD[17] != "1" else "2")}, "credit_code", "check character"),
        ({"credit_code": ""}, "credit_code", "Required"),
        ({"name": "  "}, "name", "Required"),
        ({"sector": "航天"}, "sector", "Not a sector"),
        ({"lng": "东经118"}, "lng", "Not a number"),
        ({"lat": "nan"}, "lat", "Not a number"),
        ({"lat": 40.0, "lng": 10.0}, "lng", "Outside China"),
        ({"lat": 60.0}, "lat", "Outside China"),
        ({"lat": None}, "lat", "both"),
        ({"contact_phone": "call me"}, "contact_phone", "phone"),
        ({"scale": "巨型"}, "scale", "large"),
        ({"name": "厂" * 201}, "name", "200"),
    ],
)
def test_each_bad_field_is_named(overrides, key, words):
    _, problems = clean_enterprise(_row(**overrides))
    assert words in problems[key], problems


def test_a_partial_edit_judges_only_what_it_sends():
    assert clean_enterprise({"name": "新名字"}, partial=True) == ({"name": "新名字"}, {})
    assert "lng" in clean_enterprise({"lat": 24.5, "lng": None}, partial=True)[1]


def test_cells_and_numbers():
    assert as_text(350206001.0) == "350206001" and as_text(None) == "" and as_text(" a ") == "a"
    assert as_number("118.1") == (118.1, None) and as_number("") == (None, None)
    assert as_number("inf")[1] and as_number(True)[1]
    assert coordinate_problems(None, None) == {}
    assert phone_problem("0592-5551234转8001") is None and phone_problem("123") is not None


# ---- accounts


def test_roles_by_code_or_chinese_name():
    assert [role_code(w) for w in ("检查员", "网格员", "企业安全员", "审核人", "管理员", "inspector", "x")] == [
        "inspector", "grid_worker", "enterprise_officer", "supervisor", "admin", "inspector", None,
    ]  # fmt: skip


def test_usernames_and_what_a_role_needs():
    assert username_problem("wang.li") is None and username_problem("王") and username_problem("a")
    assert account_problems("admin", has_area=False, has_enterprise=False) == {}
    assert set(account_problems("inspector", has_area=False, has_enterprise=True)) == {"area", "enterprise_id"}
    assert set(account_problems("enterprise_officer", has_area=True, has_enterprise=False)) == {"enterprise_id"}


# ---- criteria


def test_a_criterion_is_cited_only_while_in_force():
    day = date(2026, 6, 1)
    assert citable(True, None, None, day)
    assert citable(True, date(2026, 6, 1), date(2026, 6, 2), day)
    assert "repealed" in criterion_problem(True, None, day, day)  # repealed on the day: no longer
    assert "superseded" in criterion_problem(False, None, None, day)
    assert "takes effect" in criterion_problem(True, date(2026, 6, 2), None, day)
    assert criterion_dates_problem(date(2026, 1, 1), date(2026, 1, 1)) is not None
    assert reference_code_problem("fire_gb35181") is None and reference_code_problem("Fire") is not None
