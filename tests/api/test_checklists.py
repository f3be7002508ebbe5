"""检查清单 over HTTP: made by supervisors and admins (403 others, 401 signed out), idempotent on the client's id,
edited into new versions that old inspections keep, read at any version, listed by sector, imported from XLSX or
CSV with every row's problems reported (row, column) and nothing written."""

import io
import uuid

import pytest
from admin_support import csv_bytes, xlsx_bytes
from inspection_support import CHECKLISTS, MAJOR, Scene, checklist_body, made
from sqlalchemy import func, select

from app.models import Checklist, ChecklistItem, ChecklistVersion


@pytest.fixture
def scene(session):
    return Scene(session)


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_a_checklist_is_made_once_and_read_back(client, session, scene):
    body = checklist_body(12, majors=(3,))
    first = client.post(CHECKLISTS, json=body, headers=scene.headers["district_supervisor"])
    assert first.status_code == 201
    out = first.get_json()
    assert (out["version"], out["current_version"], out["items_count"]) == (1, 1, 12)
    assert out["sectors"] == [{"code": "manufacturing", "name": "制造业"}]
    assert [i["id"] for i in out["items"]] == [i["id"] for i in body["items"]]
    assert out["items"][3]["major_basis"]["clause"] == MAJOR["major_clause"]
    assert out["items"][3]["method"] == "site" and out["items"][3]["method_name"] == "现场查看"  # sent as 现场查看
    again = client.post(CHECKLISTS, json=body, headers=scene.headers["admin"])
    assert again.status_code == 200 and again.get_json() == out
    other = {**body, "name": "另一张表"}
    clash = client.post(CHECKLISTS, json=other, headers=scene.headers["admin"])
    assert clash.status_code == 409 and "id" in clash.get_json()["error"]["fields"]
    assert (count(session, Checklist), count(session, ChecklistVersion), count(session, ChecklistItem)) == (1, 1, 12)
    for who in ("inspector", "grid_worker", "supervisor", "admin"):
        read = client.get(f"{CHECKLISTS}/{body['id']}", headers=scene.headers[who])
        assert read.status_code == 200 and read.get_json() == out, who
    assert client.get(f"{CHECKLISTS}/{body['id']}", headers=scene.headers["officer"]).status_code == 403
    assert client.get(f"{CHECKLISTS}/{uuid.uuid4()}", headers=scene.headers["inspector"]).status_code == 404
    assert client.get(f"{CHECKLISTS}/nope", headers=scene.headers["inspector"]).status_code == 404
    assert client.get(CHECKLISTS).status_code == 401


def test_only_supervisors_and_admins_make_and_edit_checklists(client, session, scene):
    body = checklist_body(3)
    assert client.post(CHECKLISTS, json=body).status_code == 401
    for who in ("inspector", "grid_worker", "officer"):
        assert client.post(CHECKLISTS, json=body, headers=scene.headers[who]).status_code == 403, who
    made(client, scene, CHECKLISTS, body)
    edit = {"name": "改", "items": body["items"]}
    for who in ("inspector", "grid_worker", "officer"):
        assert client.put(f"{CHECKLISTS}/{body['id']}", json=edit, headers=scene.headers[who]).status_code == 403
    assert count(session, ChecklistVersion) == 1


