"""Issue 12's table as a deployment sets it: DEADLINE_* environment variables (app/config.py) read into the pure
rules' DeadlineSettings. A value that cannot be read stops the job with the variable's name, rather than run it
on a guess."""

from collections.abc import Mapping
from datetime import time

from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineSettings

DAY_COUNTS = {  # variable -> DeadlineSettings field, each a whole number of days
    "DEADLINE_OVERDUE_AFTER": "overdue_after",
    "DEADLINE_STREET_AFTER": "street_after",
    "DEADLINE_DISTRICT_AFTER": "district_after",
    "DEADLINE_CITY_AFTER": "city_after",
    "DEADLINE_ESCALATE_EVERY": "escalate_every",
    "DEADLINE_TRIAGE_WORKDAYS": "triage_workdays",
}


def deadline_settings(config: Mapping) -> DeadlineSettings:
    values = {}
    if raw := str(config.get("DEADLINE_REMIND_DAYS") or "").strip():
        values["remind_days_before"] = tuple(_days("DEADLINE_REMIND_DAYS", part) for part in raw.split(","))
    if raw := str(config.get("DEADLINE_NOTIFY_AT") or "").strip():
        try:
            values["notify_at"] = time.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"DEADLINE_NOTIFY_AT: a time of day like 09:00, not {raw!r}") from None
    for name, field in DAY_COUNTS.items():
        if (raw := config.get(name)) not in (None, ""):
            values[field] = _days(name, raw)
    settings = DeadlineSettings(**{**DEFAULT_SETTINGS.__dict__, **values})
    if settings.escalate_every < 1 or settings.overdue_after < 1:
        raise ValueError("DEADLINE_OVERDUE_AFTER and DEADLINE_ESCALATE_EVERY are at least 1 day")
    if not settings.street_after <= settings.district_after <= settings.city_after:
        raise ValueError("an overdue finding climbs street, district, city: DEADLINE_STREET_AFTER <= "
                         "DEADLINE_DISTRICT_AFTER <= DEADLINE_CITY_AFTER")  # fmt: skip
    return settings


def _days(name: str, raw) -> int:
    try:
        days = int(str(raw).strip())
    except ValueError:
        raise ValueError(f"{name}: whole days, not {raw!r}") from None
    if days < 0:
        raise ValueError(f"{name}: whole days, not {raw!r}")
    return days
