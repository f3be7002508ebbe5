"""List filters and keyset pagination of GET /api/v1/findings; the reference lists."""

from datetime import timedelta

import factories as f
import pytest
from sqlalchemy import update

from app.domain.calendar import utcnow
from app.models import Finding


@pytest.fixture
def listing(session):
    world = f.World(session)
    inspector, grid = world.user("inspector"), world.user("grid_worker")
    now = utcnow()
    made = []
    for i in range(23):  # several share a received_at: the cursor must still order them totally
        at = now - timedelta(minutes=i // 3)
        data = f.finding_data(
            world.enterprise,
            title=f"隐患 {i}",
            deadline=f.TODAY + timedelta(days=3),
            category="fire" if i % 2 else "electrical",
            observed_at=at,
        )
        made.append(f.report(session, inspector, data, at))
    made.append(f.report(session, grid, f.finding_data(world.enterprise, title="配电箱门缺失 100%"), now))
    city_inspector = world.user("inspector", area=world.city)
    major = f.report(session, city_inspector, f.major_data(world.far_enterprise, deadline=f.TODAY), now)
    session.execute(
        update(Finding).where(Finding.id.in_([made[0].id, made[1].id])).values(deadline=f.TODAY - timedelta(days=2))
    )
    headers = f.token_for(session, world.user("supervisor"))
    me = f.token_for(session, grid)
    session.commit()
    return world, made, major, headers, me


def page_ids(client, headers, query=""):
    response = client.get(f"/api/v1/findings?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_keyset_pages_visit_every_finding_once_newest_first(client, listing):
    _, _, _, headers, _ = listing
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get(f"/api/v1/findings?limit=4{'&cursor=' + cursor if cursor else ''}", headers=headers)
        assert response.status_code == 200
        seen += [(item["received_at"], item["id"]) for item in response.json["items"]]
        cursor, pages = response.json["next_cursor"], pages + 1
        if cursor is None:
            break
    assert len(seen) == len({i for _, i in seen}) == 25
    assert pages == 7
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status=reported", 1),
        ("status=reported,rectifying", 25),
        ("level=major", 1),
        ("category=electrical", 12),
        ("overdue=true", 2),
        ("overdue=false", 23),
        ("q=100%25", 1),  # a literal % is searched for, not a wildcard
        ("q=%E9%9A%90%E6%82%A3%202", 4),  # "隐患 2" matches 隐患 2, 20, 21 and 22
    ],
)
def test_filters(client, listing, query, expected):
    _, _, _, headers, _ = listing
    assert len(page_ids(client, headers, f"{query}&limit=200")) == expected


def test_overdue_items_say_how_late(client, listing):
    _, made, _, headers, _ = listing
    items = client.get("/api/v1/findings?overdue=true", headers=headers).json["items"]
    assert {i["id"] for i in items} == {str(made[0].id), str(made[1].id)}
    assert all(i["overdue"] and i["days_overdue"] == 2 for i in items)


def test_area_enterprise_and_reporter_filters(client, listing):
    world, _, major, headers, me = listing
    assert page_ids(client, headers, "area=350203") == [str(major.id)]
    assert len(page_ids(client, headers, f"enterprise_id={world.enterprise.id}&limit=200")) == 24
    assert len(page_ids(client, me, "reported_by=me")) == 1


def test_updated_since(client, listing):
    _, _, _, headers, _ = listing
    future = (utcnow() + timedelta(hours=1)).isoformat()
    past = (utcnow() - timedelta(days=1)).isoformat()
    assert page_ids(client, headers, f"updated_since={future.replace('+', '%2B')}") == []
    assert len(page_ids(client, headers, f"updated_since={past.replace('+', '%2B')}&limit=200")) == 25


def test_reference_lists(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    categories = client.get("/api/v1/categories", headers=headers).json["items"]
    assert [c["code"] for c in categories][:3] == ["fire", "electrical", "hazchem"] and len(categories) == 15
    assert categories[0]["name_zh"] == "消防安全"
    criteria = client.get("/api/v1/criteria", headers=headers).json["items"]
    fire = {"code": "fire_gb35181", "title": "重大火灾隐患判定规则", "document_number": "GB 35181-2025"}
    fire["citable"] = True
    assert any(fire.items() <= c.items() for c in criteria)
    areas = client.get("/api/v1/areas", headers=headers).json["items"]
    assert areas[0] == {"code": "350200", "name": "city 350200", "level": "city", "parent_code": None, "active": True}
    under = client.get("/api/v1/areas?under=350203", headers=headers).json["items"]
    assert [a["code"] for a in under] == ["350203", "35020300100101"]


def test_enterprises_visible_nearest_first_and_searchable(client, session):
    world = f.World(session)
    inspector = f.token_for(session, world.user("inspector"))
    officer = f.token_for(session, world.user("enterprise_officer"))
    session.commit()
    near_second = f"{world.other_enterprise.lat},{world.other_enterprise.lng}"
    items = client.get(f"/api/v1/enterprises?near={near_second}", headers=inspector).json["items"]
    assert [i["id"] for i in items] == [world.other_enterprise.id, world.enterprise.id]  # far one not visible
    assert items[0]["distance_m"] == 0 and items[1]["distance_m"] > 100
    found = client.get(f"/api/v1/enterprises?q={world.enterprise.credit_code[-6:].lower()}", headers=inspector)
    assert [i["id"] for i in found.json["items"]] == [world.enterprise.id]
    mine = client.get("/api/v1/enterprises", headers=officer).json["items"]
    assert [i["id"] for i in mine] == [world.enterprise.id]
