"""Issue 14, acceptance 1 over HTTP: a checklist and a campaign made through the API; an inspection of 20 items with
3 failed (one 重大 by its item's criterion) submitted twice gives exactly 3 findings linked to it, their category,
level and basis taken from the items; an enforcement inspection with one inspector is refused (422); submitted
results cannot be edited (409); the campaign's coverage by street and by grid, and the uninspected. Then the rules'
refusals, each leaving nothing written."""

import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import jsonify, real_today
from inspection_support import (
    CAMPAIGNS,
    CHECKLISTS,
    INSPECTIONS,
    Scene,
    campaign_body,
    checklist_body,
    inspection_body,
    made,
)
from sqlalchemy import func, select, text

from app.models import Finding, Inspection, InspectionInspector, InspectionResult, Photo


@pytest.fixture
def scene(session):
    return Scene(session)


@pytest.fixture
def checklist(client, scene):
    return made(client, scene, CHECKLISTS, checklist_body(20, majors=(4,)))


@pytest.fixture
def campaign(client, scene, checklist):
    return made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]]))


def count(session, model, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def nothing_written(session) -> bool:
    return all(count(session, m) == 0 for m in (Inspection, InspectionInspector, InspectionResult, Finding, Photo))


def submit(client, scene, body, who="inspector"):
    return client.post(INSPECTIONS, json=body, headers=scene.headers[who])


def test_acceptance_an_inspection_of_twenty_items_with_three_failed(client, session, scene, checklist, campaign):
    assert checklist["version"] == 1 and len(checklist["items"]) == 20
    assert campaign["targeted"] == 5  # the district's manufacturing enterprises; the chemical works is not one
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(2, 4, 9), na=(7,),
                           campaign_id=campaign["id"])  # fmt: skip
    first = submit(client, scene, body)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = submit(client, scene, body)  # the phone did not hear the answer and sends its outbox again
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    out = first.get_json()
    assert out["status"] == "submitted" and out["campaign"]["id"] == campaign["id"]
    sent = [r["finding"]["id"] for r in body["results"] if "finding" in r]
    assert out["findings"] == sent
    assert [r["result"] for r in out["results"]].count("fail") == 3 and out["results"][7]["result_name"] == "不适用"
    assert [i["cert_no"] for i in out["inspectors"]] == [None, "35020012345"]

    findings = session.scalars(select(Finding).where(Finding.inspection_id == uuid.UUID(out["id"]))).all()
    assert len(findings) == 3 and count(session, Finding) == 3
    by_id = {str(x.id): x for x in findings}
    for index, finding_id in zip((2, 4, 9), sent, strict=True):
        item, finding = checklist["items"][index], by_id[finding_id]
        detail = client.get(f"/api/v1/findings/{finding_id}", headers=scene.headers["inspector"]).get_json()
        assert detail["category"]["code"] == item["category"]["code"]
        assert detail["title"] == item["content"] and detail["description"] == f"第{index + 1}项不符合"
        assert detail["enterprise"]["id"] == scene.world.enterprise.id
        assert detail["deadline"] == body["results"][index]["finding"]["deadline"]
        assert detail["status"] == "rectifying"
        assert detail["inspection"] == {"id": out["id"], "inspected_on": body["inspected_on"],
                                        "item": {"id": item["id"], "content": item["content"],
                                                 "basis": item["basis"]}}  # fmt: skip
        if index == 4:  # the item names 令10号 第四条: failing it is a 重大事故隐患
            assert detail["level"] == "major"
            assert detail["major_basis"]["criterion"] == "gongmao_2023"
            assert detail["major_basis"]["clause"] == "第四条第（一）项"
        else:
            assert detail["level"] == "general" and detail["major_basis"] is None
        assert finding.checklist_item_id is not None

    rows = client.get(f"{CAMPAIGNS}/{campaign['id']}/coverage?group_by=street", headers=scene.headers["supervisor"])
    coverage = rows.get_json()
    streets = {r["key"]: (r["name"], r["targeted"], r["inspected"]) for r in coverage["rows"]}
    w = scene.world
    assert streets == {w.street.code: (w.street.name, 2, 1), scene.street2.code: ("殿前街道", 3, 0)}
    assert coverage["total"] == {"targeted": 5, "inspected": 1, "uninspected": 4, "rate": 0.2}
    assert {e["id"] for e in coverage["uninspected"]} == {e.id for e in scene.enterprises[1:]}
    grids = client.get(f"{CAMPAIGNS}/{campaign['id']}/coverage?group_by=grid", headers=scene.headers["supervisor"])
    by_grid = {r["key"]: (r["targeted"], r["inspected"]) for r in grids.get_json()["rows"]}
    assert by_grid == {w.grid.code: (2, 1), scene.grid2.code: (2, 0), None: (1, 0)}  # one sits on the street


