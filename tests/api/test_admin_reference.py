"""Categories and criteria, as an admin edits them: create, edit, audit; a change is seen by the next request;
a superseded or repealed criterion cannot be cited by a new major finding (a report or a confirm), and stays on
the findings that cite it."""

from datetime import timedelta

import factories as f
import pytest
from admin_support import Admin, audit_rows, reference_restored
from helpers import event, jsonify, real_today


@pytest.fixture
def admin(session):
    return Admin(session)


@pytest.fixture(autouse=True)
def _reference_lists_put_back():
    yield from reference_restored()


def test_create_and_edit_a_category(client, session, admin):
    created = client.post("/api/v1/categories", json={"code": "lifts", "name_zh": "电梯", "name_en": "Lifts"},
                          headers=admin.headers)  # fmt: skip
    assert created.status_code == 201, created.json
    assert created.json["code"] == "lifts" and created.json["active"] is True
    listed = client.get("/api/v1/categories", headers=admin.role_headers["inspector"]).json["items"]
    assert listed[-1]["code"] == "lifts"  # seen at once by the next request
    off = client.patch("/api/v1/categories/lifts", json={"active": False, "name_en": "Elevators"},
                       headers=admin.headers)  # fmt: skip
    assert off.status_code == 200 and off.json["active"] is False
    assert "lifts" not in [c["code"] for c in client.get("/api/v1/categories", headers=admin.headers).json["items"]]
    every = client.get("/api/v1/categories?include_inactive=true", headers=admin.headers).json["items"]
    assert {"code": "lifts", "active": False, "name_en": "Elevators"}.items() <= every[-1].items()
    rows = audit_rows(session, entity="category")
    assert [(r.action, r.before) for r in rows] == [("create", None), ("update", {"active": True, "name_en": "Lifts"})]
    assert rows[1].after == {"active": False, "name_en": "Elevators"}


def test_category_validation(client, admin):
    cases = [
        ({"code": "fire", "name_zh": "x", "name_en": "x"}, "code"),
        ({"code": "Bad Code", "name_zh": "x", "name_en": "x"}, "code"),
        ({"code": "ok", "name_en": "x"}, "name_zh"),
        ({"code": "ok", "name_zh": "x", "name_en": "  "}, "name_en"),
        ({"code": "ok", "name_zh": "x", "name_en": "x", "sort_order": -1}, "sort_order"),
    ]
    for body, field in cases:
        refused = client.post("/api/v1/categories", json=body, headers=admin.headers)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], (body, refused.json)
    assert client.patch("/api/v1/categories/nope", json={"name_zh": "x"}, headers=admin.headers).status_code == 404


def test_a_deactivated_category_is_refused_by_the_next_report(client, session, admin):
    inspector = admin.world.user("inspector")
    headers = f.token_for(session, inspector)
    session.commit()
    first = client.post("/api/v1/findings", json=jsonify(f.finding_data(admin.world.enterprise)), headers=headers)
    assert first.status_code == 201  # the reference lists are now cached in this process
    off = client.patch("/api/v1/categories/fire", json={"active": False, "name_zh": "消防"}, headers=admin.headers)
    assert off.status_code == 200
    refused = client.post("/api/v1/findings", json=jsonify(f.finding_data(admin.world.enterprise)), headers=headers)
    assert refused.status_code == 422 and "category" in refused.json["error"]["fields"]
    old = client.get(f"/api/v1/findings/{first.json['id']}", headers=headers).json
    assert old["category"]["code"] == "fire" and old["category"]["name_zh"] == "消防"  # renamed, seen at once


def test_create_and_edit_a_criterion(client, session, admin):
    body = {"code": "lift_2026", "title": "电梯重大事故隐患判定标准", "document_number": "市监特设〔2026〕1号",
            "issuing_body": "国家市场监督管理总局", "effective_on": "2026-01-01"}  # fmt: skip
    created = client.post("/api/v1/criteria", json=body, headers=admin.headers)
    assert created.status_code == 201, created.json
    assert created.json["citable"] is True and created.json["repealed_on"] is None
    assert "lift_2026" in [c["code"] for c in client.get("/api/v1/criteria", headers=admin.headers).json["items"]]
    bad_dates = client.patch("/api/v1/criteria/lift_2026", json={"repealed_on": "2025-12-31"}, headers=admin.headers)
    assert bad_dates.status_code == 422 and "repealed_on" in bad_dates.json["error"]["fields"]
    for body, field in (({"code": "gongmao_2023", "title": "x"}, "code"), ({"code": "x1"}, "title")):
        refused = client.post("/api/v1/criteria", json=body, headers=admin.headers)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.json
    rows = audit_rows(session, entity="criterion")
    assert [(r.entity_key, r.action) for r in rows] == [("lift_2026", "create")]
    assert rows[0].after["effective_on"] == "2026-01-01" and rows[0].after["issuing_body"] == "国家市场监督管理总局"