def test_an_edit_is_a_new_version_and_the_old_one_stays(client, session, scene):
    body = checklist_body(4)
    made(client, scene, CHECKLISTS, body)
    url = f"{CHECKLISTS}/{body['id']}"
    edit = {"name": "消防安全检查表（2026版）", "sectors": ["消防重点单位", "manufacturing"],
            "items": [*body["items"][1:], {**body["items"][0], "content": "新增：消防控制室值班"}]}  # fmt: skip
    response = client.put(url, json={**edit, "version": 1}, headers=scene.headers["supervisor"])
    assert response.status_code == 200
    v2 = response.get_json()
    assert (v2["version"], v2["name"], v2["items_count"]) == (2, edit["name"], 4)
    assert [s["code"] for s in v2["sectors"]] == ["fire_key_unit", "manufacturing"]
    assert v2["items"][3]["id"] == body["items"][0]["id"]  # an item keeps its id through a rewording
    same = client.put(url, json=edit, headers=scene.headers["admin"])  # the current version again: nothing new
    assert same.status_code == 200 and same.get_json()["version"] == 2
    stale = client.put(url, json={**edit, "name": "x", "version": 1}, headers=scene.headers["supervisor"])
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale"
    v1 = client.get(f"{url}?version=1", headers=scene.headers["inspector"]).get_json()
    assert v1["version"] == 1 and v1["current_version"] == 2 and v1["name"] == body["name"]
    assert client.get(f"{url}?version=3", headers=scene.headers["inspector"]).status_code == 404
    assert client.get(f"{url}?version=0", headers=scene.headers["inspector"]).status_code == 422
    assert client.get(url, headers=scene.headers["inspector"]).get_json() == v2
    wrong_id = client.put(url, json={**edit, "id": str(uuid.uuid4())}, headers=scene.headers["supervisor"])
    assert wrong_id.status_code == 422
    nowhere = client.put(f"{CHECKLISTS}/{uuid.uuid4()}", json=edit, headers=scene.headers["supervisor"])
    assert nowhere.status_code == 404
    assert count(session, ChecklistVersion) == 2 and count(session, ChecklistItem) == 8


def test_the_list_shows_current_versions_by_sector(client, session, scene):
    fire = made(client, scene, CHECKLISTS, checklist_body(2, name="消防", sectors=["fire_key_unit", "manufacturing"]))
    gas = made(client, scene, CHECKLISTS, checklist_body(2, name="燃气", sectors=["城镇燃气"]))
    every = client.get(CHECKLISTS, headers=scene.headers["inspector"]).get_json()["items"]
    assert [c["id"] for c in every] == [fire["id"], gas["id"]] or [c["id"] for c in every] == [gas["id"], fire["id"]]
    only = client.get(f"{CHECKLISTS}?sector=燃气", headers=scene.headers["inspector"]).get_json()["items"]
    assert [c["id"] for c in only] == [gas["id"]] and only[0]["items_count"] == 2
    assert client.get(f"{CHECKLISTS}?sector=gas", headers=scene.headers["inspector"]).get_json()["items"] == only
    assert client.get(f"{CHECKLISTS}?sector=bakery", headers=scene.headers["inspector"]).status_code == 422
    assert client.get(CHECKLISTS, headers=scene.headers["officer"]).status_code == 403