def test_one_inspector_is_not_enough_for_enforcement(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(1,), inspectors=[scene.name("inspector")])
    response = submit(client, scene, body)
    assert response.status_code == 422
    assert "inspectors" in response.get_json()["error"]["fields"]
    assert nothing_written(session)
    # the same person twice is still one inspector
    twice = {**body, "inspectors": [scene.name("inspector"), {"username": scene.name("inspector")}]}
    assert submit(client, scene, twice).get_json()["error"]["fields"]["inspectors"] == {"1": "Named twice."}
    # a routine (non-enforcement) inspection may be made by one
    assert submit(client, scene, {**body, "enforcement": False}).status_code == 201


def test_results_cannot_be_edited_after_submission(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(0,))
    assert submit(client, scene, body).status_code == 201
    edited = jsonify({**body, "results": [{**r, "result": "pass"} if r["result"] == "fail" else r
                                          for r in body["results"]]})  # fmt: skip
    for result in edited["results"]:
        result.pop("finding", None)
        result.pop("note", None)
    response = submit(client, scene, edited)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    noted = {**body, "results": [{**body["results"][0], "note": "更正：实为第二处"}, *body["results"][1:]]}
    assert submit(client, scene, noted).status_code == 409  # a note too: a correction is a new note
    stored = client.get(f"{INSPECTIONS}/{body['id']}", headers=scene.headers["inspector"]).get_json()
    assert stored["results"][0]["result"] == "fail" and count(session, Finding) == 1
    # the database itself refuses to change or remove a result, whatever code connects
    for statement in ("UPDATE inspection_results SET note = 'x'", "DELETE FROM inspection_results"):
        with pytest.raises(Exception, match="append-only"), session.begin_nested():
            session.execute(text(statement))
    session.rollback()
    # what may be added is a note, idempotent on its id
    note = {"id": str(uuid.uuid4()), "text": "更正：第1项问题位于二号仓库", "item_id": body["results"][0]["item_id"]}
    url = f"{INSPECTIONS}/{body['id']}/notes"
    assert client.post(url, json=note, headers=scene.headers["inspector2"]).status_code == 201
    retried = client.post(url, json=note, headers=scene.headers["inspector2"])
    assert retried.status_code == 200 and [n["text"] for n in retried.get_json()["notes"]] == [note["text"]]
    assert client.post(url, json={**note, "text": "别的"}, headers=scene.headers["inspector2"]).status_code == 409
    assert client.post(url, json={**note, "id": str(uuid.uuid4())}, headers=scene.headers["officer"]).status_code == 403


def test_a_refused_finding_refuses_the_whole_inspection(client, session, scene, checklist):
    taken = inspection_body(scene, checklist, scene.world.other_enterprise, failed=(3,))
    assert submit(client, scene, taken).status_code == 201
    before = count(session, Finding)
    # the third failed item reuses the finding id of another inspection's finding
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(1, 2, 3))
    body["results"][3]["finding"]["id"] = taken["results"][3]["finding"]["id"]
    response = submit(client, scene, body)
    assert response.status_code == 409
    assert "3" in response.get_json()["error"]["fields"]["results"]
    assert count(session, Finding) == before and count(session, Inspection) == 1
    # a past deadline on the second failed item: 422 under that result, nothing written
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(1, 2, 3))
    body["results"][2]["finding"]["deadline"] = (real_today() - timedelta(days=1)).isoformat()
    response = submit(client, scene, body)
    assert response.status_code == 422
    assert "deadline" in response.get_json()["error"]["fields"]["results"]["2"]["finding"]
    assert count(session, Finding) == before and count(session, Inspection) == 1


