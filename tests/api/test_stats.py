"""GET /api/v1/stats and /stats/trend: 整改率, the periods in Asia/Shanghai, the rows adding up, every role's scope,
the keys and names of each breakdown, and bad input (issue 13, acceptance 1)."""

from datetime import UTC, datetime, time, timedelta

import factories as f
import pytest
import stats_scene
from helpers import real_today

from app.domain.calendar import SHANGHAI, utcnow
from app.domain.periods import quarter_key, week_start
from app.domain.statistics import COUNTS

STATS = "/api/v1/stats"
TREND = "/api/v1/stats/trend"
GROUPINGS = ["district", "street", "category", "sector", "level", "status", "month", "quarter"]
ROW_FIELDS = {"key", "name", "open", "rectified_rate", *COUNTS}


@pytest.fixture
def scene(session):
    return stats_scene.build(session)


def stats(client, s, who: str, **query) -> dict:
    response = client.get(STATS, query_string=query, headers=s.headers[who])
    assert response.status_code == 200, response.json
    return response.json


def rows(client, s, who: str, **query) -> dict:
    return {r["key"]: r for r in stats(client, s, who, **query)["rows"]}


def test_the_total_counts_every_kind_of_finding_once(client, scene):
    total = stats(client, scene, "admin", group_by="status")["total"]
    assert total == {"found": 15, "open": 11, "reported": 2, "rectifying": 7, "pending_review": 2, "closed": 2,
                     "voided": 2, "overdue": 2, "major": 2, "listed": 1, "extension_pending": 1,
                     "rectified_rate": 0.1538}  # fmt: skip  2 closed of 13 not voided


def test_rectified_rate_is_closed_over_found_less_voided_and_null_when_that_is_zero(client, scene):
    districts = rows(client, scene, "supervisor", group_by="district")
    assert districts["350203"]["closed"] == 1 and districts["350203"]["found"] == 2
    assert districts["350203"]["rectified_rate"] == 0.5
    assert districts["350206"]["rectified_rate"] == round(1 / 11, 4)  # 13 found, 2 voided, 1 closed
    only_voided = stats(client, scene, "admin", group_by="level", status="voided")
    assert only_voided["total"]["found"] == only_voided["total"]["voided"] == 2
    assert only_voided["total"]["rectified_rate"] is None  # 2 found − 2 voided: nothing to rectify
    assert all(r["rectified_rate"] is None for r in only_voided["rows"])
    nothing = stats(client, scene, "admin", group_by="district", area="350206002", status="closed")
    assert nothing["rows"] == [] and nothing["total"]["found"] == 0 and nothing["total"]["rectified_rate"] is None
    closed = stats(client, scene, "admin", group_by="status", status="closed")
    assert closed["total"]["rectified_rate"] == 1.0


def test_a_finding_late_on_31_march_in_shanghai_is_in_march_and_the_first_quarter(client, scene):
    # major_listed was observed 2026-03-31 23:30 +08:00 (15:30 UTC), extension 2026-04-01 00:10 +08:00 (16:10 UTC
    # on 31 March): by the UTC day both would be March
    for grouping, expected in (("month", "2026-03"), ("quarter", "2026-Q1")):
        last_of_march = stats(client, scene, "admin", group_by=grouping, **{"from": "2026-03-31", "to": "2026-03-31"})
        assert [(r["key"], r["found"], r["major"]) for r in last_of_march["rows"]] == [(expected, 1, 1)]
    for grouping, expected in (("month", "2026-04"), ("quarter", "2026-Q2")):
        first_of_april = stats(client, scene, "admin", group_by=grouping, **{"from": "2026-04-01", "to": "2026-04-01"})
        assert [(r["key"], r["found"], r["extension_pending"]) for r in first_of_april["rows"]] == [(expected, 1, 1)]


def test_months_and_quarters_in_order(client, scene):
    months = stats(client, scene, "admin", group_by="month", to="2026-11-30")["rows"]
    assert [(r["key"], r["name"], r["found"]) for r in months] == [
        ("2026-01", "2026-01", 1), ("2026-02", "2026-02", 2), ("2026-03", "2026-03", 2), ("2026-04", "2026-04", 2),
        ("2026-06", "2026-06", 1), ("2026-07", "2026-07", 1),
    ]  # fmt: skip
    quarters = rows(client, scene, "admin", group_by="quarter")
    now = quarter_key(real_today())
    fixed = {"2026-Q1": 5, "2026-Q2": 3, "2026-Q3": 1}  # the six observed just now are in this quarter
    assert {k: r["found"] for k, r in quarters.items()} == {**fixed, now: fixed.get(now, 0) + 6}
    assert list(quarters) == sorted(quarters)


def test_every_breakdown_adds_up_to_the_same_total_for_every_role(client, scene):
    for who in scene.headers:
        totals = []
        for grouping in GROUPINGS:
            answer = stats(client, scene, who, group_by=grouping)
            assert all(set(r) == ROW_FIELDS for r in answer["rows"]), grouping
            for name in COUNTS:
                assert sum(r[name] for r in answer["rows"]) == answer["total"][name], (who, grouping, name)
            assert len({r["key"] for r in answer["rows"]}) == len(answer["rows"]), (who, grouping)
            totals.append(answer["total"])
        assert all(t == totals[0] for t in totals), who


