"""Issue 10, rules 5 and 6 over HTTP: grid workers report and enforcers set the terms at confirm; overdue is the
enterprise's own deadline passing while it rectifies (a report waiting for triage has triage_days instead); an
untriaged report stays hidden from the enterprise, as does the name of the grid worker who reported it; and an id
that belongs to a finding one may not see answers as an unknown id (404), never as a 409 that says it exists."""

import uuid

import factories as f
import pytest
from helpers import jsonify, real_today
from rule_scene import (
    act,
    cast,
    create,
    days,
    detail,
    events_of,
    grid_report,
    history,
    join,
    listed,
    put,
    rectifying,
    refused,
    submit,
    synced,
    to_review,
)
from sqlalchemy import update

from app.domain.calendar import utcnow
from app.models import Finding, Photo

TERMS = {
    "deadline": lambda: days(7),
    "rectify_mode": lambda: "deadline",
    "major_basis": lambda: {"criterion": "gongmao_2023", "clause": "第四条(一)"},
    "rectification": lambda: {"measures": "当场清理", "completed_on": real_today(), "photo_ids": [uuid.uuid4()]},
}


def grid_body(c, **overrides) -> dict:
    body = f.finding_data(c.world.enterprise, observed_at=utcnow(), **overrides)
    return {k: v for k, v in body.items() if k not in f.GRID_WORKER_LEAVES or k in overrides}


# --- rule 5: grid workers report, enforcers set terms --------------------------------------------------------


@pytest.mark.parametrize("sent", [["deadline"], ["rectify_mode"], ["major_basis"], ["rectification"], list(TERMS)])
def test_a_grid_workers_report_with_an_enforcers_terms_is_422_and_nothing_is_written(client, session, sent):
    c = cast(session)
    body = grid_body(c, level="major", photo_ids=[uuid.uuid4()], **{name: TERMS[name]() for name in sent})
    error = refused(create(client, c, "grid_worker", body), 422, "validation_error")
    assert set(error["fields"]) == set(sent)
    assert events_of(session, body["id"]) == 0
    session.rollback()
    assert session.query(Finding).count() == 0 and session.query(Photo).count() == 0


def test_a_grid_workers_level_is_kept_as_the_suggestion_the_confirm_decides_on(client, session):
    c = cast(session)
    created = create(client, c, "grid_worker", grid_body(c, level="major"))
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["status"], body["level"], body["deadline"], body["major_basis"]) == ("reported", "major", None, None)
    assert body["overdue"] is False and body["triage_days"] == 0
    # A major suggestion needs its basis to be confirmed as major; the inspector may also decide it is general.
    error = refused(act(client, c, "inspector", body["id"], "confirm", deadline=days(10)), 422, "validation_error")
    assert set(error["fields"]) == {"major_basis"}
    confirmed = act(client, c, "inspector", body["id"], "confirm", deadline=days(10), level="general")
    assert confirmed.status_code == 201, confirmed.json
    assert (confirmed.json["status"], confirmed.json["level"]) == ("rectifying", "general")
    assert confirmed.json["deadline"] == days(10).isoformat() and confirmed.json["triage_days"] is None


@pytest.mark.parametrize("deadline", [None, -1])
def test_a_confirm_without_a_deadline_or_with_a_past_one_is_422(client, session, deadline):
    c = cast(session)
    finding = grid_report(c)
    fields = {} if deadline is None else {"deadline": days(deadline)}
    before = events_of(session, finding)
    error = refused(act(client, c, "inspector", finding, "confirm", **fields), 422, "validation_error")
    assert set(error["fields"]) == {"deadline"}
    body = detail(client, c, "inspector", finding)
    assert (body["status"], body["deadline"]) == ("reported", None) and events_of(session, finding) == before


def test_a_confirm_sets_the_deadline_and_may_correct_category_and_nature(client, session):
    c = cast(session)
    finding = grid_report(c, nature="unsafe_condition")
    error = refused(
        act(client, c, "inspector", finding, "confirm", deadline=days(5), category="no-such-category"),
        422,
        "validation_error",
    )
    assert set(error["fields"]) == {"category"}
    assert detail(client, c, "inspector", finding)["category"]["code"] == "fire"

    confirmed = act(
        client, c, "inspector", finding, "confirm", deadline=days(0), category="electrical", nature="management_defect"
    )
    assert confirmed.status_code == 201, confirmed.json
    body = detail(client, c, "officer", finding)
    assert (body["category"]["code"], body["nature"], body["deadline"]) == (
        "electrical",
        "management_defect",
        days(0).isoformat(),
    )
    payload = history(client, c, "inspector", finding)[-1]["payload"]
    assert (payload["category"], payload["nature"]) == ("electrical", "management_defect")
    assert payload["deadline_change"] == {"from": None, "to": days(0).isoformat()}


