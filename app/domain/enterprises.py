"""What makes an enterprise's record acceptable, from a form or a spreadsheet row alike.

`clean_enterprise` takes what was sent (text from a CSV, numbers and text from an XLSX cell, typed values from
JSON) and answers the cleaned values and, keyed by the same names, what is wrong with the others. Whether the
area exists, is active and is a street or below is the service's question (it needs the database): see
app.domain.areas.enterprise_area_problem.
"""

import math
import re
from collections.abc import Mapping
from datetime import date, datetime

from app.domain.credit_code import credit_code_problem
from app.domain.sectors import sector_code, sector_problem

# 企业规模 as the statistics bureau's 大中小微 classification names them.
SCALES: dict[str, str] = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
_SCALE_WORDS = {
    **{k: k for k in SCALES}, **{v: k for k, v in SCALES.items()}, **{v + "企业": k for k, v in SCALES.items()}
}

# China's extent with a margin (WGS-84): 曾母暗沙 3.86°N to 漠河 53.56°N, 帕米尔 73.5°E to 抚远 135.08°E.
LAT_RANGE = (3.8, 53.6)
LNG_RANGE = (73.5, 135.1)

REQUIRED = ("name", "credit_code", "area", "sector")
TEXT_LIMITS = {"name": 200, "address": 300, "contact_name": 50, "contact_phone": 30, "area": 20}
FIELDS = ("name", "credit_code", "area", "sector", "address", "lat", "lng", "contact_name", "contact_phone", "scale")
_PHONE = re.compile(r"^[0-9０-９+\-－ ()（）转,，/、;；]+$")
MIN_PHONE_DIGITS = 7


def as_text(value) -> str:
    """A cell as text: None is empty, 350206001.0 from a spreadsheet is 350206001, text is stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def as_number(value) -> tuple[float | None, str | None]:
    """(the number, None), (None, None) when empty, or (None, why)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, "Not a number."
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None, "Not a number."
    if not math.isfinite(number):
        return None, "Not a number."
    return number, None


def normalise_credit_code(value) -> str:
    return as_text(value).replace(" ", "").upper()


def scale_code(value) -> str | None:
    return _SCALE_WORDS.get(as_text(value).lower())


def coordinate_problems(lat: float | None, lng: float | None) -> dict[str, str]:
    problems = {}
    if (lat is None) != (lng is None):
        missing = "lat" if lat is None else "lng"
        problems[missing] = "Give both coordinates, or neither."
    if lat is not None and not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        problems["lat"] = f"Outside China: latitude lies between {LAT_RANGE[0]} and {LAT_RANGE[1]} (WGS-84)."
    if lng is not None and not LNG_RANGE[0] <= lng <= LNG_RANGE[1]:
        problems["lng"] = f"Outside China: longitude lies between {LNG_RANGE[0]} and {LNG_RANGE[1]} (WGS-84)."
    return problems


def phone_problem(phone: str) -> str | None:
    if not phone:
        return None
    digits = sum(ch.isdigit() for ch in phone)
    if not _PHONE.match(phone) or digits < MIN_PHONE_DIGITS:
        return "A phone number: digits, with - + ( ) 转 or spaces, at least 7 digits."
    return None


def clean_enterprise(raw: Mapping[str, object], *, partial: bool = False) -> tuple[dict, dict[str, str]]:
    """(cleaned values, problems), both keyed by FIELDS. With `partial`, only the keys present are judged
    (an edit), and the coordinates as a pair only when one of them is present."""
    clean: dict = {}
    problems: dict[str, str] = {}
    for key in FIELDS:
        if partial and key not in raw:
            continue
        value = raw.get(key)
        if key in ("lat", "lng"):
            clean[key], problem = as_number(value)
        elif key == "credit_code":
            clean[key] = normalise_credit_code(value)
            problem = credit_code_problem(clean[key]) if clean[key] else None
            problem = problem and f"Not a valid unified social credit code: {problem}."
        elif key == "sector":
            text = as_text(value)
            clean[key] = sector_code(text)
            problem = sector_problem(text) if text else None
        elif key == "scale":
            text = as_text(value)
            clean[key] = scale_code(text) if text else None
            problem = f"One of {', '.join(SCALES)} ({'/'.join(SCALES.values())})." if text and not clean[key] else None
        else:
            clean[key] = as_text(value)
            limit = TEXT_LIMITS.get(key)
            problem = f"At most {limit} characters." if limit and len(clean[key]) > limit else None
            if key == "contact_phone" and not problem:
                problem = phone_problem(clean[key])
            if "\x00" in clean[key]:
                problem = "Must not contain NUL characters."
        if problem:
            problems[key] = problem
        elif key in REQUIRED and clean[key] in ("", None):
            problems[key] = "Required."
    if not partial or "lat" in raw or "lng" in raw:
        pair = coordinate_problems(clean.get("lat"), clean.get("lng"))
        for key, problem in pair.items():
            problems.setdefault(key, problem)
    return clean, problems
