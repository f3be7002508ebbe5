"""The official working-day calendar as the deployment keeps it: each year's State Council notice, entered by an
admin when it is published (usually in November for the next year) and read by the deadline job.

A year is replaced whole, as a notice is: its days off (放假) and its worked weekend days (调休上班), each with the
holiday's name, and where it was taken from. Every change is in the admin audit.
"""

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import NotFound, RuleViolation
from app.domain.workdays import HolidayYear, WorkCalendar, notice_problems
from app.models import HolidayDay
from app.models import HolidayYear as HolidayYearRow
from app.services.admin.audit import record


def work_calendar(session: Session) -> WorkCalendar:
    """The calendar of every year the deployment holds a notice for; other years count Monday to Friday."""
    days = {year: {"rest": set(), "work": set()} for year in session.scalars(select(HolidayYearRow.year))}
    for day, year, kind in session.execute(select(HolidayDay.day, HolidayDay.year, HolidayDay.kind)):
        days[year][kind].add(day)
    return WorkCalendar(
        HolidayYear(year, frozenset(kinds["rest"]), frozenset(kinds["work"])) for year, kinds in sorted(days.items())
    )


def years(session: Session) -> list[dict]:
    rows = session.scalars(select(HolidayYearRow).order_by(HolidayYearRow.year))
    return [notice(session, row.year) for row in rows]


def notice(session: Session, year: int) -> dict:
    row = session.get(HolidayYearRow, year)
    if row is None:
        raise NotFound(f"No notice for {year} is loaded: that year counts Monday to Friday.")
    days = session.scalars(select(HolidayDay).where(HolidayDay.year == year).order_by(HolidayDay.day)).all()
    return {
        "year": year,
        "source": row.source,
        "updated_at": row.updated_at,
        "rest_days": [{"day": d.day, "name": d.name} for d in days if d.kind == "rest"],
        "workdays": [{"day": d.day, "name": d.name} for d in days if d.kind == "work"],
    }


def replace_notice(session: Session, actor: Actor, year: int, data: dict, *, now: datetime) -> dict:
    """data: source, rest_days and workdays as [{day, name}]. Replaces the year whole; returns it as stored."""
    rest = [entry["day"] for entry in data["rest_days"]]
    work = [entry["day"] for entry in data["workdays"]]
    problems = notice_problems(year, rest, work)
    if problems:
        raise RuleViolation("The notice cannot be stored as it is.", problems)
    before = notice(session, year) if session.get(HolidayYearRow, year) else None
    row = session.get(HolidayYearRow, year) or HolidayYearRow(year=year)
    row.source, row.updated_at = data["source"].strip(), now
    session.add(row)
    session.execute(delete(HolidayDay).where(HolidayDay.year == year))
    session.flush()
    session.add_all(
        HolidayDay(day=entry["day"], year=year, kind=kind, name=(entry.get("name") or "").strip())
        for kind, entries in (("rest", data["rest_days"]), ("work", data["workdays"]))
        for entry in entries
    )
    session.flush()
    after = notice(session, year)
    record(session, actor, "holidays", str(year), "update" if before else "create", _audited(before),
           _audited(after), now=now)  # fmt: skip
    return after


def remove_notice(session: Session, actor: Actor, year: int, *, now: datetime) -> None:
    before = notice(session, year)
    session.execute(delete(HolidayDay).where(HolidayDay.year == year))
    session.execute(delete(HolidayYearRow).where(HolidayYearRow.year == year))
    session.flush()
    record(session, actor, "holidays", str(year), "delete", _audited(before), None, now=now)


def _audited(notice_: dict | None) -> dict | None:
    if notice_ is None:
        return None
    return {
        "source": notice_["source"],
        "rest_days": [_day(e["day"]) for e in notice_["rest_days"]],
        "workdays": [_day(e["day"]) for e in notice_["workdays"]],
    }


def _day(day: date) -> str:
    return day.isoformat()