def test_the_list_offers_only_citable_criteria_unless_asked(client, admin):
    default = [c["code"] for c in client.get("/api/v1/criteria", headers=admin.headers).json["items"]]
    assert "housing_2024" in default and "housing_2022" not in default
    every = client.get("/api/v1/criteria?include_inactive=true", headers=admin.headers).json["items"]
    housing = {c["code"]: c for c in every}["housing_2022"]
    assert housing["citable"] is False and housing["active"] is False and housing["issuing_body"] == "住房和城乡建设部"


def _major(enterprise, criterion):
    basis = {"criterion": criterion, "clause": "第四条(一)"}
    return jsonify(f.finding_data(enterprise, level="major", major_basis=basis))


def test_a_superseded_or_repealed_criterion_is_not_cited_by_a_new_report(client, session, admin):
    world = admin.world
    inspector = world.user("inspector")
    headers = f.token_for(session, inspector)
    session.commit()
    superseded = client.post("/api/v1/findings", json=_major(world.enterprise, "housing_2022"), headers=headers)
    assert superseded.status_code == 422, superseded.json
    assert "superseded" in superseded.json["error"]["fields"]["major_basis"]["criterion"]
    cited = client.post("/api/v1/findings", json=_major(world.enterprise, "gongmao_2023"), headers=headers)
    assert cited.status_code == 201
    repeal = client.patch("/api/v1/criteria/gongmao_2023", json={"repealed_on": f.TODAY.isoformat()},
                          headers=admin.headers)  # fmt: skip
    assert repeal.status_code == 200 and repeal.json["citable"] is False
    refused = client.post("/api/v1/findings", json=_major(world.enterprise, "gongmao_2023"), headers=headers)
    assert refused.status_code == 422 and "repealed" in refused.json["error"]["fields"]["major_basis"]["criterion"]
    kept = client.get(f"/api/v1/findings/{cited.json['id']}", headers=headers).json
    assert kept["major_basis"]["criterion"] == "gongmao_2023" and kept["major_basis"]["clause"] == "第四条(一)"
    retry = client.post("/api/v1/findings", json=_major(world.enterprise, "gongmao_2023") | {"id": cited.json["id"]},
                        headers=headers)  # fmt: skip
    assert retry.status_code == 200, retry.json  # a retry of the old create is not a new citation
    [change] = audit_rows(session, entity="criterion")
    assert change.before == {"repealed_on": None} and change.after == {"repealed_on": f.TODAY.isoformat()}


def test_a_confirm_cannot_cite_a_repealed_criterion(client, session, admin):
    world = admin.world
    grid, inspector = world.user("grid_worker"), world.user("inspector")
    report = f.report(session, grid, f.finding_data(world.enterprise, level="major"))
    headers = f.token_for(session, inspector)
    session.commit()
    url = f"/api/v1/findings/{report.id}/events"
    terms = {"deadline": real_today() + timedelta(days=30), "level": "major"}
    for criterion in ("housing_2022", "gongmao_2023"):
        if criterion == "gongmao_2023":
            later = (real_today() - timedelta(days=1)).isoformat()
            client.patch("/api/v1/criteria/gongmao_2023", json={"repealed_on": later}, headers=admin.headers)
        body = event("confirm", report.version, **terms, major_basis={"criterion": criterion, "clause": "第四条"})
        refused = client.post(url, json=body, headers=headers)
        assert refused.status_code == 422, refused.json
        assert "criterion" in refused.json["error"]["fields"]["major_basis"]
    body = event("confirm", report.version, **terms, major_basis={"criterion": "chem_2017", "clause": "第二条"})
    confirmed = client.post(url, json=body, headers=headers)
    assert confirmed.status_code == 201 and confirmed.json["major_basis"]["criterion"] == "chem_2017"
