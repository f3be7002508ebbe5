"""GET /api/v1/admin/audit: every administrative change, newest first, keyset paged, filtered by entity, actor
and key."""

import factories as f
import pytest
from admin_support import Admin, audit_rows

from app.domain.calendar import utcnow
from app.services.admin import audit


@pytest.fixture
def admin(session):
    return Admin(session)

URL = "/api/v1/admin/audit"


def _names(client, admin, n: int) -> None:
    for i in range(n):
        response = client.patch(f"/api/v1/areas/{admin.world.street.code}", json={"name": f"街道{i}"},
                                headers=admin.headers)  # fmt: skip
        assert response.status_code == 200


def test_newest_first_in_pages_that_neither_skip_nor_repeat(client, session, admin):
    _names(client, admin, 5)
    seen, cursor = [], None
    while True:
        page = client.get(URL + "?limit=2" + (f"&cursor={cursor}" if cursor else ""), headers=admin.headers).json
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [c["after"]["name"] for c in seen] == ["街道4", "街道3", "街道2", "街道1", "街道0"]
    first = seen[0]
    assert first["entity"] == "area" and first["key"] == admin.world.street.code and first["action"] == "update"
    assert first["before"] == {"name": "街道3"}
    assert first["actor"] == {"id": admin.admin.id, "username": admin.admin.username,
                              "display_name": admin.admin.display_name}  # fmt: skip
    assert first["at"].endswith("+00:00")
    bad = client.get(URL + "?cursor=not-a-cursor", headers=admin.headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_cursor"
    assert "cursor" in bad.json["error"]["fields"]


def test_filters(client, session, admin):
    _names(client, admin, 2)
    other_admin = admin.world.user("admin")
    headers = f.token_for(session, other_admin)
    audit.record(session, None, "token", "someone", "revoke", None, {"tokens": 1}, now=utcnow())  # a command line
    session.commit()
    client.patch("/api/v1/categories/fire", json={"name_en": "Fire safety"}, headers=headers)  # no change: no row
    client.post("/api/v1/users", json={"username": "zhang", "password": "a long enough secret", "role": "admin"},
                headers=headers)  # fmt: skip

    def keys(query):
        return [(c["entity"], c["key"]) for c in client.get(URL + query, headers=admin.headers).json["items"]]

    assert keys("?entity=user") == [("user", "zhang")]
    assert keys(f"?actor={other_admin.username}") == [("user", "zhang")]
    assert keys("?actor=-") == [("token", "someone")]
    assert keys(f"?key={admin.world.street.code}") == [("area", admin.world.street.code)] * 2
    assert client.get(URL + "?entity=planet", headers=admin.headers).status_code == 422
    assert len(audit_rows(session)) == 4
