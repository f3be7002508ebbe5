"""The list's orders, its date range, and the one cursor every keyset endpoint hands out and refuses alike."""

from datetime import UTC, datetime, timedelta

import factories as f
import pytest
from sqlalchemy import update

from app.domain.calendar import utcnow
from app.models import Finding
from app.read import cursors
from app.read.findings import ORDERS

FINDINGS = "/api/v1/findings"


@pytest.fixture
def dated(session):
    """Nine findings with distinct receipt and observation times, three deadlines shared by several, two with none."""
    world = f.World(session)
    inspector = world.user("inspector")
    now = utcnow().replace(microsecond=0)
    made = []
    for i in range(9):
        deadline = None if i in (2, 6) else f.TODAY + timedelta(days=i % 3)
        data = f.finding_data(world.enterprise, title=f"隐患 {i}", deadline=deadline or f.TODAY + timedelta(days=5),
                              observed_at=now - timedelta(hours=9 - i))  # fmt: skip
        made.append(f.report(session, inspector, data, now - timedelta(minutes=(i * 5) % 9)))  # not in observed order
    no_deadline = [made[2].id, made[6].id]
    session.execute(update(Finding).where(Finding.id.in_(no_deadline)).values(deadline=None))
    headers = f.token_for(session, world.user("supervisor"))
    session.commit()
    return world, made, headers


def walk(client, headers, query: str, limit: int = 2) -> list[dict]:
    """Every page of the list for `query`, following next_cursor: the items in the order they came."""
    items, cursor = [], None
    while True:
        url = f"{FINDINGS}?limit={limit}&{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
        items += response.json["items"]
        cursor = response.json["next_cursor"]
        if cursor is None:
            return items


def _sort_key(key: str, ascending: bool):
    def key_of(item):
        value = item[key]
        if key == "deadline" and value is None:  # no deadline sorts last either way
            return (1, "", "")
        return (0, value, item["id"]) if ascending else (0, _invert(value), _invert(item["id"]))

    return key_of


def _invert(text: str) -> tuple:
    return tuple(-ord(ch) for ch in text)


@pytest.mark.parametrize("sort", list(ORDERS))
def test_every_order_pages_through_every_finding_once_in_its_order(client, dated, sort):
    _, made, headers = dated
    items = walk(client, headers, f"sort={sort}")
    assert sorted(i["id"] for i in items) == sorted(str(m.id) for m in made)
    key, ascending = sort.lstrip("-"), not sort.startswith("-")
    if key == "deadline":
        dated_items = [i for i in items if i["deadline"] is not None]
        assert [i["deadline"] for i in items[-2:]] == [None, None], "no deadline comes last"
        assert dated_items == sorted(dated_items, key=_sort_key(key, ascending))
    else:
        moments = [datetime.fromisoformat(i[key]) for i in items]
        assert moments == sorted(moments, reverse=not ascending)


def test_the_most_overdue_first_is_the_soonest_deadline_among_the_overdue(client, dated, session):
    _, made, headers = dated
    late = {made[0].id: 9, made[3].id: 4, made[4].id: 1}
    for finding_id, days in late.items():
        session.execute(update(Finding).where(Finding.id == finding_id).values(deadline=f.TODAY - timedelta(days=days)))
    session.commit()
    items = walk(client, headers, "overdue=true&sort=deadline", limit=10)
    assert [i["id"] for i in items] == [str(made[0].id), str(made[3].id), str(made[4].id)]
    assert [i["days_overdue"] for i in items] == sorted((i["days_overdue"] for i in items), reverse=True)


def test_a_cursor_of_one_order_is_refused_by_another(client, dated):
    _, _, headers = dated
    first = client.get(f"{FINDINGS}?limit=2&sort=deadline", headers=headers).json
    refused = client.get(f"{FINDINGS}?limit=2&sort=-received_at&cursor={first['next_cursor']}", headers=headers)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_cursor"


def test_the_date_range_is_by_the_day_observed_in_shanghai(client, session):
    """2026-03-31 23:30 +08:00 is 15:30 UTC on the 31st: the 31st in Shanghai, whatever the UTC date says."""
    world = f.World(session)
    inspector = world.user("inspector")
    moments = {
        "q1_last_minute": datetime(2026, 3, 31, 15, 30, tzinfo=UTC),  # 2026-03-31 23:30 Shanghai
        "q2_first_minutes": datetime(2026, 3, 31, 16, 10, tzinfo=UTC),  # 2026-04-01 00:10 Shanghai
        "march_first": datetime(2026, 2, 28, 16, 0, tzinfo=UTC),  # 2026-03-01 00:00 Shanghai
    }
    ids = {}
    for name, at in moments.items():
        data = f.finding_data(world.enterprise, title=name, deadline=f.TODAY + timedelta(days=5), observed_at=at)
        ids[name] = str(f.report(session, inspector, data, at + timedelta(minutes=1)).id)
    headers = f.token_for(session, world.user("supervisor"))
    session.commit()

    def seen(query):
        return {i["id"] for i in walk(client, headers, query, limit=50)}

    assert seen("from=2026-03-01&to=2026-03-31") == {ids["q1_last_minute"], ids["march_first"]}
    assert seen("from=2026-04-01") == {ids["q2_first_minutes"]}
    assert seen("to=2026-02-28") == set()
    assert seen("from=2026-03-31&to=2026-03-31") == {ids["q1_last_minute"]}


ENDPOINTS = {  # path: (who asks, the tag of the cursor it hands out)
    "/api/v1/findings": ("supervisor", "findings:-received_at"),
    "/api/v1/sync": ("supervisor", "sync1"),
    "/api/v1/supervisions": ("supervisor", "register"),
    "/api/v1/notifications": ("supervisor", "inbox"),
    "/api/v1/admin/audit": ("admin", "audit"),
    "/api/v1/admin/deliveries": ("admin", "deliveries"),
    "/api/v1/users": ("admin", "users"),
}


@pytest.fixture
def askers(session):
    world = f.World(session)
    headers = {role: f.token_for(session, world.user(role, area=None if role == "admin" else world.district))
               for role in ("supervisor", "admin")}  # fmt: skip
    session.commit()
    return headers


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_every_keyset_endpoint_refuses_anothers_cursor_with_the_same_400(client, askers, path):
    who, tag = ENDPOINTS[path]
    foreign = [cursors.encode(other, ("int",), (1,)) for _, other in ENDPOINTS.values() if other != tag]
    for cursor in ["not-a-cursor", "x" * 501, *foreign]:
        response = client.get(path, query_string={"cursor": cursor}, headers=askers[who])
        assert response.status_code == 400, (path, cursor, response.json)
        assert response.json["error"] == {
            "code": "invalid_cursor",
            "message": "The cursor is not one this list handed out; start again without it.",
            "fields": {"cursor": "Invalid cursor."},
        }
