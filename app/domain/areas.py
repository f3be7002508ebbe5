"""Area codes (行政区划代码) and the shape of the tree: city → district → street → community → grid.

- city 市 and district 区/县: GB/T 2260, six digits. A city's code ends in 00 (350200, or 110000 for a
  municipality); a district's does not, and starts with its city's code less the trailing zero pairs
  (350206 under 350200, 110105 under 110000).
- street 街道/镇/乡 and community 社区/村: the 统计用区划代码 below the district. Its full form is twelve digits
  (district 6 + street 3 + community 3); a street may also be written by its first nine (district + 3), as the
  demo does, or as the twelve with 000 at the end. A community is its street's nine digits + 3.
- grid 网格: not a statistical unit; its code is its community's twelve digits + 1 to 8 more (the demo uses 2).

A child's code always extends its parent's; every area but a city has a parent one level up.
"""

from app.domain.terms import AreaLevel

LEVELS: tuple[str, ...] = tuple(level.value for level in AreaLevel)
PARENT_LEVEL: dict[str, str | None] = {
    "city": None,
    "district": "city",
    "street": "district",
    "community": "street",
    "grid": "community",
}
# An enterprise sits in a street, a community or a grid: a district is too coarse to find it in.
ENTERPRISE_LEVELS = frozenset({"street", "community", "grid"})
LEVEL_NAMES_ZH = {"city": "市", "district": "区/县", "street": "街道/镇/乡", "community": "社区/村", "grid": "网格"}
# The words a spreadsheet may use for a level.
LEVEL_WORDS = {
    **{level: level for level in LEVELS},
    "市": "city", "地级市": "city", "直辖市": "city",
    "区": "district", "县": "district", "区县": "district", "区/县": "district", "县级市": "district",
    "街道": "street", "镇": "street", "乡": "street", "街道/镇": "street", "街道/镇/乡": "street", "乡镇": "street",
    "社区": "community", "村": "community", "社区/村": "community", "居委会": "community", "村委会": "community",
    "网格": "grid",
}  # fmt: skip
MAX_CODE_LENGTH = 20  # the column


def level_of(word: str) -> str | None:
    return LEVEL_WORDS.get(word.strip().lower()) if isinstance(word, str) else None


def _city_prefix(city_code: str) -> str:
    prefix = city_code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def street_stem(street_code: str) -> str:
    """The nine digits a street's communities extend, whichever form the street's code is written in."""
    return street_code[:9]


def area_code_problem(code: str, level: str, parent_code: str | None, parent_level: str | None) -> dict[str, str]:
    """What is wrong with an area of `level` and `code` under the given parent, keyed code / level / parent;
    empty when it fits."""
    if level not in PARENT_LEVEL:
        return {"level": f"One of {', '.join(LEVELS)}."}
    want_parent = PARENT_LEVEL[level]
    if want_parent is None and parent_code is not None:
        return {"parent": "A city is the top of the tree: it has no parent."}
    if want_parent is not None and parent_code is None:
        return {"parent": f"A {level} lies in a {want_parent}: give the parent's code."}
    if want_parent is not None and parent_level != want_parent:
        return {"parent": f"A {level}'s parent must be a {want_parent}, not a {parent_level}."}
    if not isinstance(code, str) or not code.isascii() or not code.isdigit():
        return {"code": "Digits only."}
    problem = _code_shape(code, level, parent_code)
    return {"code": problem} if problem else {}


def _code_shape(code: str, level: str, parent: str | None) -> str | None:
    if level == "city":
        if len(code) != 6 or not code.endswith("00") or code.startswith("00"):
            return "A city's code is six digits ending in 00 (GB/T 2260), e.g. 350200."
        return None
    if level == "district":
        if len(code) != 6 or code.endswith("00"):
            return "A district's code is six digits not ending in 00 (GB/T 2260), e.g. 350206."
        if not code.startswith(_city_prefix(parent)):
            return f"A district of {parent} has a code starting {_city_prefix(parent)}."
        return None
    if level == "street":
        own = code[6:9]
        if len(code) not in (9, 12) or not code.startswith(parent) or own == "000":
            return f"A street's code is its district's {parent} + 3 digits (9), or those + 000 (12)."
        if len(code) == 12 and not code.endswith("000"):
            return "A street's 12-digit code ends in 000; the last three digits number its communities."
        return None
    if level == "community":
        stem = street_stem(parent)
        if len(code) != 12 or not code.startswith(stem) or code.endswith("000"):
            return f"A community's code is its street's {stem} + 3 digits (not 000): 12 digits."
        return None
    # grid
    if not code.startswith(parent) or not 1 <= len(code) - len(parent) <= MAX_CODE_LENGTH - len(parent):
        return f"A grid's code is its community's {parent} + 1 to {MAX_CODE_LENGTH - len(parent)} digits."
    if set(code[len(parent) :]) == {"0"}:
        return "A grid's own digits are not all zeros."
    return None


def enterprise_area_problem(level: str, active: bool) -> str | None:
    if not active:
        return "This area is deactivated."
    if level not in ENTERPRISE_LEVELS:
        return f"An enterprise lies in a street, community or grid, not a {level}."
    return None