def _item(**change) -> dict:
    base = {
        "id": str(uuid.uuid4()),
        "content": "检查内容",
        "basis": "GB 50016",
        "method": "records",
        "category": "fire",
    }
    return {**base, **change}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id": "x"}, "id"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "名" * 201}, "name"),
        ({"sectors": ["bakery"]}, "sectors"),
        ({"sectors": "manufacturing"}, "sectors"),
        ({"items": []}, "items"),
        ({"items": "none"}, "items"),
        ({"items": [_item(content="")]}, "items"),
        ({"items": [_item(content="内" * 201)]}, "items"),
        ({"items": [_item(basis="\x00")]}, "items"),
        ({"items": [_item(method="看看")]}, "items"),
        ({"items": [_item(category="bakery")]}, "items"),
        ({"items": [_item(major_criterion="gongmao_2023")]}, "items"),
        ({"items": [_item(major_clause="第四条")]}, "items"),
        ({"items": [_item(major_criterion="nonesuch", major_clause="第一条")]}, "items"),
        ({"items": [_item(major_criterion="housing_2022", major_clause="第一条")]}, "items"),  # superseded
        (
            {
                "items": [
                    _item(id="6f1c0d2e-0000-4000-8000-000000000001"),
                    _item(id="6f1c0d2e-0000-4000-8000-000000000001", content="另一项"),
                ]
            },
            "items",
        ),
        ({"items": [_item(), _item(content=" 检查 内容 ")]}, "items"),  # the same content, spaced
        ({"items": [_item()] * 0 + [_item(id=str(uuid.uuid4())) for _ in range(501)]}, "items"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_checklists_are_422_with_their_field(client, session, scene, change, field):
    body = {**checklist_body(2), **change}
    response = client.post(CHECKLISTS, json=body, headers=scene.headers["supervisor"])
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
    assert count(session, Checklist) == 0 and count(session, ChecklistItem) == 0


def test_a_problem_names_the_item_and_its_field(client, session, scene):
    body = checklist_body(3)
    body["items"][2]["category"] = "bakery"
    body["items"][1]["major_criterion"] = "gongmao_2023"
    fields = client.post(CHECKLISTS, json=body, headers=scene.headers["supervisor"]).get_json()["error"]["fields"]
    assert set(fields["items"]) == {"1"} and "major_clause" in fields["items"]["1"]
    body["items"][1]["major_clause"] = "第四条第（二）项"
    fields = client.post(CHECKLISTS, json=body, headers=scene.headers["supervisor"]).get_json()["error"]["fields"]
    assert fields["items"] == {"2": {"category": "'bakery' is not a hazard category."}}


HEADERS = ["序号", "检查内容", "依据", "检查方式", "隐患类别", "重大隐患判定标准", "条款"]
GOOD_ROWS = [
    [1, "安全出口、疏散通道畅通，未锁闭、堵塞", "GB 55036-2022 第7.1.2条", "现场查看", "消防安全", "", ""],
    [2, "粉尘爆炸危险场所设置在非框架结构的多层建构筑物内", "工贸企业粉尘防爆安全规定 第十条", "现场查看", "dust",
     "应急管理部令第10号（2023）", "第六条第（一）项"],
    [3, "制定有限空间作业审批制度", "工贸企业有限空间作业安全规定 第八条", "查资料", "有限空间", "", ""],
    [4, "作业人员知晓有限空间危害", "工贸企业有限空间作业安全规定 第十二条", "询问", "confined_space", "", ""],
]  # fmt: skip
FORMATS = {"xlsx": xlsx_bytes, "csv": csv_bytes}


def upload(client, url: str, headers: dict, data: bytes, filename: str = "list.xlsx", **form):
    body = {"file": (io.BytesIO(data), filename), **form}
    return client.post(url, data=body, headers=headers, content_type="multipart/form-data")


def _import(client, scene, rows, fmt="xlsx", who="supervisor", checklist_id=None, **form):
    data = FORMATS[fmt]([HEADERS, *rows])
    fields = {"id": checklist_id or str(uuid.uuid4()), "name": "粉尘涉爆企业检查表", "sectors": "工贸,冶金", **form}
    return upload(client, f"{CHECKLISTS}/import", scene.headers[who], data, filename=f"list.{fmt}", **fields), fields[
        "id"
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_imported_sheet_becomes_a_checklist_and_its_next_version(client, session, scene, fmt):
    response, checklist_id = _import(client, scene, GOOD_ROWS, fmt)
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert (report["rows"], report["created"], report["error_count"]) == (4, 4, 0)
    assert report["checklist"] == {"id": checklist_id, "version": 1, "written": True}
    stored = client.get(f"{CHECKLISTS}/{checklist_id}", headers=scene.headers["inspector"]).get_json()
    assert [i["method"] for i in stored["items"]] == ["site", "site", "records", "interview"]
    assert [i["category"]["code"] for i in stored["items"]] == ["fire", "dust", "confined_space", "confined_space"]
    assert stored["items"][1]["major_basis"]["criterion"] == "gongmao_2023"
    assert [s["code"] for s in stored["sectors"]] == ["industry_trade", "metal"]
    again, _ = _import(client, scene, GOOD_ROWS, fmt, checklist_id=checklist_id)
    assert again.get_json()["unchanged"] == 4 and again.get_json()["checklist"]["version"] == 1
    edited = [
        *GOOD_ROWS[:3],
        [4, "作业人员经专项安全培训", "工贸企业有限空间作业安全规定 第十二条", "查资料", "有限空间"],
    ]
    v2, _ = _import(client, scene, edited, fmt, checklist_id=checklist_id)
    assert v2.get_json()["checklist"] == {"id": checklist_id, "version": 2, "written": True}
    newer = client.get(f"{CHECKLISTS}/{checklist_id}", headers=scene.headers["inspector"]).get_json()
    assert [i["id"] for i in newer["items"][:3]] == [i["id"] for i in stored["items"][:3]]  # same content, same id
    assert newer["items"][3]["id"] != stored["items"][3]["id"]


def test_a_sheet_with_problems_is_refused_whole_with_each_row_named(client, session, scene):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][3] = "看看"  # sheet row 2: no such method
    rows[1][6] = ""  # row 3: a criterion without its clause
    rows[2][4] = "烘焙"  # row 4: no such category
    rows[3][1] = rows[0][1]  # row 5: the same content as row 2
    rows.append([5, "", "依据", "查资料", "fire", "", ""])  # row 6: no content
    rows.append(
        [6, "特种设备定期检验", "特种设备安全法", "查资料", "special_equipment", "不存在的标准", "第一条"]
    )  # row 7
    rows.append(
        [7, "危化品重大危险源", "依据", "查资料", "hazchem", "安监总管三〔2017〕121号", "第一条"]
    )  # row 8: 2 criteria
    response, _ = _import(client, scene, rows)
    assert response.status_code == 422
    got = {(e["row"], e["column"]) for e in response.get_json()["errors"]}
    criterion = "重大隐患判定标准"
    assert got == {(2, "检查方式"), (3, "条款"), (4, "隐患类别"), (5, "检查内容"), (6, "检查内容"), (7, criterion),
                   (8, criterion)}  # fmt: skip
    assert count(session, Checklist) == 0


def test_an_import_dry_run_writes_nothing_and_others_may_not_import(client, session, scene):
    response, _ = _import(client, scene, GOOD_ROWS, dry_run="true")
    assert response.status_code == 200 and response.get_json()["dry_run"] is True
    assert response.get_json()["checklist"]["written"] is False
    assert count(session, Checklist) == 0
    for who in ("inspector", "officer"):
        assert _import(client, scene, GOOD_ROWS, who=who)[0].status_code == 403
    missing = upload(client, f"{CHECKLISTS}/import", scene.headers["supervisor"], xlsx_bytes([HEADERS[:3], ["a", "b"]]),
                     id=str(uuid.uuid4()), name="表")  # fmt: skip
    assert missing.status_code == 422 and {e["column"] for e in missing.get_json()["errors"]} >= {
        "检查方式",
        "隐患类别",
    }
    empty = upload(client, f"{CHECKLISTS}/import", scene.headers["supervisor"], xlsx_bytes([HEADERS]),
                   id=str(uuid.uuid4()), name="表")  # fmt: skip
    assert empty.status_code == 422
    no_name = upload(client, f"{CHECKLISTS}/import", scene.headers["supervisor"], xlsx_bytes([HEADERS, *GOOD_ROWS]),
                     id=str(uuid.uuid4()))  # fmt: skip
    assert no_name.status_code == 422 and "name" in no_name.get_json()["error"]["fields"]
    not_a_sheet = upload(client, f"{CHECKLISTS}/import", scene.headers["supervisor"], b"PK\x03\x04broken",
                         id=str(uuid.uuid4()), name="表")  # fmt: skip
    assert not_a_sheet.status_code == 422
    bad_sector, _ = _import(client, scene, GOOD_ROWS, sectors="烘焙")
    assert bad_sector.status_code == 422
    assert count(session, Checklist) == 0
