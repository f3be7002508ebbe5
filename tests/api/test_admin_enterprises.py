"""Enterprises one at a time: create with validation named after the body's keys, edit, deactivate (no new
findings name it; old ones keep it), each change in the audit; the sector list."""

import factories as f
import pytest
from admin_support import Admin, audit_rows, credit_code, wrong_check
from helpers import jsonify


@pytest.fixture
def admin(session):
    return Admin(session)

URL = "/api/v1/enterprises"


def _body(admin, **overrides):
    return {"name": "厦门新登记机械有限公司", "credit_code": credit_code(1), "area": admin.world.grid.code,
            "sector": "manufacturing", "address": "湖里区新路1号", "lat": 24.51, "lng": 118.13,
            "contact_name": "李主任", "contact_phone": "0592-5551234", "scale": "small", **overrides}  # fmt: skip


def test_register_an_enterprise(client, session, admin):
    created = client.post(URL, json=_body(admin, sector="危化"), headers=admin.headers)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["credit_code"] == credit_code(1) and body["sector"] == "chemical"
    assert body["sector_name"] == "化工/危险化学品" and body["scale"] == "small" and body["active"] is True
    assert body["area"] == {"code": admin.world.grid.code, "name": admin.world.grid.name, "level": "grid"}
    [change] = audit_rows(session, entity="enterprise")
    assert (change.entity_key, change.action, change.before) == (credit_code(1), "create", None)
    assert change.after["contact_phone"] == "0592-5551234" and change.after["area"] == admin.world.grid.code
    seen = client.get(f"{URL}?q={credit_code(1)}", headers=admin.role_headers["inspector"]).json["items"]
    assert [e["id"] for e in seen] == [body["id"]]


def test_each_bad_field_is_named_as_sent(client, session, admin):
    cases = [
        ({"credit_code": wrong_check(credit_code(1))}, "credit_code", "check character"),
        ({"credit_code": admin.world.enterprise.credit_code}, "credit_code", "Already registered"),
        ({"area": "999999999"}, "area", "No area"),
        ({"area": admin.world.district.code}, "area", "street, community or grid"),
        ({"lat": 60.0}, "lat", "Outside China"),
        ({"lng": 10.0}, "lng", "Outside China"),
        ({"lat": "north"}, "lat", "number"),
        ({"lat": None}, "lat", "both"),
        ({"sector": "航天"}, "sector", "Not a sector"),
        ({"scale": "huge"}, "scale", "large"),
        ({"contact_phone": "ring ring"}, "contact_phone", "phone"),
        ({"name": ""}, "name", "Required"),
    ]
    for overrides, field, words in cases:
        refused = client.post(URL, json=_body(admin, **overrides), headers=admin.headers)
        assert refused.status_code == 422, (overrides, refused.json)
        assert words in str(refused.json["error"]["fields"].get(field)), (overrides, refused.json)
    missing = client.post(URL, json={"name": "x"}, headers=admin.headers)
    assert missing.status_code == 422
    assert {"credit_code", "area", "sector"} <= set(missing.json["error"]["fields"])
    assert audit_rows(session) == []


def test_edit_only_what_is_sent(client, session, admin):
    company = admin.world.enterprise
    before = (company.name, company.lat, company.lng)
    moved = client.patch(f"{URL}/{company.id}", json={"contact_name": "王新", "lat": 24.6}, headers=admin.headers)
    assert moved.status_code == 200, moved.json
    assert moved.json["contact_name"] == "王新" and moved.json["lat"] == 24.6
    assert (moved.json["name"], moved.json["lng"]) == (before[0], before[2])
    [change] = audit_rows(session, entity="enterprise", action="update")
    assert change.before == {"lat": before[1], "contact_name": "张三"}
    assert change.after == {"lat": 24.6, "contact_name": "王新"}
    street = client.patch(f"{URL}/{company.id}", json={"area": admin.world.street.code}, headers=admin.headers)
    assert street.status_code == 200 and street.json["area"]["code"] == admin.world.street.code
    bad = client.patch(f"{URL}/{company.id}", json={"credit_code": admin.world.far_enterprise.credit_code},
                       headers=admin.headers)  # fmt: skip
    assert bad.status_code == 422 and "credit_code" in bad.json["error"]["fields"]
    assert client.patch(f"{URL}/999999", json={"name": "x"}, headers=admin.headers).status_code == 404
    unchanged = client.patch(f"{URL}/{company.id}", json={"contact_name": "王新"}, headers=admin.headers)
    assert unchanged.status_code == 200 and len(audit_rows(session, entity="enterprise")) == 2


def test_a_deactivated_enterprise_takes_no_new_findings(client, session, admin):
    world = admin.world
    inspector = world.user("inspector")
    old = f.report(session, inspector, f.finding_data(world.enterprise))
    session.commit()
    off = client.patch(f"{URL}/{world.enterprise.id}", json={"active": False}, headers=admin.headers)
    assert off.status_code == 200 and off.json["active"] is False
    [change] = audit_rows(session, action="deactivate")
    assert change.before == {"active": True} and change.after == {"active": False}
    headers = f.token_for(session, inspector)
    session.commit()
    refused = client.post("/api/v1/findings", json=jsonify(f.finding_data(world.enterprise)), headers=headers)
    assert refused.status_code == 422 and "enterprise_id" in refused.json["error"]["fields"]
    assert client.get(f"/api/v1/findings/{old.id}", headers=headers).json["enterprise"]["id"] == world.enterprise.id
    listed = [e["id"] for e in client.get(URL, headers=headers).json["items"]]
    assert world.enterprise.id not in listed and world.other_enterprise.id in listed
    everything = client.get(f"{URL}?include_inactive=true&limit=500", headers=admin.headers).json["items"]
    assert world.enterprise.id in [e["id"] for e in everything]


def test_the_sector_list(client, admin):
    items = client.get("/api/v1/sectors", headers=admin.role_headers["inspector"]).json["items"]
    by_code = {s["code"]: s for s in items}
    assert by_code["chemical"]["name_zh"] == "化工/危险化学品" and "危化" in by_code["chemical"]["aliases"]
    assert {"manufacturing", "fire_key_unit", "fireworks", "mining", "road_transport"} <= set(by_code)


def test_an_imported_enterprise_is_the_same_record_as_one_registered_alone(client, session, admin):
    """The import writes with bulk Core statements for speed (docs/benchmarks.md); what it writes must be what the
    one-at-a-time verb writes for the same facts."""
    from admin_support import ENTERPRISE_HEADERS, csv_bytes, upload

    alone = _body(admin, credit_code=credit_code(1))
    alone.pop("scale")  # the sheet's columns have no scale
    assert client.post(URL, json=alone, headers=admin.headers).status_code == 201
    row = [alone["name"], credit_code(2), alone["area"], "制造业", alone["address"], alone["lng"], alone["lat"]]
    sheet = [ENTERPRISE_HEADERS, [*row, alone["contact_name"], alone["contact_phone"]]]
    imported = upload(client, f"{URL}/import", admin.headers, csv_bytes(sheet), name="one.csv")
    assert imported.status_code == 200 and imported.json["created"] == 1, imported.json

    def record(code):
        [item] = client.get(f"{URL}?q={code}", headers=admin.headers).json["items"]
        return {k: v for k, v in item.items() if k not in ("id", "credit_code")}

    assert record(credit_code(2)) == record(credit_code(1))
    changes = {c.entity_key: c for c in audit_rows(session, entity="enterprise")}
    assert changes[credit_code(2)].after["name"] == changes[credit_code(1)].after["name"]  # both audited
