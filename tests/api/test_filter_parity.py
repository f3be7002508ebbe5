"""The list and the counts hold together (issue 13): for every filter of FindingFilter, alone and combined, and for
every role's scope, the findings GET /api/v1/findings pages through are exactly what /stats counts — the total,
every count of every row of every breakdown — and what /stats/trend counts by week.

The expected rows are computed here from the listed items alone (their status, level, overdue, listing, extension,
category, enterprise, area and observation time), independently of how read/stats.py groups in SQL.
"""

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
import stats_scene
from helpers import real_today
from sqlalchemy import select

from app.domain.calendar import utcnow
from app.domain.periods import MAX_TREND_WEEKS, local_day, month_key, quarter_key, trend_weeks
from app.domain.statistics import COUNTS
from app.models import Area, Enterprise
from app.read.filters import local_midnight

GROUPINGS = ["district", "street", "category", "sector", "level", "status", "month", "quarter"]
ROLES = ["admin", "supervisor", "district_supervisor", "inspector", "far_inspector", "grid_worker", "officer",
         "other_officer", "far_officer"]  # fmt: skip
ENTERPRISE = "enterprise:"  # a placeholder for the scene's enterprise of that name
RECENT = "recent"  # a placeholder: five days ago (four findings were last touched ten days ago)
CASES = [
    {},
    {"status": "reported"},
    {"status": "rectifying"},
    {"status": "pending_review,closed"},
    {"status": "voided,reported,rectifying"},
    {"status": "reported,rectifying,pending_review,closed,voided"},
    {"level": "major"},
    {"level": "general"},
    {"category": "fire"},
    {"category": "hazchem"},
    {"enterprise_id": ENTERPRISE + "ours"},
    {"enterprise_id": ENTERPRISE + "far"},
    {"area": "350200"},
    {"area": "350206"},
    {"area": "350206001"},
    {"area": "35020600100101"},
    {"area": "350203"},
    {"overdue": "true"},
    {"overdue": "false"},
    {"reported_by": "me"},
    {"q": "隐患"},
    {"q": "配电"},
    {"q": "YH-350203"},
    {"updated_since": RECENT},
    {"from": "2026-03-31"},
    {"to": "2026-03-31"},
    {"from": "2026-02-01", "to": "2026-04-30"},
    {"status": "rectifying", "overdue": "true", "area": "350206"},
    {"level": "major", "from": "2026-03-01"},
    {"category": "fire", "enterprise_id": ENTERPRISE + "ours", "q": "消防"},
    {"status": "rectifying,pending_review", "overdue": "false", "reported_by": "me"},
    {"area": "350206", "to": "2026-06-30", "level": "general", "updated_since": RECENT},
]


@pytest.fixture
def scene(session):
    s = stats_scene.build(session)
    tree = {a.code: a.path for a in session.execute(select(Area.code, Area.path))}
    levels = {a.path: (a.code, a.level) for a in session.execute(select(Area.code, Area.path, Area.level))}
    sectors = dict(session.execute(select(Enterprise.id, Enterprise.sector)).all())
    return s, tree, levels, sectors


def resolved(s, case: dict) -> dict:
    out = {}
    for name, value in case.items():
        if value.startswith(ENTERPRISE):
            value = str(s.enterprises[value.removeprefix(ENTERPRISE)].id)
        elif value == RECENT:
            value = (utcnow() - timedelta(days=5)).isoformat()
        out[name] = value
    return out


def listed(client, headers, query: dict) -> list[dict]:
    """Every finding the list gives for the query, page by page (200 at a time, as the desk's table asks)."""
    items, cursor = [], None
    while True:
        paging = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/findings", query_string={**query, **paging}, headers=headers)
        assert page.status_code == 200, page.json
        items += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return items


def counted(items: list[dict]) -> dict:
    """Every count /stats gives, from listed items."""
    counts = dict.fromkeys(COUNTS, 0)
    for item in items:
        counts["found"] += 1
        counts[item["status"]] += 1
        counts["overdue"] += item["overdue"]
        counts["major"] += item["level"] == "major"
        counts["listed"] += item["supervision_level"] is not None
        counts["extension_pending"] += item["extension_pending"]
    return counts


def grouped(items: list[dict], key) -> dict:
    groups = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return {k: counted(v) for k, v in groups.items()}


def keys(tree: dict, levels: dict, sectors: dict) -> dict:
    """How each breakdown places an item, written from the item and the area tree alone."""

    def ancestor(item, level):
        path, prefix = tree[item["area"]["code"]], "/"
        for code in path.strip("/").split("/"):
            prefix += code + "/"
            if levels[prefix][1] == level:
                return levels[prefix][0]
        return None

    def day(item):
        return local_day(datetime.fromisoformat(item["observed_at"]))

    return {
        "district": lambda i: ancestor(i, "district"),
        "street": lambda i: ancestor(i, "street"),
        "category": lambda i: i["category"]["code"],
        "sector": lambda i: sectors[i["enterprise"]["id"]] if i["enterprise"] else None,
        "level": lambda i: i["level"],
        "status": lambda i: i["status"],
        "month": lambda i: month_key(day(i)),
        "quarter": lambda i: quarter_key(day(i)),
    }


def trend_expected(items: list[dict]) -> tuple[int, int]:
    """What the longest trend counts: observed, and closed, from its first Monday on."""
    start = local_midnight(trend_weeks(real_today(), MAX_TREND_WEEKS)[0])
    found = sum(datetime.fromisoformat(i["observed_at"]) >= start for i in items)
    closed = sum(i["status"] == "closed" and datetime.fromisoformat(i["closed_at"]) >= start for i in items)
    return found, closed


@pytest.mark.parametrize("who", ROLES)
def test_every_filter_counts_what_the_list_lists(client, scene, who):
    s, tree, levels, sectors = scene
    headers = s.headers[who]
    placed = keys(tree, levels, sectors)
    for case in CASES:
        query = resolved(s, case)
        items = listed(client, headers, query)
        expected = counted(items)
        for grouping in GROUPINGS:
            response = client.get("/api/v1/stats", query_string={**query, "group_by": grouping}, headers=headers)
            assert response.status_code == 200, (case, grouping, response.json)
            answer = response.json
            assert {k: answer["total"][k] for k in COUNTS} == expected, (who, case, grouping)
            got = {r["key"]: {k: r[k] for k in COUNTS} for r in answer["rows"]}
            assert got == grouped(items, placed[grouping]), (who, case, grouping)
        trend = client.get("/api/v1/stats/trend", query_string={**query, "weeks": MAX_TREND_WEEKS}, headers=headers)
        assert trend.status_code == 200, (case, trend.json)
        weeks = trend.json["rows"]
        found, closed = sum(w["found"] for w in weeks), sum(w["closed"] for w in weeks)
        assert (found, closed) == trend_expected(items), (who, case, "trend")


def test_the_cases_are_not_empty_for_the_city_supervisor(client, scene):
    """The scene gives every filter above something to select (else parity would hold vacuously)."""
    s, *_ = scene
    for case in CASES:
        if "reported_by" in case:
            continue  # the city supervisor reported nothing: the grid worker's and inspectors' runs cover it
        assert listed(client, s.headers["supervisor"], resolved(s, case)), case
    for who in ("grid_worker", "inspector"):
        assert listed(client, s.headers[who], {"reported_by": "me"}), who