def test_every_item_is_answered_exactly_once(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise)
    stranger = str(uuid.uuid4())
    body["results"] = [*body["results"][1:], body["results"][2], {"item_id": stranger, "result": "pass"}]
    fields = submit(client, scene, body).get_json()["error"]["fields"]["results"]
    assert fields == {"missing_items": [checklist["items"][0]["id"]], "unknown_items": [stranger],
                      "repeated_items": [checklist["items"][2]["id"]]}  # fmt: skip
    assert nothing_written(session)


def test_a_fail_carries_its_finding_and_only_a_fail_does(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(1,))
    bare = jsonify(body)
    del bare["results"][1]["finding"]
    assert "finding" in submit(client, scene, bare).get_json()["error"]["fields"]["results"]["1"]
    extra = jsonify(body)
    extra["results"][0]["finding"] = {"id": str(uuid.uuid4()), "deadline": real_today().isoformat()}
    assert "finding" in submit(client, scene, extra).get_json()["error"]["fields"]["results"]["0"]
    photo = jsonify(body)
    photo["results"][0]["photo_ids"] = [str(uuid.uuid4())]
    assert "photo_ids" in submit(client, scene, photo).get_json()["error"]["fields"]["results"]["0"]
    twice = jsonify(body)
    twice["results"][0] = {**twice["results"][1], "item_id": twice["results"][0]["item_id"]}
    assert submit(client, scene, twice).get_json()["error"]["fields"]["results"]["1"]["finding"]["id"]
    assert nothing_written(session)


def test_a_failed_items_photos_are_declared_on_its_finding(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(5,))
    photos = [str(uuid.uuid4()), str(uuid.uuid4())]
    body["results"][5]["photo_ids"] = photos[:1]
    body["results"][5]["finding"]["photo_ids"] = photos[1:]
    assert submit(client, scene, body).status_code == 201
    finding_id = body["results"][5]["finding"]["id"]
    detail = client.get(f"/api/v1/findings/{finding_id}", headers=scene.headers["inspector"]).get_json()
    assert sorted(detail["missing_photos"]) == sorted(photos)
    url = f"/api/v1/findings/{finding_id}/photos/{photos[0]}?kind=evidence"
    upload = client.put(url, data=f.jpeg(), headers={**scene.headers["inspector"], "Content-Type": "image/jpeg"})
    assert upload.status_code == 201, upload.get_data(as_text=True)


@pytest.mark.parametrize(
    "who, problem",
    [
        (lambda s: "nobody-here", "not an active inspector"),
        (lambda s: s.name("far_inspector"), "does not cover"),
        (lambda s: s.name("grid_worker"), "not an active inspector"),
        (lambda s: s.name("officer"), "not an active inspector"),
    ],
)
def test_each_inspector_covers_the_enterprise(client, session, scene, checklist, who, problem):
    body = inspection_body(scene, checklist, scene.world.enterprise, inspectors=[scene.name("inspector"), who(scene)])
    fields = submit(client, scene, body).get_json()["error"]["fields"]
    assert problem in fields["inspectors"]["1"]
    assert nothing_written(session)


def test_a_deactivated_inspector_is_refused(client, session, scene, checklist):
    scene.users["inspector2"].active = False
    session.commit()
    body = inspection_body(scene, checklist, scene.world.enterprise)
    assert "not an active" in submit(client, scene, body).get_json()["error"]["fields"]["inspectors"]["1"]