@pytest.mark.parametrize(
    "who,found,districts",
    [
        ("admin", 15, {"350203": 2, "350206": 13}),
        ("supervisor", 15, {"350203": 2, "350206": 13}),
        ("district_supervisor", 13, {"350206": 13}),  # 思明's two are not counted
        ("inspector", 13, {"350206": 13}),
        ("far_inspector", 2, {"350203": 2}),
        ("grid_worker", 11, {"350206": 11}),  # the grid's findings and their own reports
        ("officer", 6, {"350206": 6}),  # their enterprise's, never a report waiting for triage or voided in it
        ("other_officer", 2, {"350206": 2}),
        ("far_officer", 2, {"350203": 2}),
    ],
)
def test_each_role_counts_only_what_it_may_see(client, scene, who, found, districts):
    answer = stats(client, scene, who, group_by="district")
    assert answer["total"]["found"] == found
    assert {r["key"]: r["found"] for r in answer["rows"]} == districts


def test_an_officer_counts_their_enterprise_but_no_report(client, scene):
    total = stats(client, scene, "officer", group_by="status")["total"]
    assert total["reported"] == 0 and total["voided"] == 0  # the grid worker's two: one waiting, one voided in triage
    assert (total["rectifying"], total["pending_review"], total["closed"], total["listed"]) == (3, 2, 1, 1)
    assert stats(client, scene, "grid_worker", group_by="status")["total"]["reported"] == 2


def test_areas_roll_up_to_their_district_or_street_by_code(client, scene):
    streets = stats(client, scene, "supervisor", group_by="street")["rows"]
    assert [(r["key"], r["name"], r["found"]) for r in streets] == [
        ("350206001", "street 350206001", 11),
        ("350206002", "禾山街道", 1),
        (None, "区级（未分街道）", 3),  # filed at 湖里 itself, and 思明's grid that hangs under no street
    ]
    districts = stats(client, scene, "supervisor", group_by="district")["rows"]
    assert [(r["key"], r["name"]) for r in districts] == [("350203", "district 350203"), ("350206", "district 350206")]


def test_categories_sectors_levels_and_states_by_key_with_their_chinese_names(client, scene):
    categories = stats(client, scene, "admin", group_by="category")["rows"]
    assert [(r["key"], r["name"], r["found"]) for r in categories] == [
        ("electrical", "电气安全", 2), ("fire", "消防安全", 11), ("hazchem", "危险化学品", 2)
    ]  # fmt: skip
    sectors = stats(client, scene, "admin", group_by="sector")["rows"]
    assert [(r["key"], r["name"], r["found"]) for r in sectors] == [
        ("chemical", "化工/危险化学品", 1), ("construction", "建筑施工", 1), ("manufacturing", "制造业", 12),
        (None, "无企业", 1),
    ]  # fmt: skip
    levels = stats(client, scene, "admin", group_by="level")["rows"]
    assert [(r["key"], r["name"], r["found"], r["major"]) for r in levels] == [
        ("general", "一般隐患", 13, 0), ("major", "重大隐患", 2, 2)
    ]  # fmt: skip
    states = stats(client, scene, "admin", group_by="status")["rows"]
    assert [(r["key"], r["name"]) for r in states] == [  # the lifecycle's order
        ("reported", "待确认"), ("rectifying", "整改中"), ("pending_review", "待验收"), ("closed", "已销号"),
        ("voided", "已撤销"),
    ]  # fmt: skip


def test_overdue_listed_and_extension_pending_where_they_are(client, scene):
    by_street = rows(client, scene, "admin", group_by="street")
    assert by_street["350206002"]["overdue"] == by_street["350206002"]["major"] == 1  # chem_overdue
    assert by_street["350206001"]["overdue"] == 1 and by_street["350206001"]["listed"] == 1
    assert by_street["350206001"]["extension_pending"] == 1
    assert stats(client, scene, "admin", group_by="level", overdue="true")["total"]["found"] == 2


# --- the weekly trend ----------------------------------------------------------------------------------------


def _at(day, hour=0, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)


@pytest.fixture
def weeks(session):
    """Findings either side of the last Monday's midnight in Shanghai (16:00 UTC on the Sunday), by observation
    and by closure; one observed weeks ago and closed this week."""
    s = stats_scene.Scene(session, f.World(session))
    s.join("inspector", s.world.user("inspector"))
    s.join("officer", s.world.user("enterprise_officer"))
    s.join("supervisor", s.world.user("supervisor"))
    session.commit()
    monday = week_start(real_today())
    sunday_night, monday_morning = _at(monday - timedelta(days=1), 23, 59), _at(monday)
    today = real_today()

    def finding(name, closed_at=None, **data):
        body = f.finding_data(s.world.enterprise, observed_at=utcnow(), deadline=today + timedelta(days=7), **data)
        s.report(name, "inspector", body)
        if closed_at:
            s.act(name, "officer", "submit_rectification", measures="已整改", completed_on=today)
            s.act(name, "supervisor", "approve", on_site=False)
            s.place(name, closed_at=closed_at)

    finding("sunday", closed_at=sunday_night)
    finding("monday", closed_at=monday_morning)
    finding("old", closed_at=monday_morning)
    finding("open_major", level="major", major_basis={"criterion": "gongmao_2023", "clause": "第四条(一)"})
    s.place("sunday", observed_at=sunday_night)
    s.place("monday", observed_at=monday_morning)
    s.place("old", observed_at=_at(monday - timedelta(weeks=5), 10))
    s.place("open_major", observed_at=sunday_night)
    return s, monday


