"""Users, as an admin keeps them: create, list with filters, edit, reset a password, deactivate (which ends every
session and token at once), each change in the audit."""

import factories as f
import pytest
from admin_support import Admin, audit_rows, fresh
from sqlalchemy import select

from app.models import ApiToken, User, UserSession
from app.services.accounts import authenticate


@pytest.fixture
def admin(session):
    return Admin(session)

URL = "/api/v1/users"
SECRET = "a perfectly long secret"


def _create(client, admin, **body):
    return client.post(URL, json={"username": "wang.li", "password": SECRET, "role": "inspector",
                                  "area": admin.world.district.code, **body}, headers=admin.headers)  # fmt: skip


def test_an_admin_creates_an_inspector_who_must_change_the_password(client, session, admin):
    created = _create(client, admin, display_name="王力")
    assert created.status_code == 201, created.json
    body = created.json
    assert body["username"] == "wang.li" and body["display_name"] == "王力" and body["role"] == "inspector"
    assert body["area"]["code"] == admin.world.district.code and body["enterprise"] is None
    assert body["active"] is True and body["must_change_password"] is True
    assert "password_hash" not in body and SECRET not in created.get_data(as_text=True)
    user = session.get(User, body["id"])
    assert authenticate(session, "wang.li", SECRET).id == user.id
    [change] = audit_rows(session, entity="user")
    assert (change.actor_id, change.entity_key, change.action, change.before) == (admin.admin.id, "wang.li",
                                                                                  "create", None)  # fmt: skip
    assert change.after == {"username": "wang.li", "display_name": "王力", "role": "inspector",
                            "area": admin.world.district.code, "enterprise": None, "active": True}  # fmt: skip


def test_an_officer_takes_the_enterprise_area_unless_told(client, session, admin):
    company = admin.world.enterprise
    created = _create(client, admin, role="enterprise_officer", area=None, enterprise_id=company.id,
                      must_change_password=False)  # fmt: skip
    assert created.status_code == 201, created.json
    assert created.json["enterprise"] == {"id": company.id, "name": company.name, "credit_code": company.credit_code}
    assert created.json["area"]["code"] == company.area.code and created.json["must_change_password"] is False


def test_create_names_each_bad_field(client, session, admin):
    cases = [
        ({"username": "王"}, "username"),
        ({"username": admin.admin.username}, "username"),
        ({"role": "boss"}, "role"),
        ({"area": "999999"}, "area"),
        ({"area": None}, "area"),
        ({"password": "short"}, "password"),
        ({"password": "wang.li is my name"}, "password"),
        ({"role": "enterprise_officer"}, "enterprise_id"),
        ({"enterprise_id": admin.world.enterprise.id}, "enterprise_id"),
        ({"enterprise_id": "7"}, "enterprise_id"),
    ]
    for body, field in cases:
        refused = _create(client, admin, **body)
        assert refused.status_code == 422, (body, refused.json)
        assert field in refused.json["error"]["fields"], (body, refused.json)
    assert audit_rows(session) == []
    assert session.scalar(select(User.id).where(User.username == "wang.li")) is None


