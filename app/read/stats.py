"""The statistics (issue 13): the counts of /stats by area, category, sector, level, status or period, and the
weekly trend, over exactly the findings the list would show for the same filters and the same caller.

How it stays fast: one pass over the selected findings, every count a `count(*) FILTER (WHERE ...)` of that one
pass, grouped on a cheap key — the finding's own area_path, category_id, level, status or local day — never on a
string derived per row. Every column a breakdown by area, level or status reads is in ix_findings_stats
(migration 0010), so PostgreSQL answers it from that index alone. Areas roll up to the district or street, days to
months and quarters, in Python afterwards (there are as many groups as areas or days, not as findings), and names
are joined then. docs/benchmarks.md has the figures at 1,000,000 findings; README "The statistics" says why this
and not a summary table.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.periods import month_key, quarter_key, trend_weeks, week_start
from app.domain.sectors import BY_CODE as SECTORS
from app.domain.statistics import COUNTS, LEVEL_NAMES, STATE_NAMES, Tally, total
from app.domain.terms import AreaLevel, Level, State
from app.models import Area, Category, Enterprise, Finding
from app.read.filters import FindingFilter, filtered, local_midnight, overdue_clause
from app.read.periods import local_day
from app.read.scope import finding_scope

# The row of the findings an area breakdown cannot place at its level: filed above it (a district's own
# finding has no street), one row per breakdown, listed last with key null.
ABOVE_LEVEL = {AreaLevel.DISTRICT: "市级（未分区县）", AreaLevel.STREET: "区级（未分街道）"}
NO_ENTERPRISE = "无企业"
STATE_ORDER = [s.value for s in State]  # the lifecycle's order: 待确认, 整改中, 待验收, 已销号, 已撤销


def counts(today: date) -> list:
    """Every count of a row, each a FILTER over the one pass: the same definitions as the list's filters."""
    status = Finding.status
    return [
        func.count().label("found"),
        *(func.count().filter(status == s.value).label(s.value) for s in State),
        func.count().filter(overdue_clause(today)).label("overdue"),
        func.count().filter(Finding.level == Level.MAJOR.value).label("major"),
        func.count().filter(Finding.supervision_level.is_not(None)).label("listed"),
        func.count().filter(Finding.extension_pending.is_(True)).label("extension_pending"),
    ]


def tally(row) -> Tally:
    m = row._mapping
    return Tally(**{name: m[name] for name in COUNTS})


@dataclass(frozen=True)
class Grouping:
    """A breakdown: the cheap key the pass groups on, and how its groups become ordered, named rows."""

    key: Callable[[], object]  # the SQL expression grouped on
    rows: Callable[[Session, list], list[tuple]]  # (groups) -> [(key, name, Tally)] in the breakdown's order
    join_enterprise: bool = False


def statistics(session: Session, actor: Actor, f: FindingFilter, group_by: str, today: date) -> dict:
    """{"rows": [{key, name, counts..., rectified_rate}], "total": {counts..., rectified_rate}}."""
    grouping = GROUPINGS[group_by]
    key = grouping.key().label("key")
    query = select(key, *counts(today)).select_from(Finding)
    if grouping.join_enterprise:
        query = query.outerjoin(Enterprise, Enterprise.id == Finding.enterprise_id)
    query = _selected(session, query, actor, f, today).group_by(key)
    groups = session.connection().execute(query).all()
    rows = grouping.rows(session, groups)
    return {
        "rows": [{"key": k, "name": name, **t.as_dict()} for k, name, t in rows],
        "total": total(t for _, _, t in rows).as_dict(),
    }


def trend(session: Session, actor: Actor, f: FindingFilter, weeks: int, today: date) -> list[dict]:
    """[{"week": Monday, "found", "closed"}] for the last `weeks` weeks, oldest first, every week present: found
    by the week it was observed, closed by the week it was closed (销号), of the findings the filters select."""
    mondays = trend_weeks(today, weeks)
    start, end = local_midnight(mondays[0]), local_midnight(mondays[-1] + timedelta(weeks=1))
    found = _by_week(session, actor, f, today, Finding.observed_at, start, end)
    closed = _by_week(session, actor, f, today, Finding.closed_at, start, end, Finding.status == State.CLOSED.value)
    return [{"week": m.isoformat(), "found": found.get(m, 0), "closed": closed.get(m, 0)} for m in mondays]