# --- rule 5: one definition of overdue -----------------------------------------------------------------------


def test_a_report_waiting_for_triage_is_never_overdue_and_counts_its_triage_days(client, session):
    c = cast(session)
    waiting = grid_report(c, received_days_ago=4)
    legacy = grid_report(c)  # an old row that carried the grid worker's own deadline, long passed
    session.execute(update(Finding).where(Finding.id == legacy).values(deadline=days(-5)))
    session.commit()
    late = rectifying(c, deadline=days(-1), observed_days_ago=3)
    reviewing = rectifying(c, deadline=days(-1), observed_days_ago=3)
    to_review(c, reviewing)  # the regulator's move now, not the enterprise's

    def facts(finding):
        body = detail(client, c, "inspector", finding)
        return body["status"], body["overdue"], body["days_overdue"], body["triage_days"]

    assert facts(waiting) == ("reported", False, 0, 4)
    assert facts(legacy) == ("reported", False, 0, 0)
    assert facts(late) == ("rectifying", True, 1, None)
    assert facts(reviewing) == ("pending_review", False, 0, None)
    for who in ("inspector", "supervisor"):
        assert listed(client, c, who, overdue="true") == {str(late)}
        assert listed(client, c, who, overdue="false") == {str(waiting), str(legacy), str(reviewing)}
    items = client.get("/api/v1/findings?limit=200", headers=c.headers["inspector"]).json["items"]
    assert {i["id"]: (i["overdue"], i["triage_days"]) for i in items} == {
        str(waiting): (False, 4),
        str(legacy): (False, 0),
        str(late): (True, None),
        str(reviewing): (False, None),
    }
    assert listed(client, c, "officer", overdue="true") == {str(late)}


# --- rule 6: untriaged stays hidden, and so does the grid worker's name --------------------------------------


def test_a_report_voided_in_triage_never_reaches_the_enterprise(client, session):
    c = cast(session)
    finding = grid_report(c)
    assert act(client, c, "supervisor", finding, "void", reason="重复上报").status_code == 201
    for path in ("", "/events"):
        response = client.get(f"/api/v1/findings/{finding}{path}", headers=c.headers["officer"])
        refused(response, 404, "not_found")
    assert str(finding) not in listed(client, c, "officer")
    assert str(finding) not in listed(client, c, "officer", status="voided")
    assert str(finding) not in {item["id"] for item in synced(client, c, "officer")[0]}
    refused(put(client, c, "officer", finding, kind="rectification"), 404, "not_found")
    assert detail(client, c, "inspector", finding)["status"] == "voided"


def test_a_report_voided_after_its_confirm_stays_visible_to_the_enterprise(client, session):
    c = cast(session)
    finding = grid_report(c)
    assert act(client, c, "inspector", finding, "confirm", deadline=days(7)).status_code == 201
    assert act(client, c, "supervisor", finding, "void", reason="企业已关停").status_code == 201
    body = detail(client, c, "officer", finding)
    assert body["status"] == "voided" and body["void_reason"] == "企业已关停"
    assert str(finding) in listed(client, c, "officer")
    assert str(finding) in {item["id"] for item in synced(client, c, "officer")[0]}


def test_the_enterprise_never_sees_the_name_of_the_grid_worker_who_reported(client, session):
    c = cast(session)
    finding = grid_report(c)
    assert act(client, c, "inspector", finding, "confirm", deadline=days(7)).status_code == 201
    grid = c.users["grid_worker"]
    hidden = {"id": None, "username": None, "display_name": None, "role": "grid_worker", "unit": c.world.grid.name}
    assert detail(client, c, "officer", finding)["reported_by"] == hidden
    items = client.get("/api/v1/findings?limit=200", headers=c.headers["officer"]).json["items"]
    assert [i["reported_by"] for i in items if i["id"] == str(finding)] == [hidden]
    assert [i["reported_by"] for i in synced(client, c, "officer")[0] if i["id"] == str(finding)] == [hidden]
    assert history(client, c, "officer", finding)[0]["actor"]["id"] is None
    named = {
        "id": grid.id,
        "username": grid.username,
        "display_name": grid.display_name,
        "role": "grid_worker",
        "unit": c.world.grid.name,
    }
    for who in ("inspector", "supervisor"):
        assert detail(client, c, who, finding)["reported_by"] == named
    # Only a grid worker's name is kept from the enterprise: the inspector who orders the fix is named.
    inspector = c.users["inspector"]
    ordered = detail(client, c, "officer", rectifying(c))["reported_by"]
    assert (ordered["id"], ordered["username"], ordered["role"]) == (inspector.id, inspector.username, "inspector")


