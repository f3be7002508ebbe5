"""The staff import (XLSX: 用户名, 姓名, 角色, 所在区划代码, 企业信用代码, 初始密码) and the area-tree import
(code, name, parent code, level): all or nothing, every row's problems listed, keyed re-imports."""

import pytest
from admin_support import Admin, audit_rows, count, csv_bytes, fresh, upload, xlsx_bytes
from sqlalchemy import select

from app.models import Area, User
from app.services.accounts import authenticate

USERS = "/api/v1/users/import"
AREAS = "/api/v1/areas/import"
USER_HEADERS = ["用户名", "姓名", "角色", "所在区划代码", "企业信用代码", "初始密码"]
AREA_HEADERS = ["区划代码", "名称", "上级区划代码", "层级"]


@pytest.fixture
def admin(session):
    return Admin(session)


def staff(admin) -> list[list]:
    world = admin.world
    return [
        ["chen.jian", "陈检", "检查员", world.district.code, "", "first secret 2026"],
        ["lin.grid", "林网", "grid_worker", world.grid.code, "", "another secret 2026"],
        ["safety.one", "安全员甲", "企业安全员", "", world.enterprise.credit_code, "third secret 2026"],
        ["boss", "主任", "审核人", world.city.code, "", "fourth secret 2026"],
    ]


def test_staff_import_refuses_a_file_with_problems_and_names_each(client, session, admin):
    rows = staff(admin)
    rows[0][2] = "局长"  # row 2: no such role
    rows[1][3] = "999999"  # row 3: no such area
    rows[2][4] = ""  # row 4: an officer without an enterprise
    rows[3][5] = "123"  # row 5: a weak password
    rows.append(["chen.jian", "重名", "检查员", admin.world.district.code, "", "fifth secret 2026"])  # row 6
    before = count(session, User)
    refused = upload(client, USERS, admin.headers, xlsx_bytes([USER_HEADERS, *rows]))
    assert refused.status_code == 422, refused.json
    assert {(e["row"], e["column"]) for e in refused.json["errors"]} == {
        (2, "角色"), (3, "所在区划代码"), (4, "企业信用代码"), (5, "初始密码"), (6, "用户名"),
    }  # fmt: skip
    assert count(session, User) == before and audit_rows(session) == []


def test_staff_import_creates_then_updates(client, session, admin):
    data = xlsx_bytes([USER_HEADERS, *staff(admin)])
    before = count(session, User)
    dry = upload(client, USERS, admin.headers, data, dry_run="true")
    assert (dry.status_code, dry.json["created"]) == (200, 4) and count(session, User) == before
    created = upload(client, USERS, admin.headers, data)
    assert created.status_code == 200, created.json
    assert (created.json["created"], created.json["updated"], created.json["unchanged"]) == (4, 0, 0)
    officer = fresh(session).scalars(select(User).where(User.username == "safety.one")).one()
    assert officer.role == "enterprise_officer" and officer.enterprise_id == admin.world.enterprise.id
    assert officer.area_id == admin.world.enterprise.area_id and officer.must_change_password is True
    assert authenticate(session, "chen.jian", "first secret 2026") is not None
    assert len(audit_rows(session, entity="user", action="import")) == 4
    again = upload(client, USERS, admin.headers, data)
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 4)
    rows = staff(admin)
    rows[0][2], rows[0][3], rows[0][5] = "审核人", admin.world.city.code, "ignored for known users"
    changed = upload(client, USERS, admin.headers, xlsx_bytes([USER_HEADERS, *rows]))
    assert (changed.json["updated"], changed.json["unchanged"]) == (1, 3)
    chen = fresh(session).scalars(select(User).where(User.username == "chen.jian")).one()
    assert chen.role == "supervisor" and chen.area_id == admin.world.city.id
    assert authenticate(session, "chen.jian", "first secret 2026") is not None  # the password stayed
    update = audit_rows(session, entity="user", entity_key="chen.jian")[-1]
    assert update.before == {"role": "inspector", "area": admin.world.district.code}
    assert update.after == {"role": "supervisor", "area": admin.world.city.code}


def tree(admin) -> list[list]:
    return [
        ["35020600200101", "江头第一网格", "350206002001", "网格"],  # children before parents: any order will do
        ["350206002001", "江头社区", "350206002", "社区"],
        ["350206002", "江头街道", "350206", "街道"],
        ["350206001", "改名街道", "350206", "street"],  # known: renamed
        [admin.world.city.code, admin.world.city.name, "", "市"],  # known, unchanged
    ]


def test_area_import_builds_the_tree_in_any_order(client, session, admin):
    data = csv_bytes([AREA_HEADERS, *tree(admin)])
    dry = upload(client, AREAS, admin.headers, data, name="areas.csv", dry_run="true")
    assert (dry.json["created"], dry.json["updated"], dry.json["unchanged"]) == (3, 1, 1), dry.json
    done = upload(client, AREAS, admin.headers, data, name="areas.csv")
    assert done.status_code == 200 and (done.json["created"], done.json["updated"]) == (3, 1)
    grid = fresh(session).scalars(select(Area).where(Area.code == "35020600200101")).one()
    assert grid.path == "/350200/350206/350206002/350206002001/35020600200101/" and grid.level == "grid"
    assert session.scalars(select(Area.name).where(Area.code == "350206001")).one() == "改名街道"
    rows = audit_rows(session, entity="area", action="import")
    assert len(rows) == 4 and {r.entity_key for r in rows if r.before} == {"350206001"}
    again = upload(client, AREAS, admin.headers, data, name="areas.csv")
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, 5)


def test_area_import_refuses_a_bad_tree_whole(client, session, admin):
    rows = tree(admin)
    rows[0][0] = "35020600300101"  # row 2: does not extend its community's code
    rows[1][3] = "省"  # row 3: no such level
    rows[3][2] = "350203"  # row 5: a known street under another parent (a move)
    rows.append(["350206009", "无父街道", "350299", "街道"])  # row 7: no such parent
    rows.append(["350206002", "重复", "350206", "街道"])  # row 8: twice in the file
    before = count(session, Area)
    refused = upload(client, AREAS, admin.headers, xlsx_bytes([AREA_HEADERS, *rows]))
    assert refused.status_code == 422, refused.json
    assert {(e["row"], e["column"]) for e in refused.json["errors"]} >= {
        (3, "层级"), (5, "上级区划代码"), (7, "上级区划代码"), (8, "区划代码"),
    }  # fmt: skip
    assert count(session, Area) == before and audit_rows(session) == []
    english = xlsx_bytes([["code", "name", "parent code", "level"], ["350206004", "新街道", "350206", "street"]])
    assert upload(client, AREAS, admin.headers, english).json["created"] == 1
