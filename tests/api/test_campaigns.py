"""专项行动 over HTTP: organised by supervisors within their area and admins, idempotent on the client's id, its
targets fixed at creation (a list, or the scope's active enterprises of its sectors), seen by the regulators whose
area overlaps it, and its coverage counted within the caller's area."""

import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import real_today
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
from sqlalchemy import func, select

from app.models import Campaign, CampaignTarget


@pytest.fixture
def scene(session):
    return Scene(session)


@pytest.fixture
def checklist(client, scene):
    return made(client, scene, CHECKLISTS, checklist_body(3))


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_a_campaign_targets_its_scope_and_is_made_once(client, session, scene, checklist):
    body = campaign_body(scene, [checklist["id"]])
    first = client.post(CAMPAIGNS, json=body, headers=scene.headers["district_supervisor"])
    assert first.status_code == 201, first.get_data(as_text=True)
    out = first.get_json()
    assert out["targeted"] == 5 and out["targets_listed"] is False
    assert out["areas"] == [{"code": "350206", "name": scene.world.district.name}]
    assert out["checklists"] == [{"id": checklist["id"], "name": checklist["name"], "version": 1}]
    assert out["created_by"]["id"] == scene.users["district_supervisor"].id
    again = client.post(CAMPAIGNS, json=body, headers=scene.headers["district_supervisor"])
    assert again.status_code == 200 and again.get_json() == out
    clash = client.post(CAMPAIGNS, json={**body, "name": "百日会战"}, headers=scene.headers["district_supervisor"])
    assert clash.status_code == 409
    assert count(session, Campaign) == 1 and count(session, CampaignTarget) == 5
    # every sector: the chemical works too; a street: only its enterprises
    every = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]], sectors=[]))
    assert every["targeted"] == 6
    street = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]], areas=[scene.street2.code]))
    assert street["targeted"] == 3


def test_targets_may_be_a_list_and_a_deactivated_enterprise_is_never_one(client, session, scene, checklist):
    chosen = [scene.enterprises[0].id, scene.chemical.id]
    listed = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]], enterprise_ids=chosen))
    assert listed["targeted"] == 2 and listed["targets_listed"] is True
    scene.enterprises[1].active = False
    session.commit()
    scoped = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]]))
    assert scoped["targeted"] == 4
    gone = campaign_body(scene, [checklist["id"]], enterprise_ids=[scene.enterprises[1].id])
    refused = client.post(CAMPAIGNS, json=gone, headers=scene.headers["supervisor"])
    assert refused.status_code == 422 and "deactivated" in refused.get_json()["error"]["fields"]["enterprise_ids"]["0"]


def test_a_supervisor_organises_only_within_their_area(client, session, scene, checklist):
    outside = campaign_body(scene, [checklist["id"]], areas=[scene.world.other_district.code])
    response = client.post(CAMPAIGNS, json=outside, headers=scene.headers["district_supervisor"])
    assert response.status_code == 422 and response.get_json()["error"]["fields"]["areas"] == {
        "0": "Outside your area."
    }
    far = campaign_body(scene, [checklist["id"]], enterprise_ids=[scene.world.far_enterprise.id])
    response = client.post(CAMPAIGNS, json=far, headers=scene.headers["district_supervisor"])
    assert response.status_code == 422 and "enterprise_ids" in response.get_json()["error"]["fields"]
    assert client.post(CAMPAIGNS, json=outside, headers=scene.headers["admin"]).status_code == 201
    body = campaign_body(scene, [checklist["id"]])
    assert client.post(CAMPAIGNS, json=body).status_code == 401
    for who in ("inspector", "grid_worker", "officer"):
        assert client.post(CAMPAIGNS, json=body, headers=scene.headers[who]).status_code == 403, who
    assert count(session, Campaign) == 1


def test_who_sees_a_campaign_and_its_coverage(client, session, scene, checklist):
    campaign = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]], sectors=[]))
    url = f"{CAMPAIGNS}/{campaign['id']}"
    for who in ("supervisor", "district_supervisor", "inspector", "grid_worker", "admin"):
        assert client.get(url, headers=scene.headers[who]).status_code == 200, who
        assert [c["id"] for c in client.get(CAMPAIGNS, headers=scene.headers[who]).get_json()["items"]] == [
            campaign["id"]
        ]
    assert client.get(url, headers=scene.headers["far_inspector"]).status_code == 404
    assert client.get(CAMPAIGNS, headers=scene.headers["far_inspector"]).get_json()["items"] == []
    assert client.get(url, headers=scene.headers["officer"]).status_code == 403
    assert client.get(f"{url}/coverage", headers=scene.headers["officer"]).status_code == 403
    assert client.get(f"{url}/coverage", headers=scene.headers["far_inspector"]).status_code == 404
    assert client.get(f"{CAMPAIGNS}/{uuid.uuid4()}", headers=scene.headers["inspector"]).status_code == 404
    assert client.get(f"{CAMPAIGNS}/x/coverage", headers=scene.headers["inspector"]).status_code == 404
    assert client.get(f"{url}/coverage?group_by=district", headers=scene.headers["inspector"]).status_code == 422
    assert client.get(url).status_code == 401
    # a grid worker counts the targets of their grid only
    grid = client.get(f"{url}/coverage?group_by=grid", headers=scene.headers["grid_worker"]).get_json()
    assert grid["total"]["targeted"] == 2 and [r["key"] for r in grid["rows"]] == [scene.world.grid.code]


