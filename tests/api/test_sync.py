"""GET /api/v1/sync: keyset pages of changed findings for the PWA's offline cache, in the caller's scope,
with a cursor that lags behind the clock so a slow write is never skipped."""

import base64
import json
import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import event, real_today

import app.api.sync as sync_api
from app.domain.calendar import utcnow
from app.read.sync import SETTLE_WINDOW

SYNC = "/api/v1/sync"


@pytest.fixture
def scene(session):
    """Findings changed an hour ago, well behind the settle window: a full sync ends on an exact cursor."""
    world = f.World(session)
    inspector, grid = world.user("inspector"), world.user("grid_worker")
    start = utcnow() - timedelta(hours=1)
    ours = []
    for i in range(7):  # pairs share updated_at: the order must still be total, by id
        at = start + timedelta(minutes=i // 2)
        ours.append(f.report(session, inspector, f.finding_data(world.enterprise, observed_at=at), at))
    at = start + timedelta(minutes=10)
    neighbour = f.report(session, inspector, f.finding_data(world.other_enterprise, observed_at=at), at)
    untriaged = f.report(session, grid, f.finding_data(world.enterprise, observed_at=at), at)
    city_inspector = world.user("inspector", area=world.city)
    far = f.report(session, city_inspector, f.finding_data(world.far_enterprise, observed_at=at), at)
    users = {
        "inspector": inspector,
        "grid_worker": grid,
        "supervisor": world.user("supervisor"),
        "enterprise_officer": world.user("enterprise_officer"),
        "admin": world.user("admin"),
    }
    headers = {role: f.token_for(session, who) for role, who in users.items()}
    session.commit()
    return {
        "world": world,
        "ours": ours,
        "neighbour": neighbour,
        "untriaged": untriaged,
        "far": far,
        "headers": headers,
        "inspector": inspector,
    }


def sync_page(client, headers, cursor=None, limit=None) -> dict:
    query = {k: v for k, v in (("cursor", cursor), ("limit", limit)) if v is not None}
    response = client.get(SYNC, query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) == {"findings", "next_cursor", "more"}
    assert isinstance(body["next_cursor"], str) and body["next_cursor"]
    return body


def sync_run(client, headers, cursor=None, limit=None) -> tuple[list[dict], str, int]:
    """What a client does: loop while `more`; return the findings, the cursor to keep and the page count."""
    got, pages = [], 0
    while True:
        body = sync_page(client, headers, cursor, limit)
        got += body["findings"]
        cursor, pages = body["next_cursor"], pages + 1
        if not body["more"]:
            return got, cursor, pages


def ids_of(items) -> list[str]:
    return [item["id"] for item in items]


def order_key(item) -> tuple:
    return item["updated_at"], uuid.UUID(item["id"])


def test_first_sync_pages_through_everything_visible_oldest_change_first(client, scene):
    headers = scene["headers"]["supervisor"]
    got, cursor, pages = sync_run(client, headers, limit=3)
    assert pages == 4  # 10 findings, 3 a page: every page but the last said more=true
    assert len(got) == len(set(ids_of(got))) == 10
    assert got == sorted(got, key=order_key)
    # The same item shape, allowed_actions included, as the list endpoint gives for the same caller.
    listed = client.get("/api/v1/findings?limit=200", headers=headers).json["items"]
    assert sorted(got, key=lambda i: i["id"]) == sorted(listed, key=lambda i: i["id"])
    assert all(item["allowed_actions"] for item in got)
    # Nothing changed since: nothing comes, and the cursor handed back is the one sent.
    again = sync_page(client, headers, cursor)
    assert again == {"findings": [], "next_cursor": cursor, "more": False}


def test_a_page_of_one_still_moves_forward_through_ties(client, scene):
    got, _, pages = sync_run(client, scene["headers"]["inspector"], limit=1)
    assert pages == 9  # the last one fetched one row where it asked for two: more=false, no empty page
    assert ids_of(got) == ids_of(sorted(got, key=order_key)) and len(set(ids_of(got))) == 9


def test_the_next_sync_brings_just_the_finding_that_changed(client, scene):
    officer, supervisor = scene["headers"]["enterprise_officer"], scene["headers"]["supervisor"]
    got, cursor, _ = sync_run(client, officer)
    target = scene["ours"][3]
    before = next(item for item in got if item["id"] == str(target.id))
    voided = client.post(
        f"/api/v1/findings/{target.id}/events",
        json=event("void", target.version, reason="重复上报"),
        headers=supervisor,
    )
    assert voided.status_code == 201, voided.json
    body = sync_page(client, officer, cursor)
    assert ids_of(body["findings"]) == [str(target.id)] and body["more"] is False
    item = body["findings"][0]
    assert item["status"] == "voided" and item["version"] == target.version + 1
    assert item["void_reason"] == "重复上报"
    assert "acknowledge" in before["allowed_actions"] and "acknowledge" not in item["allowed_actions"]
    assert body["next_cursor"] != cursor


@pytest.mark.parametrize("role", ["inspector", "grid_worker", "supervisor", "enterprise_officer", "admin"])
def test_each_role_syncs_exactly_what_it_may_list(client, scene, role):
    headers = scene["headers"][role]
    got, _, _ = sync_run(client, headers, limit=4)
    listed = client.get("/api/v1/findings?limit=200", headers=headers).json["items"]
    assert sorted(ids_of(got)) == sorted(ids_of(listed)) and got


def test_an_officer_gets_only_its_enterprise_and_no_untriaged_report(client, session, scene):
    officer = scene["headers"]["enterprise_officer"]
    got, cursor, _ = sync_run(client, officer)
    assert set(ids_of(got)) == {str(x.id) for x in scene["ours"]}
    for other in ("neighbour", "far", "untriaged"):
        assert str(scene[other].id) not in ids_of(got), other
    # Once an inspector confirms the grid worker's report, it enters the officer's scope, and its sync.
    report = scene["untriaged"]
    confirmed = client.post(
        f"/api/v1/findings/{report.id}/events",
        json=event("confirm", report.version, deadline=real_today() + timedelta(days=5)),
        headers=scene["headers"]["inspector"],
    )
    assert confirmed.status_code == 201, confirmed.json
    body = sync_page(client, officer, cursor)
    assert ids_of(body["findings"]) == [str(report.id)]
    assert body["findings"][0]["status"] == "rectifying"


def _b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


HEX = uuid.uuid4().hex
BAD_CURSORS = {
    "garbage": "garbage",
    "not_base64": "%%%%",
    "nul": "AAAA\x00",
    "too_long": "A" * 600,
    "json_object": _b64({"cursor": 1}),
    "json_number": _b64(12),
    "wrong_tag": _b64(["list", "2026-01-01T00:00:00+00:00", HEX, None]),
    "time_not_text": _b64(["sync1", 1767225600, HEX, None]),
    "time_without_offset": _b64(["sync1", "2026-01-01T00:00:00", HEX, None]),
    "time_out_of_range": _b64(["sync1", "0001-01-01T00:00:00+14:00", HEX, None]),
    "id_not_hex": _b64(["sync1", "2026-01-01T00:00:00+00:00", "z" * 32, None]),
    "id_a_number": _b64(["sync1", "2026-01-01T00:00:00+00:00", 7, None]),
    "horizon_garbage": _b64(["sync1", "2026-01-01T00:00:00+00:00", HEX, "soon"]),
}


@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
def test_a_bad_cursor_is_400_with_the_field_named(client, scene, cursor):
    response = client.get(SYNC, query_string={"cursor": cursor}, headers=scene["headers"]["supervisor"])
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "invalid_cursor" and "cursor" in response.json["error"]["fields"]


def test_a_cursor_from_elsewhere_or_damaged_is_refused(client, scene):
    headers = scene["headers"]["supervisor"]
    list_cursor = client.get("/api/v1/findings?limit=2", headers=headers).json["next_cursor"]
    ours = sync_page(client, headers, limit=2)["next_cursor"]
    for cursor in (list_cursor, ours[:-3], ours[:10] + "!" + ours[11:]):
        response = client.get(SYNC, query_string={"cursor": cursor}, headers=headers)
        assert response.status_code == 400 and "cursor" in response.json["error"]["fields"], cursor


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten", str(2**70)])
def test_a_limit_out_of_bounds_is_422_like_the_list(client, scene, limit):
    response = client.get(SYNC, query_string={"limit": limit}, headers=scene["headers"]["supervisor"])
    assert response.status_code == 422 and "limit" in response.json["error"]["fields"]


def test_the_limit_bounds_themselves_work(client, scene):
    headers = scene["headers"]["supervisor"]
    assert len(sync_page(client, headers, limit=1)["findings"]) == 1
    assert len(sync_page(client, headers, limit=500)["findings"]) == 10
    assert len(sync_page(client, headers)["findings"]) == 10  # default 200


def test_sync_needs_a_signed_in_caller_by_token_or_cookie(client, scene):
    for query in ({}, {"cursor": "garbage"}, {"limit": "0"}):
        response = client.get(SYNC, query_string=query)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    login = client.post("/api/v1/auth/login", json={"username": scene["inspector"].username, "password": f.PASSWORD})
    assert login.status_code == 200
    assert len(sync_page(client, {})["findings"]) == 9  # the cookie session, no header


# --- the lag: a write that commits late, behind rows already handed out, is not lost -----------------------


def test_a_write_committing_behind_a_handed_out_row_comes_on_the_next_sync(client, session, scene, monkeypatch):
    headers, world = scene["headers"]["supervisor"], scene["world"]
    _, cursor, _ = sync_run(client, headers)
    now = utcnow()
    fast = f.report(session, scene["inspector"], f.finding_data(world.enterprise, observed_at=now), now)
    session.commit()
    first = sync_page(client, headers, cursor)
    assert ids_of(first["findings"]) == [str(fast.id)]
    # A slower writer stamped its row two seconds before `fast` but commits only now, after that sync.
    late_at = now - timedelta(seconds=2)
    slow = f.report(session, scene["inspector"], f.finding_data(world.enterprise, observed_at=late_at), late_at)
    session.commit()
    second = sync_page(client, headers, first["next_cursor"])
    # Not lost: the cursor stayed SETTLE_WINDOW behind the clock, so `fast` comes again (a harmless upsert).
    assert ids_of(second["findings"]) == [str(slow.id), str(fast.id)]
    # Once the window has passed, the last delivery happens, the cursor settles and quiet syncs are empty.
    later = now + SETTLE_WINDOW + timedelta(seconds=2)
    monkeypatch.setattr(sync_api, "utcnow", lambda: later)
    third = sync_page(client, headers, second["next_cursor"])
    assert ids_of(third["findings"]) == [str(slow.id), str(fast.id)]
    settled = sync_page(client, headers, third["next_cursor"])
    assert settled == {"findings": [], "next_cursor": third["next_cursor"], "more": False}


def test_a_late_commit_behind_the_page_position_mid_run_comes_on_the_next_run(client, session, scene, monkeypatch):
    headers, world, inspector = scene["headers"]["supervisor"], scene["world"], scene["inspector"]
    _, cursor, _ = sync_run(client, headers)
    now = utcnow()
    recent = []
    for seconds in (4, 3, 2, 1):
        at = now - timedelta(seconds=seconds)
        recent.append(f.report(session, inspector, f.finding_data(world.enterprise, observed_at=at), at))
    session.commit()
    page = sync_page(client, headers, cursor, limit=2)
    assert ids_of(page["findings"]) == [str(x.id) for x in recent[:2]] and page["more"] is True
    late_at = now - timedelta(seconds=3, milliseconds=500)  # between the two rows just handed out
    late = f.report(session, inspector, f.finding_data(world.enterprise, observed_at=late_at), late_at)
    session.commit()
    # A slow phone: the rest of the run comes after the window. The run's horizon is still its first page's.
    later = now + SETTLE_WINDOW + timedelta(seconds=2)
    monkeypatch.setattr(sync_api, "utcnow", lambda: later)
    rest, kept, _ = sync_run(client, headers, page["next_cursor"], limit=2)
    assert ids_of(rest) == [str(x.id) for x in recent[2:]]  # the run goes on forward, past `late`
    following, settled, _ = sync_run(client, headers, kept, limit=2)
    assert str(late.id) in ids_of(following)
    assert set(ids_of(following)) <= {str(x.id) for x in [*recent, late]}  # only recent changes come again
    assert sync_run(client, headers, settled)[0] == []  # past the window, the cursor settles