def _selected(session: Session, query: Select, actor: Actor, f: FindingFilter, today: date) -> Select:
    """The caller's scope and the list's filters: the very rows GET /findings pages through."""
    return filtered(session, query.where(finding_scope(actor)), actor, f, today)


def _by_week(session, actor, f, today, column, start, end, *where) -> dict[date, int]:
    day = local_day(column).label("day")
    query = select(day, func.count().label("n")).where(column >= start, column < end, *where)
    query = _selected(session, query, actor, f, today).group_by(day)
    weeks: dict[date, int] = {}
    for d, n in session.connection().execute(query):
        weeks[week_start(d)] = weeks.get(week_start(d), 0) + n
    return weeks


# --- the breakdowns ------------------------------------------------------------------------------------------


def _merged(keyed: Iterable[tuple]) -> dict:
    """(key, name, Tally) with repeated keys (groups that roll up into one row) added together."""
    out: dict = {}
    for key, name, t in keyed:
        out[key] = (name, out[key][1] + t) if key in out else (name, t)
    return out


def _ordered(merged: dict, order: Callable = lambda key: key) -> list[tuple]:
    """By key in the breakdown's order, the row of no key (null) last."""
    keys = sorted((k for k in merged if k is not None), key=order)
    if None in merged:
        keys.append(None)
    return [(k, *merged[k]) for k in keys]


def _area_rows(level: AreaLevel):
    def rows(session: Session, groups: list) -> list[tuple]:
        query = select(Area.code, Area.name, Area.path).where(Area.level == level.value)
        at_level = {a.path: (a.code, a.name) for a in session.execute(query)}
        keyed = []
        for g in groups:
            code, name = _ancestor(g.key, at_level) or (None, ABOVE_LEVEL[level])
            keyed.append((code, name, tally(g)))
        return _ordered(_merged(keyed))

    return rows


def _ancestor(path: str, at_level: dict) -> tuple | None:
    """The area at the breakdown's level on a materialised path ("/350200/350206/350206001/..."), or None."""
    prefix = "/"
    for code in path.strip("/").split("/"):
        prefix += code + "/"
        if prefix in at_level:
            return at_level[prefix]
    return None


def _category_rows(session: Session, groups: list) -> list[tuple]:
    names = {c.id: (c.code, c.name_zh) for c in session.execute(select(Category.id, Category.code, Category.name_zh))}
    return _ordered(_merged((*names[g.key], tally(g)) for g in groups))


def _sector_rows(session: Session, groups: list) -> list[tuple]:
    def name(code):
        if code is None:
            return NO_ENTERPRISE
        sector = SECTORS.get(code)
        return sector.name_zh if sector else code  # a code from before the fixed list: shown as it is

    return _ordered(_merged((g.key, name(g.key), tally(g)) for g in groups))


def _named_rows(names: dict, order: list):
    def rows(_session: Session, groups: list) -> list[tuple]:
        return _ordered(_merged((g.key, names.get(g.key, g.key), tally(g)) for g in groups), order.index)

    return rows


def _period_rows(period: Callable[[date], str]):
    def rows(_session: Session, groups: list) -> list[tuple]:
        return _ordered(_merged((period(g.key), period(g.key), tally(g)) for g in groups))

    return rows


GROUPINGS: dict[str, Grouping] = {
    # the area's own path, the leading column of ix_findings_stats: the pass reads the index alone
    "district": Grouping(lambda: Finding.area_path, _area_rows(AreaLevel.DISTRICT)),
    "street": Grouping(lambda: Finding.area_path, _area_rows(AreaLevel.STREET)),
    "category": Grouping(lambda: Finding.category_id, _category_rows),
    "sector": Grouping(lambda: Enterprise.sector, _sector_rows, join_enterprise=True),
    "level": Grouping(lambda: Finding.level, _named_rows({str(k): v for k, v in LEVEL_NAMES.items()}, list(Level))),
    "status": Grouping(lambda: Finding.status, _named_rows({str(k): v for k, v in STATE_NAMES.items()}, STATE_ORDER)),
    "month": Grouping(lambda: local_day(Finding.observed_at), _period_rows(month_key)),
    "quarter": Grouping(lambda: local_day(Finding.observed_at), _period_rows(quarter_key)),
}