def test_coverage_counts_a_submitted_inspection_within_the_dates(client, session, scene, checklist):
    campaign = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]]))
    url = f"{CAMPAIGNS}/{campaign['id']}/coverage"
    empty = client.get(url, headers=scene.headers["supervisor"]).get_json()
    assert empty["total"] == {"targeted": 5, "inspected": 0, "uninspected": 5, "rate": 0.0}
    in_order = sorted(scene.enterprises, key=lambda e: (e.area_path, e.name, e.id))  # by area, then name
    assert [e["id"] for e in empty["uninspected"]] == [e.id for e in in_order]
    for enterprise in scene.enterprises[2:4]:
        body = inspection_body(scene, checklist, enterprise, campaign_id=campaign["id"])
        assert client.post(INSPECTIONS, json=body, headers=scene.headers["inspector"]).status_code == 201
    twice = inspection_body(scene, checklist, scene.enterprises[2], campaign_id=campaign["id"])
    assert client.post(INSPECTIONS, json=twice, headers=scene.headers["inspector"]).status_code == 201
    outside = inspection_body(scene, checklist, scene.enterprises[0])  # not in the campaign
    assert client.post(INSPECTIONS, json=outside, headers=scene.headers["inspector"]).status_code == 201
    report = client.get(f"{url}?group_by=grid", headers=scene.headers["district_supervisor"]).get_json()
    assert report["total"] == {"targeted": 5, "inspected": 2, "uninspected": 3, "rate": 0.4}
    rows = {r["key"]: (r["targeted"], r["inspected"], r["rate"]) for r in report["rows"]}
    assert rows == {scene.world.grid.code: (2, 0, 0.0), scene.grid2.code: (2, 2, 1.0), None: (1, 0, 0.0)}
    assert [r["key"] for r in report["rows"]][-1] is None  # the enterprises outside every grid come last
    uninspected = {e["id"] for e in report["uninspected"]}
    assert uninspected == {scene.enterprises[0].id, scene.enterprises[1].id, scene.enterprises[4].id}
    shown = next(e for e in report["uninspected"] if e["id"] == scene.enterprises[4].id)
    assert shown == {"id": scene.enterprises[4].id, "name": scene.enterprises[4].name,
                     "credit_code": scene.enterprises[4].credit_code,
                     "area": {"code": scene.street2.code, "name": "殿前街道"}}  # fmt: skip


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id": "x"}, "id"),
        ({"name": ""}, "name"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"ends_on": None}, "ends_on"),
        ({"areas": []}, "areas"),
        ({"areas": "350206"}, "areas"),
        ({"areas": ["999999"]}, "areas"),
        ({"areas": ["350206", "350206"]}, "areas"),
        ({"sectors": ["bakery"]}, "sectors"),
        ({"checklist_ids": []}, "checklist_ids"),
        ({"checklist_ids": ["nope"]}, "checklist_ids"),
        ({"enterprise_ids": []}, "enterprise_ids"),
        ({"enterprise_ids": ["1"]}, "enterprise_ids"),
        ({"enterprise_ids": [999999]}, "enterprise_ids"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_campaigns_are_422_with_their_field(client, session, scene, checklist, change, field):
    body = {**campaign_body(scene, [checklist["id"]]), **change}
    response = client.post(CAMPAIGNS, json=body, headers=scene.headers["supervisor"])
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
    assert count(session, Campaign) == 0


def test_rules_of_dates_checklists_and_targets(client, session, scene, checklist):
    today = real_today()
    backwards = campaign_body(scene, [checklist["id"]], starts_on=today.isoformat(),
                              ends_on=(today - timedelta(days=1)).isoformat())  # fmt: skip
    assert (
        "ends_on"
        in client.post(CAMPAIGNS, json=backwards, headers=scene.headers["supervisor"]).get_json()["error"]["fields"]
    )
    endless = campaign_body(scene, [checklist["id"]], ends_on=(today + timedelta(days=1200)).isoformat())
    assert client.post(CAMPAIGNS, json=endless, headers=scene.headers["supervisor"]).status_code == 422
    unknown = campaign_body(scene, [checklist["id"], str(uuid.uuid4())])
    fields = client.post(CAMPAIGNS, json=unknown, headers=scene.headers["supervisor"]).get_json()["error"]["fields"]
    assert fields == {"checklist_ids": {"1": "No such checklist."}}
    nobody = campaign_body(scene, [checklist["id"]], sectors=["fireworks"])
    assert (
        "areas"
        in client.post(CAMPAIGNS, json=nobody, headers=scene.headers["supervisor"]).get_json()["error"]["fields"]
    )
    one_day = made(client, scene, CAMPAIGNS, campaign_body(scene, [checklist["id"]], starts_on=today.isoformat(),
                                                           ends_on=today.isoformat()))  # fmt: skip
    assert one_day["starts_on"] == one_day["ends_on"]
    assert count(session, Campaign) == 1
    f.enterprise(session, scene.grid2)  # registered after the campaign was made: not one of its targets
    session.commit()
    assert client.get(f"{CAMPAIGNS}/{one_day['id']}", headers=scene.headers["supervisor"]).get_json()["targeted"] == 5