def test_who_may_submit_and_who_may_read(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(0,))
    assert client.post(INSPECTIONS, json=body).status_code == 401
    for who in ("supervisor", "admin", "officer", "grid_worker"):
        assert submit(client, scene, body, who).status_code == 403, who
    far = inspection_body(scene, checklist, scene.world.far_enterprise)
    assert "enterprise_id" in submit(client, scene, far).get_json()["error"]["fields"]
    assert nothing_written(session)
    assert submit(client, scene, body).status_code == 201
    url = f"{INSPECTIONS}/{body['id']}"
    for who in ("inspector", "inspector2", "supervisor", "district_supervisor", "admin", "officer", "grid_worker"):
        assert client.get(url, headers=scene.headers[who]).status_code == 200, who
    assert client.get(url, headers=scene.headers["far_inspector"]).status_code == 404
    assert client.get(f"{INSPECTIONS}/not-a-uuid", headers=scene.headers["inspector"]).status_code == 404
    assert client.get(url).status_code == 401
    # the same id sent by someone who may not see it is an unknown id to them, not a conflict
    assert client.post(INSPECTIONS, json={**far, "id": body["id"]},
                       headers=scene.headers["far_inspector"]).status_code == 404  # fmt: skip


def test_the_list_pages_by_keyset_and_filters(client, session, scene, checklist, campaign):
    ids = []
    for i, enterprise in enumerate(scene.enterprises):
        extra = {"campaign_id": campaign["id"]} if i % 2 == 0 else {}
        body = inspection_body(scene, checklist, enterprise, failed=(i,), **extra)
        assert submit(client, scene, body).status_code == 201
        ids.append(body["id"])
    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = client.get(INSPECTIONS + query, headers=scene.headers["supervisor"]).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert all(item["failed"] == 1 for item in page["items"])
    one = client.get(f"{INSPECTIONS}?enterprise_id={scene.enterprises[2].id}", headers=scene.headers["inspector"])
    assert [i["id"] for i in one.get_json()["items"]] == [ids[2]]
    in_campaign = client.get(f"{INSPECTIONS}?campaign_id={campaign['id']}", headers=scene.headers["inspector"])
    assert sorted(i["id"] for i in in_campaign.get_json()["items"]) == sorted(ids[0::2])
    mine = client.get(INSPECTIONS, headers=scene.headers["officer"]).get_json()["items"]
    assert [i["enterprise"]["id"] for i in mine] == [scene.world.enterprise.id]
    assert client.get(INSPECTIONS, headers=scene.headers["far_inspector"]).get_json()["items"] == []
    bad = client.get(f"{INSPECTIONS}?cursor=abc", headers=scene.headers["inspector"])
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_cursor"
    for query in ("limit=0", "limit=201", "enterprise_id=x", "campaign_id=nope"):
        assert client.get(f"{INSPECTIONS}?{query}", headers=scene.headers["inspector"]).status_code == 422, query


def test_an_inspection_in_a_campaign_uses_its_checklists_and_targets(client, session, scene, checklist, campaign):
    other = made(client, scene, CHECKLISTS, checklist_body(3, name="有限空间"))
    body = inspection_body(scene, other, scene.world.enterprise, campaign_id=campaign["id"])
    assert "checklist_id" in submit(client, scene, body).get_json()["error"]["fields"]
    chemical = inspection_body(scene, checklist, scene.chemical, campaign_id=campaign["id"])
    assert "campaign_id" in submit(client, scene, chemical).get_json()["error"]["fields"]
    unknown = inspection_body(scene, checklist, scene.world.enterprise, campaign_id=str(uuid.uuid4()))
    assert "campaign_id" in submit(client, scene, unknown).get_json()["error"]["fields"]
    assert nothing_written(session)
    # an inspection outside the campaign's dates is recorded, but does not cover the target
    late = inspection_body(scene, checklist, scene.enterprises[1], campaign_id=campaign["id"],
                           inspected_on=(real_today() - timedelta(days=11)).isoformat())  # fmt: skip
    assert submit(client, scene, late).status_code == 201
    total = client.get(f"{CAMPAIGNS}/{campaign['id']}/coverage", headers=scene.headers["inspector"]).get_json()
    assert total["total"]["inspected"] == 0