def trend_rows(client, s, **query) -> list[dict]:
    response = client.get(TREND, query_string=query, headers=s.headers["supervisor"])
    assert response.status_code == 200, response.json
    return response.json["rows"]


def test_a_week_starts_at_monday_midnight_in_shanghai(client, weeks):
    s, monday = weeks
    last_week = (monday - timedelta(weeks=1)).isoformat()
    assert trend_rows(client, s, weeks=2) == [
        {"week": last_week, "found": 2, "closed": 1},  # Sunday 23:59: sunday and open_major; sunday closed
        {"week": monday.isoformat(), "found": 1, "closed": 2},  # Monday 00:00: monday; monday and old closed
    ]


def test_the_trend_has_every_week_up_to_this_one_and_takes_the_filters(client, weeks):
    s, monday = weeks
    twelve = trend_rows(client, s)
    assert [r["week"] for r in twelve] == [(monday - timedelta(weeks=11 - n)).isoformat() for n in range(12)]
    assert sum(r["found"] for r in twelve) == 4 and sum(r["closed"] for r in twelve) == 3
    assert twelve[6]["found"] == 1 and twelve[6]["closed"] == 0  # "old": observed five weeks before this one
    assert [r["found"] for r in trend_rows(client, s, weeks=2, level="major")] == [1, 0]
    assert [r["closed"] for r in trend_rows(client, s, weeks=2, status="closed")] == [1, 2]
    assert trend_rows(client, s, weeks=1) == [{"week": monday.isoformat(), "found": 1, "closed": 2}]
    assert len(trend_rows(client, s, weeks=104)) == 104


def test_the_trend_is_scoped(client, session, weeks):
    s, _ = weeks
    far = f.token_for(session, s.world.user("inspector", area=s.world.other_district))
    session.commit()
    response = client.get(TREND, query_string={"weeks": 12}, headers=far)
    assert response.status_code == 200
    assert all(r["found"] == r["closed"] == 0 for r in response.json["rows"])


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url,query,field",
    [
        (STATS, {}, "group_by"),
        (STATS, {"group_by": "enterprise"}, "group_by"),
        (STATS, {"group_by": ""}, "group_by"),
        (STATS, {"group_by": "level", "status": "open"}, "status"),
        (STATS, {"group_by": "level", "level": "minor"}, "level"),
        (STATS, {"group_by": "level", "category": "no_such_category"}, "category"),
        (STATS, {"group_by": "level", "area": "999999"}, "area"),
        (STATS, {"group_by": "level", "enterprise_id": "abc"}, "enterprise_id"),
        (STATS, {"group_by": "level", "overdue": "maybe"}, "overdue"),
        (STATS, {"group_by": "level", "reported_by": "you"}, "reported_by"),
        (STATS, {"group_by": "level", "q": "字" * 201}, "q"),
        (STATS, {"group_by": "level", "updated_since": "yesterday"}, "updated_since"),
        (STATS, {"group_by": "level", "from": "2026-02-30"}, "from"),
        (STATS, {"group_by": "level", "from": "2026-04-01", "to": "2026-03-31"}, "to"),
        (STATS, {"group_by": "level", "to": "1999-12-31"}, "to"),
        (TREND, {"weeks": "0"}, "weeks"),
        (TREND, {"weeks": "105"}, "weeks"),
        (TREND, {"weeks": "twelve"}, "weeks"),
        (TREND, {"weeks": "1.5"}, "weeks"),
        (TREND, {"status": "done"}, "status"),
        (TREND, {"from": "2026-13-01"}, "from"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, session, url, query, field):
    world = f.World(session)
    headers = f.token_for(session, world.user("supervisor"))
    session.commit()
    response = client.get(url, query_string=query, headers=headers)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.is_json and field in response.json["error"]["fields"], response.json


@pytest.mark.parametrize("url", [f"{STATS}?group_by=district", f"{TREND}?weeks=4"])
def test_signed_out_is_401(client, url):
    response = client.get(url)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_weeks_defaults_to_twelve_and_the_rows_are_monday_named(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("supervisor"))
    report = f.finding_data(world.enterprise, observed_at=utcnow(), deadline=real_today() + timedelta(days=7))
    f.report(session, world.user("inspector"), report, utcnow())
    session.commit()
    body = client.get(TREND, headers=headers).json["rows"]
    assert len(body) == 12 and body[-1] == {"week": week_start(real_today()).isoformat(), "found": 1, "closed": 0}
    assert all(datetime.fromisoformat(r["week"]).weekday() == 0 for r in body)
