"""Rules of the admin-edited reference lists: hazard categories and major-hazard criteria.

A criterion is cited by a major finding as the basis of 重大事故隐患. A new finding may cite only one that is in
force on the day: active (not superseded), already effective, and not repealed (repealed_on is the first day it
no longer applies). Findings that cited it before keep it, and show it as they always did.
"""

import re
from datetime import date

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def reference_code_problem(code: str) -> str | None:
    if not _CODE.match(code or ""):
        return "1 to 40 lower-case letters, digits, '_' or '-', e.g. fire_gb35181."
    return None


def criterion_dates_problem(effective_on: date | None, repealed_on: date | None) -> str | None:
    if effective_on and repealed_on and repealed_on <= effective_on:
        return "A criterion is repealed after the day it took effect."
    return None


def citable(active: bool, effective_on: date | None, repealed_on: date | None, day: date) -> bool:
    return criterion_problem(active, effective_on, repealed_on, day) is None


def criterion_problem(active: bool, effective_on: date | None, repealed_on: date | None, day: date) -> str | None:
    """Why a new major finding on `day` may not cite this criterion, or None when it may."""
    if not active:
        return "This criterion is superseded or withdrawn: cite the one in force."
    if repealed_on is not None and repealed_on <= day:
        return f"This criterion was repealed on {repealed_on.isoformat()}: cite the one in force."
    if effective_on is not None and effective_on > day:
        return f"This criterion takes effect on {effective_on.isoformat()}."
    return None