def test_an_edited_checklist_leaves_old_inspections_their_version(client, session, scene, checklist):
    old = inspection_body(scene, checklist, scene.world.enterprise, failed=(0,))
    assert submit(client, scene, old).status_code == 201
    edit = {"name": checklist["name"], "items": [{**_item_in(i), "content": "改写：" + i["content"]}
                                                 for i in checklist["items"][:5]]}  # fmt: skip
    response = client.put(f"{CHECKLISTS}/{checklist['id']}", json=edit, headers=scene.headers["supervisor"])
    assert response.status_code == 200 and response.get_json()["version"] == 2
    stored = client.get(f"{INSPECTIONS}/{old['id']}", headers=scene.headers["inspector"]).get_json()
    assert stored["checklist"]["version"] == 1 and len(stored["results"]) == 20
    assert stored["results"][0]["content"] == checklist["items"][0]["content"]
    # a device that walked version 1 offline still sends it, saying so; otherwise the current version is meant
    offline = inspection_body(scene, checklist, scene.world.other_enterprise, checklist_version=1)
    assert submit(client, scene, offline).status_code == 201
    current = inspection_body(scene, checklist, scene.world.other_enterprise)
    assert "missing_items" not in submit(client, scene, current).get_json()["error"]["fields"]["results"]


def _item_in(item: dict) -> dict:
    return {"id": item["id"], "content": item["content"], "basis": item["basis"], "method": item["method"],
            "category": item["category"]["code"]}  # fmt: skip


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"enterprise_id": "1"}, "enterprise_id"),
        ({"enterprise_id": 0}, "enterprise_id"),
        ({"checklist_id": None}, "checklist_id"),
        ({"inspected_on": "2026-13-01"}, "inspected_on"),
        ({"enforcement": "yes"}, "enforcement"),
        ({"inspectors": []}, "inspectors"),
        ({"inspectors": [42]}, "inspectors"),
        ({"inspectors": [{"cert_no": "1"}]}, "inspectors"),
        ({"inspectors": ["x" * 51]}, "inspectors"),
        ({"results": []}, "results"),
        ({"results": "all pass"}, "results"),
        ({"results": [{"item_id": "nope", "result": "pass"}]}, "results"),
        ({"results": [{"item_id": str(uuid.uuid4()), "result": "maybe"}]}, "results"),
        ({"checklist_version": 0}, "checklist_version"),
        ({"campaign_id": 5}, "campaign_id"),
        ({"unexpected": True}, "unexpected"),
    ],
)
def test_bad_bodies_are_422_with_their_field(client, session, scene, checklist, change, field):
    body = {**inspection_body(scene, checklist, scene.world.enterprise), **change}
    response = submit(client, scene, body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
    assert nothing_written(session)


def test_rules_on_the_body_are_422_with_their_field(client, session, scene, checklist):
    future = inspection_body(scene, checklist, scene.world.enterprise,
                             inspected_on=(real_today() + timedelta(days=1)).isoformat())  # fmt: skip
    assert "inspected_on" in submit(client, scene, future).get_json()["error"]["fields"]
    nowhere = inspection_body(scene, checklist, scene.world.enterprise, checklist_id=str(uuid.uuid4()))
    assert "checklist_id" in submit(client, scene, nowhere).get_json()["error"]["fields"]
    no_version = inspection_body(scene, checklist, scene.world.enterprise, checklist_version=9)
    assert "checklist_version" in submit(client, scene, no_version).get_json()["error"]["fields"]
    unknown = inspection_body(scene, checklist, scene.world.enterprise, enterprise_id=999999)
    assert "enterprise_id" in submit(client, scene, unknown).get_json()["error"]["fields"]
    assert nothing_written(session)
    not_json = client.post(INSPECTIONS, data="{", headers={**scene.headers["inspector"],
                                                            "Content-Type": "application/json"})  # fmt: skip
    assert not_json.status_code == 400
