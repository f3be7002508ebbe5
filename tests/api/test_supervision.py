"""Issue 12, acceptance 5 (挂牌督办) over HTTP: a supervisor lists a major hazard being rectified; the register
(`GET /api/v1/supervisions`) shows it with its filters; its 督办期限 moves only with an approved extension; it is
approved only on site within 500 m of the enterprise (or with a reason), and the approval delists it (摘牌) in
the same event; the history shows each step."""

import uuid
from datetime import UTC, datetime

import factories as f
import pytest
from helpers import event
from rule_scene import act, cast, days, detail, events_of, history, join, major, rectifying, refused, step, to_review
from sqlalchemy import func, select, update

from app.models import Enterprise, Finding, Supervision

REGISTER = "/api/v1/supervisions"
NEAR_M = 0.003  # about 330 m of latitude
FAR_M = 0.006  # about 670 m


def listing(**overrides) -> dict:
    return {
        "level": "city",
        "authority": "厦门市安全生产委员会办公室",
        "document_no": "厦安办督〔2026〕12号",
        "leader": "王副市长",
        "public": True,
        "lead_department": "湖里区应急管理局",
        **overrides,
    }


def planned_major(c, deadline=None) -> uuid.UUID:
    """A major hazard being rectified, its treatment plan in (so it can be handed in for review)."""
    finding = major(c, deadline=deadline)
    step(c, "officer", finding, "submit_plan", plan={**f.PLAN, "time_limit": days(10)})
    return finding


def handed_in(c, finding) -> None:
    """The officer hands in the fix through the service. The test's session may hold the finding as it was before
    the requests since (a rollback with no transaction open expires nothing), so it forgets what it holds first."""
    c.session.expire_all()
    to_review(c, finding)


def list_it(client, c, finding, who="supervisor", **overrides):
    return act(client, c, who, finding, "list_supervision", **listing(**overrides))


def listed_major(client, c, **overrides) -> uuid.UUID:
    finding = planned_major(c)
    response = list_it(client, c, finding, **overrides)
    assert response.status_code == 201, response.json
    return finding


def at_enterprise(c, dlat: float = 0.0) -> dict:
    e = c.world.enterprise
    return {"lat": e.lat + dlat, "lng": e.lng, "accuracy_m": 10.0, "source": "gps"}


def the_register(client, c, who="supervisor", **query) -> list[dict]:
    response = client.get(REGISTER, query_string={"limit": 200, **query}, headers=c.headers[who])
    assert response.status_code == 200, response.json
    return response.json["items"]


def register_ids(client, c, who="supervisor", **query) -> list[str]:
    return [row["finding"]["id"] for row in the_register(client, c, who, **query)]


def listings(session, finding) -> list[Supervision]:
    session.rollback()
    query = select(Supervision).where(Supervision.finding_id == uuid.UUID(str(finding))).order_by(Supervision.id)
    return list(session.scalars(query))


# --- listing ------------------------------------------------------------------------------------------------


def test_a_supervisor_lists_a_major_hazard_and_the_register_shows_it(client, session):
    c = cast(session)
    finding = planned_major(c, deadline=days(20))
    before = detail(client, c, "supervisor", finding)
    assert "list_supervision" in before["allowed_actions"] and before["supervision"] is None

    response = list_it(client, c, finding)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "rectifying" and body["version"] == before["version"] + 1
    assert body["supervision_level"] == "city" and "list_supervision" not in body["allowed_actions"]
    shown = body["supervision"]
    assert {k: shown[k] for k in listing()} == listing()
    assert shown["status"] == "listed" and shown["listed_by"]["id"] == c.users["supervisor"].id
    assert shown["delisted_at"] is None

    [row] = the_register(client, c)
    assert row["finding"]["id"] == str(finding) and row["finding"]["number"] == body["number"]
    assert row["finding"]["enterprise"]["name"] == c.world.enterprise.name
    assert row["finding"]["major_basis"]["criterion"] == "gongmao_2023"
    assert row["finding"]["major_basis"]["clause"] == "第四条(一)"
    assert row["deadline"] == days(20).isoformat() and row["days_left"] == 20
    assert row["overdue"] is False and row["days_overdue"] == 0
    assert row["supervision"]["document_no"] == "厦安办督〔2026〕12号" and row["supervision"]["status"] == "listed"

    [listed] = [e for e in history(client, c, "supervisor", finding) if e["action"] == "list_supervision"]
    assert listed["payload"]["document_no"] == "厦安办督〔2026〕12号" and listed["to_state"] == "rectifying"
    assert [s.listed_event_id for s in listings(session, finding)] == [uuid.UUID(listed["id"])]
    # the enterprise sees its hazard is listed, in its own detail
    assert detail(client, c, "officer", finding)["supervision"]["level"] == "city"