# --- rule 6: no 409 oracle on the ids of findings one may not see --------------------------------------------


@pytest.fixture
def two_districts(session):
    """Our district's finding, a far inspector with a finding of their own, and a second finding of ours."""
    c = cast(session)
    join(c, "far", c.world.user("inspector", area=c.world.other_district))
    ours, second = rectifying(c), rectifying(c)
    now = utcnow()
    body = f.finding_data(c.world.far_enterprise, deadline=real_today(), observed_at=now)
    theirs = f.report(session, c.users["far"], body, now).id
    session.commit()
    return c, ours, second, theirs


def test_a_create_reusing_the_id_of_an_unseen_finding_is_404_and_of_a_seen_one_409(client, session, two_districts):
    c, ours, _, _ = two_districts
    total = session.query(Finding).count()
    far_body = f.finding_data(c.world.far_enterprise, id=ours, deadline=real_today(), observed_at=utcnow())
    error = refused(create(client, c, "far", far_body), 404, "not_found")
    assert "id" in error["fields"]
    near_body = f.finding_data(c.world.enterprise, id=ours, deadline=real_today(), observed_at=utcnow())
    refused(create(client, c, "inspector", near_body), 409, "conflict")
    assert session.query(Finding).count() == total
    assert create(client, c, "far", {**far_body, "id": uuid.uuid4()}).status_code == 201


def test_a_create_declaring_a_photo_id_of_an_unseen_finding_is_404_and_writes_nothing(client, session, two_districts):
    c, ours, _, _ = two_districts
    photo = put(client, c, "inspector", ours).json["id"]
    total = session.query(Finding).count()
    far_body = f.finding_data(c.world.far_enterprise, deadline=real_today(), observed_at=utcnow(), photo_ids=[photo])
    error = refused(create(client, c, "far", far_body), 404, "not_found")
    assert "photo_ids" in error["fields"]
    near_body = f.finding_data(c.world.enterprise, deadline=real_today(), observed_at=utcnow(), photo_ids=[photo])
    refused(create(client, c, "inspector", near_body), 409, "conflict")
    session.rollback()
    assert session.query(Finding).count() == total  # the refused creates left no finding behind


def test_an_event_id_of_an_unseen_finding_is_404_and_of_a_seen_one_409(client, session, two_districts):
    c, ours, second, theirs = two_districts
    reused = {"id": str(uuid.uuid4()), "action": "comment", "text": "已电话提醒"}
    url = "/api/v1/findings/{}/events"
    assert client.post(url.format(ours), json=reused, headers=c.headers["inspector"]).status_code == 201
    before = events_of(session, theirs)
    far = client.post(url.format(theirs), json={**reused, "text": "另一条"}, headers=c.headers["far"])
    assert "id" in refused(far, 404, "not_found")["fields"]
    assert events_of(session, theirs) == before
    near = client.post(url.format(second), json=jsonify({**reused, "text": "另一条"}), headers=c.headers["inspector"])
    refused(near, 409, "conflict")


def test_a_photo_id_of_an_unseen_finding_is_404_and_of_a_seen_one_409(client, session, two_districts):
    c, ours, second, theirs = two_districts
    photo = put(client, c, "inspector", ours).json["id"]
    declared = str(uuid.uuid4())
    body = f.finding_data(c.world.enterprise, deadline=real_today(), observed_at=utcnow(), photo_ids=[declared])
    assert create(client, c, "inspector", body).status_code == 201  # a slot declared, its photo not here yet
    for taken in (photo, declared):
        refused(put(client, c, "far", theirs, taken), 404, "not_found")
        refused(put(client, c, "inspector", second, taken), 409, "conflict")
    session.rollback()
    assert session.query(Photo).filter_by(finding_id=theirs).count() == 0
    assert session.query(Photo).filter_by(finding_id=second).count() == 0


def test_a_rectification_naming_a_photo_id_of_an_unseen_finding_is_404(client, session, two_districts):
    c, ours, second, theirs = two_districts
    foreign = put(client, c, "far", theirs).json["id"]
    seen = put(client, c, "officer", second, kind="rectification").json["id"]
    own = put(client, c, "officer", ours, kind="rectification").json["id"]
    before = events_of(session, ours)
    error = refused(submit(client, c, ours, photo_ids=[own, foreign]), 404, "not_found")
    assert "photo_ids" in error["fields"]
    refused(submit(client, c, ours, photo_ids=[own, seen]), 409, "conflict")
    body = detail(client, c, "officer", ours)
    assert body["status"] == "rectifying" and events_of(session, ours) == before
