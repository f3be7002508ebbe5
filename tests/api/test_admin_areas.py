"""Areas: created under a parent with a code that extends the parent's, renamed, moved only while empty,
deactivated with everything under them (never deleted), each change in the audit."""

import factories as f
import pytest
from admin_support import Admin, audit_rows, fresh
from sqlalchemy import select

from app.models import Area


@pytest.fixture
def admin(session):
    return Admin(session)

URL = "/api/v1/areas"


def _tree(client, admin, **body):
    return client.post(URL, json=body, headers=admin.headers)


def _community(client, admin, code="350206001002", parent="350206001"):
    return _tree(client, admin, code=code, name="新社区", level="community", parent=parent)


def test_create_a_street_a_community_and_a_grid(client, session, admin):
    street = _tree(client, admin, code="350206002", name="江头街道", level="street", parent="350206")
    assert street.status_code == 201, street.json
    assert street.json == {"code": "350206002", "name": "江头街道", "level": "street", "parent_code": "350206",
                           "path": "/350200/350206/350206002/", "active": True}  # fmt: skip
    community = _community(client, admin, code="350206002001", parent="350206002")
    grid = _tree(client, admin, code="35020600200101", name="第一网格", level="grid", parent="350206002001")
    assert community.status_code == 201 and grid.status_code == 201, (community.json, grid.json)
    assert grid.json["path"] == "/350200/350206/350206002/350206002001/35020600200101/"
    listed = client.get(f"{URL}?under=350206002", headers=admin.headers).json["items"]
    assert [a["code"] for a in listed] == ["350206002", "350206002001", "35020600200101"]
    assert all(a["active"] for a in listed)
    rows = audit_rows(session, entity="area")
    assert [(r.entity_key, r.action, r.before) for r in rows] == [
        ("350206002", "create", None), ("350206002001", "create", None), ("35020600200101", "create", None),
    ]  # fmt: skip
    assert rows[0].after == {"code": "350206002", "name": "江头街道", "level": "street", "parent": "350206",
                             "active": True}  # fmt: skip


def test_create_names_each_bad_field(client, session, admin):
    cases = [
        ({"code": "350203002", "name": "x", "level": "street", "parent": "350206"}, "code"),  # another district's
        ({"code": "350206002", "name": "x", "level": "community", "parent": "350206"}, "parent"),  # wrong level
        ({"code": "350206002", "name": "x", "level": "street", "parent": "999999"}, "parent"),
        ({"code": "350206001", "name": "x", "level": "street", "parent": "350206"}, "code"),  # exists
        ({"code": "350206002", "name": "x", "level": "street"}, "parent"),
        ({"code": "350206002", "name": " ", "level": "street", "parent": "350206"}, "name"),
        ({"code": "350206002", "name": "x", "level": "town", "parent": "350206"}, "level"),
        ({"code": "3502060020", "name": "x", "level": "street", "parent": "350206"}, "code"),
    ]
    for body, field in cases:
        refused = _tree(client, admin, **body)
        assert refused.status_code == 422, (body, refused.json)
        assert field in refused.json["error"]["fields"], (body, refused.json)
    assert audit_rows(session) == []


def test_rename_and_a_move_of_an_empty_area_with_its_new_code(client, session, admin):
    assert _community(client, admin).status_code == 201
    renamed = client.patch(f"{URL}/350206001002", json={"name": "改名社区"}, headers=admin.headers)
    assert renamed.status_code == 200 and renamed.json["name"] == "改名社区"
    street2 = _tree(client, admin, code="350206003", name="另一街道", level="street", parent="350206")
    assert street2.status_code == 201
    stays_code = client.patch(f"{URL}/350206001002", json={"parent": "350206003"}, headers=admin.headers)
    assert stays_code.status_code == 422 and "code" in stays_code.json["error"]["fields"]  # must extend the parent's
    moved = client.patch(f"{URL}/350206001002", json={"parent": "350206003", "code": "350206003005"},
                         headers=admin.headers)  # fmt: skip
    assert moved.status_code == 200, moved.json
    assert moved.json["path"] == "/350200/350206/350206003/350206003005/" and moved.json["parent_code"] == "350206003"
    update = audit_rows(session, entity="area", action="update")
    assert update[0].before == {"name": "新社区"} and update[0].after == {"name": "改名社区"}
    assert update[1].entity_key == "350206001002"
    assert update[1].before == {"code": "350206001002", "parent": "350206001"}
    assert update[1].after == {"code": "350206003005", "parent": "350206003"}
    assert client.patch(f"{URL}/350206001002", json={"name": "x"}, headers=admin.headers).status_code == 404


def test_an_area_in_use_does_not_move(client, session, admin):
    world = admin.world  # its grid has enterprises and a grid worker; its district has users and areas under it
    for code, body in ((world.grid.code, {"code": "35020600100199"}), (world.district.code, {"parent": None})):
        refused = client.patch(f"{URL}/{code}", json=body, headers=admin.headers)
        assert refused.status_code == 422, refused.json
        assert "Only an empty area moves" in str(refused.json["error"]["fields"])
    inspector = world.user("inspector")
    finding = f.report(session, inspector, f.finding_data(world.enterprise))
    session.commit()
    assert finding.area_id == world.grid.id


def test_deactivate_takes_the_subtree_and_nothing_is_deleted(client, session, admin):
    assert _community(client, admin).status_code == 201
    off = client.patch(f"{URL}/350206001", json={"active": False}, headers=admin.headers)
    assert off.status_code == 200 and off.json["active"] is False
    fresh(session)
    below = session.scalars(select(Area).where(Area.path.startswith("/350200/350206/350206001/"))).all()
    assert len(below) == 3 and not any(a.active for a in below)  # the street, its grid and the new community
    rows = audit_rows(session, action="deactivate")
    assert {r.entity_key for r in rows} == {"350206001", "35020600100101", "350206001002"}
    no_child = _tree(client, admin, code="350206001003", name="x", level="community", parent="350206001")
    assert no_child.status_code == 422 and "deactivated" in no_child.json["error"]["fields"]["parent"]
    company = {"name": "x", "credit_code": admin.world.enterprise.credit_code, "area": admin.world.grid.code,
               "sector": "gas"}  # fmt: skip
    no_company = client.post("/api/v1/enterprises", json=company, headers=admin.headers)
    assert "deactivated" in no_company.json["error"]["fields"]["area"]
    child_first = client.patch(f"{URL}/350206001002", json={"active": True}, headers=admin.headers)
    assert child_first.status_code == 422 and "active" in child_first.json["error"]["fields"]
    back = client.patch(f"{URL}/350206001", json={"active": True}, headers=admin.headers)
    assert back.status_code == 200 and back.json["active"] is True
    assert [r.after for r in audit_rows(session, action="activate")] == [{"active": True}]