def test_a_listing_is_idempotent_on_its_event_id(client, session):
    c = cast(session)
    finding = planned_major(c)
    version = detail(client, c, "supervisor", finding)["version"]
    body = event("list_supervision", version, **listing())
    url = f"/api/v1/findings/{finding}/events"
    first = client.post(url, json=body, headers=c.headers["supervisor"])
    again = client.post(url, json=body, headers=c.headers["supervisor"])
    assert (first.status_code, again.status_code) == (201, 200), again.json
    assert again.json["version"] == first.json["version"] and len(listings(session, finding)) == 1
    changed = client.post(url, json={**body, "leader": "另一位领导"}, headers=c.headers["supervisor"])
    refused(changed, 409, "conflict")
    stale = act(client, c, "supervisor", finding, "list_supervision", version=version, **listing())
    refused(stale, 409, "stale")
    assert len(listings(session, finding)) == 1


@pytest.mark.parametrize("missing", ["authority", "document_no", "leader"])
def test_a_listing_without_its_authority_document_or_leader_is_422(client, session, missing):
    c = cast(session)
    finding = planned_major(c)
    before = events_of(session, finding)
    error = refused(list_it(client, c, finding, **{missing: "  "}), 422, "validation_error")
    assert missing in error["fields"]
    bare = {k: v for k, v in listing().items() if k != missing}
    error = refused(act(client, c, "supervisor", finding, "list_supervision", **bare), 422, "validation_error")
    assert set(error["fields"]) == {missing}
    assert events_of(session, finding) == before and listings(session, finding) == []


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"level": "major"}, "level"),  # the finding's level, not a listing's
        ({"level": "national"}, "level"),
        ({"public": "perhaps"}, "public"),
        ({"document_no": "文" * 101}, "document_no"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_listing_fields_are_422_with_fields(client, session, fields, bad):
    c = cast(session)
    finding = planned_major(c)
    error = refused(list_it(client, c, finding, **fields), 422, "validation_error")
    assert bad in error["fields"], error


def test_a_confirm_cannot_take_a_listing_level(client, session):
    c = cast(session)
    report = f.report(session, c.users["grid_worker"], f.finding_data(c.world.enterprise))
    session.commit()
    response = act(client, c, "supervisor", report.id, "confirm", deadline=days(7), level="city")
    assert set(refused(response, 422, "validation_error")["fields"]) == {"level"}


def test_only_a_supervisor_lists(client, session):
    c = cast(session)
    finding = planned_major(c)
    join(c, "admin", c.world.user("admin"))
    for who in ("inspector", "officer", "admin"):
        refused(list_it(client, c, finding, who=who), 403, "forbidden")
    refused(list_it(client, c, finding, who="grid_worker"), 403, "forbidden")
    assert listings(session, finding) == []


def test_only_a_major_hazard_being_rectified_and_not_yet_listed_is_listed(client, session):
    c = cast(session)
    general = rectifying(c)
    refused(list_it(client, c, general), 409, "invalid_transition")
    listed = listed_major(client, c)
    refused(list_it(client, c, listed, document_no="厦安办督〔2026〕13号"), 409, "invalid_transition")
    in_review = planned_major(c)
    handed_in(c, in_review)
    refused(list_it(client, c, in_review), 409, "invalid_transition")
    assert len(listings(session, listed)) == 1 and listings(session, in_review) == []


def test_another_districts_supervisor_neither_sees_nor_lists_it(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    join(c, "elsewhere", c.world.user("supervisor", area=c.world.other_district))
    join(c, "district", c.world.user("supervisor", area=c.world.district))
    assert client.get(f"/api/v1/findings/{finding}", headers=c.headers["elsewhere"]).status_code == 404
    refused(list_it(client, c, finding, who="elsewhere"), 404, "not_found")
    assert register_ids(client, c, "elsewhere") == []
    assert register_ids(client, c, "district") == [str(finding)]


# --- the 督办期限 ---------------------------------------------------------------------------------------------


def test_an_approved_extension_moves_the_term_a_rejection_may_not(client, session):
    c = cast(session)
    finding = planned_major(c, deadline=days(20))
    assert list_it(client, c, finding).status_code == 201
    asked = act(client, c, "officer", finding, "request_extension", new_deadline=days(40), reason="设备到货延迟")
    assert asked.status_code == 201, asked.json
    granted = act(client, c, "supervisor", finding, "decide_extension", approved=True, granted_deadline=days(35))
    assert granted.status_code == 201, granted.json
    [row] = the_register(client, c)
    assert row["deadline"] == days(35).isoformat() and row["days_left"] == 35

    handed_in(c, finding)
    moved = act(client, c, "supervisor", finding, "reject", comment="防爆电机未更换", new_deadline=days(60))
    error = refused(moved, 422, "validation_error")
    assert set(error["fields"]) == {"new_deadline"} and "extension" in error["message"]
    kept = act(client, c, "supervisor", finding, "reject", comment="防爆电机未更换")
    assert kept.status_code == 201, kept.json
    assert kept.json["deadline"] == days(35).isoformat() and kept.json["supervision_level"] == "city"
    assert the_register(client, c)[0]["deadline"] == days(35).isoformat()


def test_an_unlisted_finding_may_still_get_a_new_deadline_on_rejection(client, session):
    c = cast(session)
    finding = planned_major(c)
    handed_in(c, finding)
    moved = act(client, c, "supervisor", finding, "reject", comment="未整改到位", new_deadline=days(15))
    assert moved.status_code == 201 and moved.json["deadline"] == days(15).isoformat()


# --- approval on site, and the delisting ------------------------------------------------------------------


def test_a_listed_hazard_is_approved_only_on_site_at_the_enterprise(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    handed_in(c, finding)
    before = events_of(session, finding)

    error = refused(act(client, c, "supervisor", finding, "approve"), 422, "validation_error")
    assert {"on_site", "location", "off_site_reason"} <= set(error["fields"])
    no_place = act(client, c, "supervisor", finding, "approve", on_site=True)
    assert set(refused(no_place, 422, "validation_error")["fields"]) == {"location", "off_site_reason"}
    far = act(client, c, "supervisor", finding, "approve", on_site=True, location=at_enterprise(c, FAR_M))
    error = refused(far, 422, "validation_error")
    assert set(error["fields"]) == {"location", "off_site_reason"} and "500 m" in error["fields"]["location"]
    not_on_site = act(client, c, "supervisor", finding, "approve", on_site=False, location=at_enterprise(c))
    assert set(refused(not_on_site, 422, "validation_error")["fields"]) == {"on_site", "off_site_reason"}
    blank = act(client, c, "supervisor", finding, "approve", on_site=False, off_site_reason="   ")
    refused(blank, 422, "validation_error")
    assert events_of(session, finding) == before
    assert detail(client, c, "supervisor", finding)["status"] == "pending_review"

    near = act(client, c, "supervisor", finding, "approve", on_site=True, location=at_enterprise(c, NEAR_M))
    assert near.status_code == 201, near.json
    body = near.json
    assert body["status"] == "closed" and body["supervision_level"] is None
    assert body["supervision"]["status"] == "delisted" and body["supervision"]["delisted_at"]
    assert body["supervision"]["delisted_by"]["id"] == c.users["supervisor"].id
    assert "list_supervision" not in body["allowed_actions"]

    approval = history(client, c, "supervisor", finding)[-1]
    [row] = listings(session, finding)
    assert approval["action"] == "approve"
    assert approval["location"]["lat"] == pytest.approx(at_enterprise(c, NEAR_M)["lat"])
    assert approval["payload"]["delisted"] == {"supervision_id": row.id, "document_no": "厦安办督〔2026〕12号"}
    assert row.status == "delisted" and row.delisted_event_id == uuid.UUID(approval["id"])
    assert row.delisted_by_id == c.users["supervisor"].id and row.delisted_at is not None
    [shown] = the_register(client, c)
    assert shown["supervision"]["status"] == "delisted" and shown["days_left"] is None and not shown["overdue"]


def test_a_reason_why_not_on_site_lets_it_be_approved(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    handed_in(c, finding)
    reason = "企业已停产封闭，经视频连线核验并调阅整改影像"
    approved = act(client, c, "supervisor", finding, "approve", on_site=False, off_site_reason=reason)
    assert approved.status_code == 201, approved.json
    assert approved.json["status"] == "closed" and approved.json["supervision"]["status"] == "delisted"
    last = history(client, c, "supervisor", finding)[-1]
    assert last["payload"]["off_site_reason"] == reason and last["payload"]["delisted"]["document_no"]


def test_an_enterprise_without_a_location_needs_the_reason(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    handed_in(c, finding)
    where = at_enterprise(c)
    session.execute(update(Enterprise).where(Enterprise.id == c.world.enterprise.id).values(lat=None, lng=None))
    session.commit()
    there = act(client, c, "supervisor", finding, "approve", on_site=True, location=where)
    assert "location" in refused(there, 422, "validation_error")["fields"]
    why = act(client, c, "supervisor", finding, "approve", on_site=True, off_site_reason="企业坐标缺失，已现场核验")
    assert why.status_code == 201, why.json


def test_an_unlisted_major_hazard_is_approved_as_before(client, session):
    c = cast(session)
    finding = planned_major(c)
    handed_in(c, finding)
    approved = act(client, c, "supervisor", finding, "approve", on_site=True)
    assert approved.status_code == 201 and approved.json["supervision"] is None
    assert "delisted" not in history(client, c, "supervisor", finding)[-1]["payload"]


def test_a_reopened_hazard_may_be_listed_again_and_both_listings_stay(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    handed_in(c, finding)
    reason = "视频核验"
    assert act(client, c, "supervisor", finding, "approve", off_site_reason=reason).status_code == 201
    reopened = act(client, c, "supervisor", finding, "reopen", reason="复查发现反弹", new_deadline=days(30))
    assert reopened.status_code == 201 and "list_supervision" in reopened.json["allowed_actions"]
    again = list_it(client, c, finding, level="province", document_no="闽安委办督〔2026〕2号")
    assert again.status_code == 201, again.json
    assert again.json["supervision"]["document_no"] == "闽安委办督〔2026〕2号"
    assert [(s.level, s.status) for s in listings(session, finding)] == [("city", "delisted"), ("province", "listed")]
    assert [r["supervision"]["level"] for r in the_register(client, c)] == ["province", "city"]


def test_a_void_ends_the_listing_too(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    voided = act(client, c, "supervisor", finding, "void", reason="重复上报")
    assert voided.status_code == 201 and voided.json["supervision"]["status"] == "delisted"
    assert history(client, c, "supervisor", finding)[-1]["payload"]["delisted"]["document_no"]


def test_the_history_shows_each_step(client, session):
    c = cast(session)
    finding = planned_major(c, deadline=days(20))
    assert list_it(client, c, finding).status_code == 201
    asked = act(client, c, "officer", finding, "request_extension", new_deadline=days(30), reason="等待配件")
    assert asked.status_code == 201
    assert act(client, c, "supervisor", finding, "decide_extension", approved=True).status_code == 201
    handed_in(c, finding)
    done = act(client, c, "supervisor", finding, "approve", on_site=True, location=at_enterprise(c))
    assert done.status_code == 201, done.json
    steps = history(client, c, "officer", finding)
    assert [e["action"] for e in steps] == [
        "report",
        "submit_plan",
        "list_supervision",
        "request_extension",
        "decide_extension",
        "photo_added",
        "submit_rectification",
        "approve",
    ]
    by = {e["action"]: e for e in steps}
    assert by["list_supervision"]["payload"]["level"] == "city"
    moved = {"from": days(20).isoformat(), "to": days(30).isoformat()}
    assert by["decide_extension"]["payload"]["deadline_change"] == moved
    assert by["approve"]["payload"]["delisted"]["document_no"] == "厦安办督〔2026〕12号"
    assert by["approve"]["payload"]["on_site"] is True


# --- the register -----------------------------------------------------------------------------------------


def test_the_register_filters_by_level_status_area_overdue_and_year(client, session):
    c = cast(session)
    city = listed_major(client, c)
    county = listed_major(client, c, level="county", document_no="湖安办督〔2026〕1号")
    closed = listed_major(client, c, level="province", document_no="闽安委办督〔2026〕5号")
    handed_in(c, closed)
    assert act(client, c, "supervisor", closed, "approve", off_site_reason="视频核验").status_code == 201
    elsewhere = f.user(session, "inspector", area=c.world.other_district)
    far = f.report(session, elsewhere, f.major_data(c.world.far_enterprise, deadline=days(30)))
    session.commit()
    assert list_it(client, c, far.id, level="county", document_no="思安办督〔2026〕9号").status_code == 201
    # one overdue (its term moved into the past, as a hazard left alone would be), one listed last year
    session.execute(update(Finding).where(Finding.id == county).values(deadline=days(-3)))
    session.execute(update(Supervision).where(Supervision.finding_id == far.id)
                    .values(listed_at=datetime(2025, 12, 31, 15, 59, tzinfo=UTC)))  # 2025-12-31 23:59 in Shanghai
    session.commit()  # fmt: skip

    assert set(register_ids(client, c)) == {str(x) for x in (city, county, closed, far.id)}
    assert set(register_ids(client, c, level="county")) == {str(county), str(far.id)}
    assert register_ids(client, c, level="province") == [str(closed)]
    assert register_ids(client, c, status="delisted") == [str(closed)]
    assert set(register_ids(client, c, status="listed")) == {str(city), str(county), str(far.id)}
    assert set(register_ids(client, c, area=c.world.other_district.code)) == {str(far.id)}
    assert set(register_ids(client, c, area=c.world.street.code)) == {str(city), str(county), str(closed)}
    overdue = the_register(client, c, overdue="true")
    assert [r["finding"]["id"] for r in overdue] == [str(county)]
    assert overdue[0]["days_overdue"] == 3 and overdue[0]["days_left"] is None
    assert str(county) not in register_ids(client, c, overdue="false")
    assert register_ids(client, c, year=2025) == [str(far.id)]
    assert str(far.id) not in register_ids(client, c, year=datetime.now(UTC).year)
    assert set(register_ids(client, c, level="county", status="listed", overdue="false")) == {str(far.id)}


def test_the_register_pages_by_keyset(client, session):
    c = cast(session)
    made = [listed_major(client, c, document_no=f"厦安办督〔2026〕{n}号") for n in range(5)]
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get(REGISTER, query_string=query, headers=c.headers["supervisor"])
        assert response.status_code == 200, response.json
        seen += [row["finding"]["id"] for row in response.json["items"]]
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(x) for x in reversed(made)]


@pytest.mark.parametrize(
    "query",
    [
        {"level": "major"},
        {"status": "open"},
        {"overdue": "maybe"},
        {"year": "twenty"},
        {"year": "1900"},
        {"limit": "0"},
        {"limit": "201"},
        {"area": "999999"},
    ],
)
def test_bad_register_queries_are_422_with_fields(client, session, query):
    c = cast(session)
    response = client.get(REGISTER, query_string=query, headers=c.headers["supervisor"])
    error = refused(response, 422, "validation_error")
    assert set(error["fields"]) & set(query), error


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "WyJ4IiwgMV0",  # ["x", 1]
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgInkiXQ",  # a time and a string id, untagged
        "WyJyZWdpc3RlciIsIjIwMjYtMDEtMDFUMDA6MDA6MDArMDA6MDAiLHRydWVd",  # ["register", a time, true]
    ],
)
def test_a_bad_register_cursor_is_400_invalid_cursor(client, session, cursor):
    c = cast(session)
    response = client.get(REGISTER, query_string={"cursor": cursor}, headers=c.headers["supervisor"])
    assert refused(response, 400, "invalid_cursor")["fields"] == {"cursor": "Invalid cursor."}


def test_the_register_is_the_supervisors_and_the_admins(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    join(c, "admin", c.world.user("admin"))
    assert register_ids(client, c, "admin") == [str(finding)]
    for who in ("inspector", "officer", "grid_worker"):
        refused(client.get(REGISTER, headers=c.headers[who]), 403, "forbidden")
    assert client.get(REGISTER).status_code == 401


def test_one_listing_open_per_finding_is_held_by_the_database(client, session):
    c = cast(session)
    finding = listed_major(client, c)
    [row] = listings(session, finding)
    twin = Supervision(
        finding_id=row.finding_id, level="county", authority="x", document_no="y", leader="z", public=False,
        status="listed", listed_at=row.listed_at, listed_by_id=row.listed_by_id, listed_event_id=row.listed_event_id,
    )  # fmt: skip
    session.add(twin)
    with pytest.raises(Exception, match=r"(?i)unique"):
        session.flush()
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Supervision)) == 1
