"""The demo data (Xiamen area tree, enterprises, finding templates) is internally consistent."""

from app.demo.finding_templates import TEMPLATES
from app.demo.xiamen import (
    AREAS,
    DEMO_GRID_CODE,
    DEMO_INSPECTOR_AREA,
    ENTERPRISES,
    OFFICER_ENTERPRISE_INDEX,
    SECTORS,
)
from app.domain.credit_code import is_valid_credit_code

LEVEL_ORDER = ["city", "district", "street", "community", "grid"]
# fmt: off
CATEGORY_CODES = {
    "fire", "electrical", "hazchem", "confined_space", "special_equipment",
    "construction", "gas", "dust", "machinery", "management", "other",
}
# fmt: on
NATURE_CODES = {"unsafe_condition", "unsafe_act", "management_defect"}
CRITERIA = {"gongmao_2023", "chem_2017", "fire_gb35181", "special_eq_gb45067", "gas_2023", "housing_2024"}

AREA_BY_CODE = {code: (name, level, parent) for code, name, level, parent in AREAS}


def ancestors(code):
    while code is not None:
        yield code
        code = AREA_BY_CODE[code][2]


def test_area_tree_is_one_tree_rooted_at_xiamen():
    assert len(AREA_BY_CODE) == len(AREAS), "area codes are unique"
    roots = [code for code, _, _, parent in AREAS if parent is None]
    assert roots == ["350200"]
    assert AREAS[0] == ("350200", "厦门市", "city", None)
    seen = set()
    for code, name, level, parent in AREAS:
        assert name
        assert level in LEVEL_ORDER
        if parent is not None:
            assert parent in seen, f"{code}: parent {parent} must come first"
            assert LEVEL_ORDER.index(level) == LEVEL_ORDER.index(AREA_BY_CODE[parent][1]) + 1
            if level != "district":
                assert code.startswith(parent), f"{code} should extend its parent's code {parent}"
        seen.add(code)


def test_six_districts_and_every_level_populated():
    districts = {code for code, _, level, _ in AREAS if level == "district"}
    assert districts == {"350203", "350205", "350206", "350211", "350212", "350213"}
    for level in LEVEL_ORDER:
        assert any(lvl == level for _, _, lvl, _ in AREAS)


def test_enterprise_credit_codes_valid_and_unique():
    codes = [e["credit_code"] for e in ENTERPRISES]
    assert len(ENTERPRISES) == 30
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert is_valid_credit_code(code), code


def test_enterprise_grid_lies_in_credit_code_district():
    for e in ENTERPRISES:
        grid = e["grid_code"]
        assert grid in AREA_BY_CODE, grid
        assert AREA_BY_CODE[grid][1] == "grid"
        district = e["credit_code"][2:8]
        assert AREA_BY_CODE[district][1] == "district"
        assert district in set(ancestors(grid)), (e["name"], grid, district)
        assert AREA_BY_CODE[district][0] in e["address"], e["address"]


def test_enterprises_spread_over_districts_and_sectors():
    assert {e["credit_code"][2:8] for e in ENTERPRISES} == {code for code, _, level, _ in AREAS if level == "district"}
    assert {e["sector"] for e in ENTERPRISES} == set(SECTORS)


def test_enterprise_fields():
    for e in ENTERPRISES:
        assert 24.3 <= e["lat"] <= 24.9 and 117.8 <= e["lng"] <= 118.5, e["name"]
        assert e["sector"] in SECTORS
        phone = e["contact_phone"]
        assert len(phone) == 11 and phone.isdigit() and phone[:2] in {"13", "15", "18"}, phone
        assert e["name"] and e["contact_name"] and e["address"].startswith("厦门市")


def test_demo_accounts_anchor():
    officer = ENTERPRISES[OFFICER_ENTERPRISE_INDEX]
    assert officer["sector"] == "manufacturing"
    assert officer["credit_code"][2:8] == "350206"
    assert officer["grid_code"] == DEMO_GRID_CODE
    assert DEMO_INSPECTOR_AREA in set(ancestors(DEMO_GRID_CODE))


def test_templates_use_allowed_codes():
    assert len(TEMPLATES) >= 30
    for t in TEMPLATES:
        assert t["category"] in CATEGORY_CODES, t["title"]
        assert t["nature"] in NATURE_CODES, t["title"]
        assert t["level"] in {"general", "major"}, t["title"]
        assert 0 < len(t["title"]) <= 40, t["title"]
        assert t["description"] and t["measures"]
        if t["level"] == "major":
            basis = t["major_basis"]
            assert basis["criterion"] in CRITERIA and basis["clause"], t["title"]
        else:
            assert "major_basis" not in t, t["title"]


def test_every_category_covered_at_least_twice():
    for code in CATEGORY_CODES:
        assert sum(t["category"] == code for t in TEMPLATES) >= 2, code
    titles = [t["title"] for t in TEMPLATES]
    assert len(set(titles)) == len(titles)
