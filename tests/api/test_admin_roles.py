"""Every admin endpoint answers 401 to a request that is not signed in and 403 to every role but admin, and
changes nothing for them; an admin gets through."""

import pytest
from admin_support import OTHER_ROLES, Admin, audit_rows, reference_restored, upload, xlsx_bytes

from app.models import Category


@pytest.fixture
def admin(session):
    return Admin(session)


@pytest.fixture(autouse=True)
def _reference_lists_put_back():
    yield from reference_restored()

SHEET = xlsx_bytes([["企业名称"]])
# method, url, what is sent: a JSON body, a file, or nothing
ENDPOINTS = [
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"username": "newbie", "password": "a fine long secret", "role": "admin"}),
    ("GET", "/api/v1/users/{user}", None),
    ("PATCH", "/api/v1/users/{user}", {"display_name": "改名"}),
    ("POST", "/api/v1/users/import", "file"),
    ("POST", "/api/v1/areas", {"code": "350206002", "name": "新街道", "level": "street", "parent": "350206"}),
    ("PATCH", "/api/v1/areas/350206", {"name": "改名"}),
    ("POST", "/api/v1/areas/import", "file"),
    ("POST", "/api/v1/enterprises", {"name": "x"}),
    ("PATCH", "/api/v1/enterprises/{enterprise}", {"name": "改名"}),
    ("POST", "/api/v1/enterprises/import", "file"),
    ("POST", "/api/v1/categories", {"code": "new_cat", "name_zh": "新", "name_en": "New"}),
    ("PATCH", "/api/v1/categories/fire", {"name_en": "Fire!"}),
    ("POST", "/api/v1/criteria", {"code": "new_crit", "title": "新标准"}),
    ("PATCH", "/api/v1/criteria/gongmao_2023", {"title": "改名"}),
    ("GET", "/api/v1/admin/audit", None),
]


def _send(client, admin, method, url, body, headers):
    url = url.format(user=admin.admin.id, enterprise=admin.world.enterprise.id)
    if body == "file":
        return upload(client, url, headers, SHEET)
    return client.open(url, method=method, json=body, headers=headers)


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=[f"{m} {u}" for m, u, _ in ENDPOINTS])
def test_only_an_admin_gets_in(client, session, admin, method, url, body):
    anonymous = _send(client, admin, method, url, body, {})
    assert anonymous.status_code == 401, anonymous.json
    assert anonymous.json["error"]["code"] == "unauthorized"
    for role in OTHER_ROLES:
        refused = _send(client, admin, method, url, body, admin.role_headers[role])
        assert refused.status_code == 403, (role, refused.json)
        assert refused.json["error"]["code"] == "forbidden"
    assert audit_rows(session) == []
    assert session.get(Category, 1).name_en == "Fire safety"
    allowed = _send(client, admin, method, url, body, admin.headers)
    assert allowed.status_code not in (401, 403), allowed.json


def test_the_openapi_document_describes_every_admin_endpoint(client):
    spec = client.get("/api/v1/openapi.json").json
    for method, url, _ in ENDPOINTS:
        path = url.replace("{user}", "{user_id}").replace("{enterprise}", "{enterprise_id}")
        path = path.replace("350206", "{code}").replace("/fire", "/{code}").replace("/gongmao_2023", "/{code}")
        operation = spec["paths"][path][method.lower()]
        assert "Admins only" in operation["description"], path
    upload_body = spec["paths"]["/api/v1/enterprises/import"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body
    rejected = spec["paths"]["/api/v1/enterprises/import"]["post"]["responses"]["422"]
    assert rejected["content"]["application/json"]["schema"]["$ref"].endswith("ImportRejected")