def test_the_list_filters_and_pages(client, session, admin):
    world = admin.world
    other = world.user("inspector", area=world.other_district)
    session.commit()
    everyone = client.get(URL, headers=admin.headers).json
    assert len(everyone["items"]) == 6 and everyone["next_cursor"] is None
    inspectors = client.get(f"{URL}?role=inspector", headers=admin.headers).json["items"]
    assert {u["area"]["code"] for u in inspectors} == {world.district.code, world.other_district.code}
    in_district = client.get(f"{URL}?area={world.district.code}", headers=admin.headers).json["items"]
    assert other.id not in [u["id"] for u in in_district]
    assert {u["role"] for u in in_district} == {"inspector", "grid_worker", "enterprise_officer"}
    officers = client.get(f"{URL}?enterprise_id={world.enterprise.id}", headers=admin.headers).json["items"]
    assert [u["role"] for u in officers] == ["enterprise_officer"]
    found = client.get(f"{URL}?q={other.username[-3:]}", headers=admin.headers).json["items"]
    assert other.id in [u["id"] for u in found]
    pages, cursor = [], None
    while True:
        page = client.get(f"{URL}?limit=2" + (f"&cursor={cursor}" if cursor else ""), headers=admin.headers).json
        pages.append([u["id"] for u in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    ids = [i for page in pages for i in page]
    assert [len(p) for p in pages] == [2, 2, 2] and sorted(ids) == ids
    assert client.get(f"{URL}?cursor=abc", headers=admin.headers).status_code == 400
    assert client.get(f"{URL}?active=false", headers=admin.headers).json["items"] == []


def test_edit_role_area_and_name(client, session, admin):
    world = admin.world
    officer = world.user("enterprise_officer")
    session.commit()
    changed = client.patch(f"{URL}/{officer.id}", json={"role": "inspector", "area": world.other_district.code,
                                                          "display_name": "新名字"}, headers=admin.headers)  # fmt: skip
    assert changed.status_code == 200, changed.json
    assert changed.json["role"] == "inspector" and changed.json["enterprise"] is None  # an officer no more
    assert changed.json["area"]["code"] == world.other_district.code and changed.json["display_name"] == "新名字"
    [change] = audit_rows(session, entity="user", action="update")
    assert change.before == {"display_name": officer.username, "role": "enterprise_officer",
                             "area": world.enterprise.area.code, "enterprise": world.enterprise.credit_code}
    assert change.after == {"display_name": "新名字", "role": "inspector", "area": world.other_district.code,
                            "enterprise": None}  # fmt: skip
    back = client.patch(f"{URL}/{officer.id}", json={"role": "enterprise_officer"}, headers=admin.headers)
    assert back.status_code == 422 and "enterprise_id" in back.json["error"]["fields"]
    admin_without_area = client.patch(f"{URL}/{officer.id}", json={"area": None}, headers=admin.headers)
    assert admin_without_area.status_code == 422 and "area" in admin_without_area.json["error"]["fields"]
    assert client.patch(f"{URL}/999999", json={"display_name": "x"}, headers=admin.headers).status_code == 404


def test_a_reset_password_must_be_changed_and_ends_the_old_sessions(client, session, admin):
    inspector = admin.world.user("inspector")
    headers = f.token_for(session, inspector)
    session.commit()
    weak = client.patch(f"{URL}/{inspector.id}", json={"password": "12345"}, headers=admin.headers)
    assert weak.status_code == 422 and "password" in weak.json["error"]["fields"]
    reset = client.patch(f"{URL}/{inspector.id}", json={"password": "brand new secret 1"}, headers=admin.headers)
    assert reset.status_code == 200 and reset.json["must_change_password"] is True
    assert client.get("/api/v1/findings", headers=headers).status_code == 401  # the old token is revoked
    fresh(session)
    assert authenticate(session, inspector.username, "brand new secret 1") is not None
    [change] = audit_rows(session, action="reset_password")
    assert change.entity_key == inspector.username and change.after["must_change_password"] is True
    assert "brand new" not in str(change.after)


def test_deactivation_ends_every_session_and_token_at_once(client, session, admin):
    inspector = admin.world.user("inspector")
    token_headers = [f.token_for(session, inspector) for _ in range(2)]
    session.commit()
    login = client.post("/api/v1/auth/login", json={"username": inspector.username, "password": f.PASSWORD})
    assert login.status_code == 200, login.json
    cookie_client = client  # the test client keeps the session cookie
    assert cookie_client.get("/api/v1/me").status_code == 200
    done = client.patch(f"{URL}/{inspector.id}", json={"active": False}, headers=admin.headers)
    assert done.status_code == 200 and done.json["active"] is False
    for headers in token_headers:
        assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert cookie_client.get("/api/v1/me").status_code == 401
    fresh(session)
    for model in (ApiToken, UserSession):
        rows = session.scalars(select(model).where(model.user_id == inspector.id)).all()
        assert rows and all(row.revoked_at is not None for row in rows)
    [change] = audit_rows(session, action="deactivate")
    assert change.before == {"active": True}
    assert change.after == {"active": False, "sessions_ended": 1, "tokens_revoked": 2}
    again = client.patch(f"{URL}/{inspector.id}", json={"active": True}, headers=admin.headers)
    assert again.status_code == 200, again.json
    assert again.json["active"] is True and audit_rows(session, action="activate")


def test_an_admin_cannot_lock_themself_out(client, session, admin):
    me = admin.admin.id
    for body, field in (({"active": False}, "active"), ({"role": "inspector", "area": "350206"}, "role")):
        refused = client.patch(f"{URL}/{me}", json=body, headers=admin.headers)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.json
