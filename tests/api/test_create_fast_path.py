"""The create's fast path against the slow one it replaced: the answer built from the written values is, byte for
byte, what the detail read gives; the rows it writes are the rows report_finding writes; every kind of create
(photos, a major basis, a fix on the spot, a grid worker's report) takes it; and what it must refuse, it refuses
as before (the races and retries are tests/integration/test_create_races.py)."""

import uuid
from datetime import timedelta

import factories as f
import pytest
from helpers import jsonify, real_today
from sqlalchemy import select

from app.api.findings_schemas import FindingCreate
from app.domain.calendar import SHANGHAI, utcnow
from app.models import Delivery, Finding, FindingCounter, FindingEvent, Notification, Photo
from app.services import create_fast
from app.services.actors import actor_for
from app.services.findings import report_finding

URL = "/api/v1/findings"


def _today_plus(days: int):
    return real_today() + timedelta(days=days)


def inspector_body(world, **overrides) -> dict:
    return f.finding_data(world.enterprise, **{"deadline": _today_plus(7), "observed_at": utcnow(), **overrides})


def fix_body(world, after_photos: int = 2, **overrides) -> dict:
    fix = {"measures": "  已当场清理通道  ", "completed_on": real_today(),
           "photo_ids": [uuid.uuid4() for _ in range(after_photos)]}  # fmt: skip
    return inspector_body(world, rectify_mode="immediate", deadline=real_today(), rectification=fix, **overrides)


# Each a body an inspector (or, named so, a grid worker) sends: the shapes of create the phone makes.
BODIES = {
    "plain": lambda w: inspector_body(w),
    "offset_clock_no_location": lambda w: inspector_body(
        w, location=None, description="", nature="unsafe_act",
        observed_at=(utcnow() - timedelta(hours=2)).astimezone(SHANGHAI)),
    "integer_coordinates": lambda w: inspector_body(w, location={"lat": 24, "lng": 118, "accuracy_m": 5}),
    "default_deadline": lambda w: {k: v for k, v in inspector_body(w).items() if k != "deadline"},
    "default_mode": lambda w: {k: v for k, v in inspector_body(w).items() if k != "rectify_mode"},
    "no_observed_at": lambda w: {k: v for k, v in inspector_body(w).items() if k != "observed_at"},
    "spaces_to_strip": lambda w: inspector_body(w, title="  通道堵塞  ", description="  纸箱  ", address=" 二号仓库 "),
    "evidence_photos": lambda w: inspector_body(w, photo_ids=[uuid.uuid4() for _ in range(3)]),
    "major_with_photos": lambda w: f.major_data(w.enterprise, deadline=_today_plus(30), observed_at=utcnow(),
                                                photo_ids=[uuid.uuid4()]),
    "major_default_deadline": lambda w: {k: v for k, v in f.major_data(w.enterprise, observed_at=utcnow()).items()
                                         if k != "deadline"},
    "fix_on_the_spot": lambda w: fix_body(w),
    "fix_with_evidence": lambda w: fix_body(w, after_photos=1, photo_ids=[uuid.uuid4(), uuid.uuid4()]),
    "grid_no_enterprise": lambda w: {"id": uuid.uuid4(), "category": "fire", "title": "路边违规堆放液化气瓶",
                                     "observed_at": utcnow(), "photo_ids": [uuid.uuid4()]},
    "grid_at_enterprise": lambda w: {"id": uuid.uuid4(), "category": "electrical", "title": "配电箱门未关",
                                     "enterprise_id": w.enterprise.id, "observed_at": utcnow()},
}  # fmt: skip


@pytest.fixture
def fast_only(monkeypatch):
    """The API's create may not fall back to report_finding: a new finding of any shape takes the fast path."""

    def slow(*_args, **_kwargs):
        raise AssertionError("the create fell back to report_finding")

    monkeypatch.setattr(create_fast, "write_report", slow)


def _reporter(world, name: str):
    return world.user("grid_worker" if name.startswith("grid") else "inspector")


@pytest.mark.parametrize("name", sorted(BODIES))
def test_the_answer_to_a_create_is_byte_for_byte_the_detail_read(client, session, name, fast_only):
    world = f.World(session)
    headers = f.token_for(session, _reporter(world, name))
    session.commit()
    body = jsonify(BODIES[name](world))
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    read = client.get(f"{URL}/{body['id']}", headers=headers)
    assert read.status_code == 200
    assert created.get_data() == read.get_data()


def _stored(session, finding_id) -> dict:
    """Every row a create wrote for one finding, as plain values."""
    session.expire_all()

    def rows(table, *where, order):
        return [dict(r) for r in session.execute(select(table).where(*where).order_by(*order)).mappings()]

    mine = Notification.finding_id == finding_id
    deliveries = session.execute(
        select(Delivery.channel, Delivery.status, Notification.recipient_id)
        .join(Notification, Notification.id == Delivery.notification_id)
        .where(mine).order_by(Notification.recipient_id, Delivery.channel)
    ).all()  # fmt: skip
    return {
        "finding": rows(Finding.__table__, Finding.id == finding_id, order=[Finding.id]),
        "events": rows(FindingEvent.__table__, FindingEvent.finding_id == finding_id, order=[FindingEvent.seq]),
        "photos": rows(Photo.__table__, Photo.finding_id == finding_id, order=[Photo.kind, Photo.id]),
        "notices": rows(Notification.__table__, mine, order=[Notification.recipient_id]),
        "deliveries": [tuple(d) for d in deliveries],
    }


@pytest.mark.parametrize("name", sorted(BODIES))
def test_the_api_writes_the_rows_report_finding_writes(client, session, name, fast_only):
    """The same body through the API and through report_finding (the slow, general path): the same finding,
    events, photos, notifications and deliveries, but for the ids and the number."""
    world = f.World(session)
    reporter = _reporter(world, name)
    officers = [world.user("enterprise_officer"), world.user("enterprise_officer")]
    officers[0].channels, officers[0].email = ["email", "webhook"], "a@example.cn"
    officers[1].channels = ["webhook"]
    supervisor = world.user("supervisor")
    supervisor.channels, supervisor.email = ["email"], "s@example.cn"
    headers = f.token_for(session, reporter)
    session.commit()
    now = utcnow()
    body = BODIES[name](world)
    api = client.post(URL, json=jsonify(body), headers=headers)
    assert api.status_code == 201, api.get_data(as_text=True)
    twin = {**body, "id": uuid.uuid4()}
    for key in ("photo_ids",):
        if key in twin:
            twin[key] = [uuid.uuid4() for _ in twin[key]]
    if twin.get("rectification"):
        twin["rectification"] = {**twin["rectification"],
                                 "photo_ids": [uuid.uuid4() for _ in twin["rectification"]["photo_ids"]]}  # fmt: skip
    report_finding(session, actor_for(reporter), FindingCreate().load(jsonify(twin)), now=now)
    session.commit()
    stored_api, stored_slow = _stored(session, uuid.UUID(api.json["id"])), _stored(session, twin["id"])
    assert bool(stored_api["notices"]) == (name not in ("grid_no_enterprise", "grid_at_enterprise"))
    _same_but_ids_and_moments(stored_api, stored_slow, body, twin)


def _same_but_ids_and_moments(api: dict, slow: dict, body: dict, twin: dict) -> None:
    """Equal once the ids the client made, the number, the fingerprint and the moments of receipt are set aside
    (the two were written a moment apart, with their own ids): each written as the other would be."""
    numbers = (api["finding"][0]["number"], slow["finding"][0]["number"])
    moments = {"received_at", "updated_at", "rectified_at", "declared_at", "created_at", "due_at", "next_attempt_at"}
    if "observed_at" not in body:  # then it is the moment of receipt too
        moments.add("observed_at")
    own = {"id", "finding_id", "number", "request_hash", "photo_ids", *moments}

    def norm(value):
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items() if k not in own}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return value.replace(*numbers) if isinstance(value, str) else value

    for part in ("finding", "events", "photos", "notices"):
        assert norm(api[part]) == norm(slow[part]), part
    assert len(api["photos"]) == len(body.get("photo_ids") or []) + len((body.get("rectification") or {})
                                                                         .get("photo_ids") or [])  # fmt: skip
    assert api["deliveries"] == slow["deliveries"]


def test_an_enterprise_outside_the_reporters_area_is_refused_and_nothing_is_written(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))  # of 350206
    session.commit()
    body = jsonify(f.finding_data(world.far_enterprise, deadline=_today_plus(3), observed_at=utcnow()))
    refused = client.post(URL, json=body, headers=headers)
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {"enterprise_id": "No enterprise with this id in your area."}
    session.expire_all()
    assert session.get(Finding, uuid.UUID(body["id"])) is None
    assert session.scalars(select(FindingCounter)).all() == []  # no number taken


def test_a_deactivated_enterprise_is_refused(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    world.enterprise.active = False
    session.commit()
    refused = client.post(URL, json=jsonify(inspector_body(world)), headers=headers)
    assert refused.status_code == 422
    assert "deactivated" in refused.json["error"]["fields"]["enterprise_id"]


def test_a_photo_id_another_finding_holds_is_refused_and_nothing_is_written(client, session):
    world = f.World(session)
    inspector = world.user("inspector")
    headers = f.token_for(session, inspector)
    taken = uuid.uuid4()
    f.report(session, inspector, inspector_body(world, photo_ids=[taken]))
    session.commit()
    counter = session.scalar(select(FindingCounter.last))
    body = jsonify(inspector_body(world, photo_ids=[uuid.uuid4(), taken]))
    refused = client.post(URL, json=body, headers=headers)
    assert refused.status_code == 409, refused.get_data(as_text=True)
    assert refused.json["error"]["fields"] == {"photo_ids": f"{taken} is taken."}
    session.expire_all()
    assert session.get(Finding, uuid.UUID(body["id"])) is None
    assert session.scalar(select(FindingCounter.last)) == counter


def test_the_same_photo_as_evidence_and_after_photo_is_refused(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    both = uuid.uuid4()
    body = fix_body(world, after_photos=0, photo_ids=[both])
    body["rectification"]["photo_ids"] = [both]
    refused = client.post(URL, json=jsonify(body), headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["fields"] == {"photo_ids": f"{both} is taken."}


def test_a_repealed_criterion_is_refused_on_the_fast_path_too(client, session):
    from app.models import MajorCriterion

    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    criterion = session.scalars(select(MajorCriterion).where(MajorCriterion.code == "gongmao_2023")).one()
    kept = criterion.repealed_on
    criterion.repealed_on = real_today() - timedelta(days=1)
    session.commit()
    try:
        body = jsonify(f.major_data(world.enterprise, deadline=_today_plus(30), observed_at=utcnow()))
        refused = client.post(URL, json=body, headers=headers)
        assert refused.status_code == 422
        assert "repealed" in refused.json["error"]["fields"]["major_basis"]["criterion"]
    finally:  # the criteria are reference data every test starts from (tests/testbed.py): put it back
        criterion.repealed_on = kept
        session.commit()


def test_the_limiter_resolves_no_limits_for_the_create_and_still_does_for_a_limited_route(client, session, monkeypatch):
    from app.extensions import limiter

    world = f.World(session)
    inspector = world.user("inspector")
    headers = f.token_for(session, inspector)
    session.commit()
    asked = []
    resolve = limiter.limit_manager.resolve_limits
    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", lambda *a, **k: asked.append(a[1]) or resolve(*a, **k))
    assert client.post(URL, json=jsonify(inspector_body(world)), headers=headers).status_code == 201
    assert asked == []
    refused = client.post("/api/v1/auth/token", json={"username": inspector.username, "password": "wrong password"})
    assert refused.status_code == 401
    assert "auth.token" in asked


@pytest.mark.parametrize("state", ["live", "revoked", "expired", "deactivated"])
def test_the_signed_in_read_on_the_driver_gives_the_row_sqlalchemy_gives(session, state):
    """accounts.account_for_token runs on the DB-API cursor (services.prepared): the same row, value for value,
    as SQLAlchemy's own execution of the same statement, for a token that works and for each that does not."""
    from app.services import accounts

    world = f.World(session)
    officer = world.user("enterprise_officer")
    token, row = accounts.issue_token_row(session, officer, now=f.NOW)
    row.last_used_at = f.NOW - timedelta(minutes=3)
    if state == "revoked":
        row.revoked_at = f.NOW
    if state == "expired":
        row.expires_at = f.NOW - timedelta(seconds=1)
    if state == "deactivated":
        officer.active = False
    session.commit()
    now = utcnow()
    fast = accounts.account_for_token(session, token, now=now)
    general = session.execute(accounts._ACCOUNT_BY_TOKEN, {"digest": accounts.digest(token), "now": now}).first()
    assert (fast is None) == (general is None) == (state != "live")
    if general is not None:
        assert tuple(fast) == tuple(general) and fast._fields == tuple(general._fields)
        assert fast.seen_at == row.last_used_at and fast.seen_at.tzinfo is not None


# --- the remembered account (accounts.remembered_account, used by the create on PostgreSQL) ---------------------


def _remembered_inspector(client, session):
    """An inspector whose token has made one create (so a worker remembers its account) and its headers."""
    from app.services import accounts

    world = f.World(session)
    inspector = world.user("inspector")
    token, row = accounts.issue_token_row(session, inspector, now=f.NOW)
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(URL, json=jsonify(inspector_body(world)), headers=headers).status_code == 201
    assert accounts.remembered_account(token) is not None
    return world, inspector, row, headers


@pytest.mark.parametrize("change", ["revoked", "deactivated"])
def test_a_token_that_ended_is_refused_by_the_next_create_though_remembered(client, session, change):
    world, inspector, token_row, headers = _remembered_inspector(client, session)
    if change == "revoked":
        token_row.revoked_at = utcnow()
    else:
        inspector.active = False
    session.commit()
    body = jsonify(inspector_body(world))
    refused = client.post(URL, json=body, headers=headers)
    assert refused.status_code == 401
    session.expire_all()
    assert session.get(Finding, uuid.UUID(body["id"])) is None
    stale_rule = client.post(URL, json=jsonify(inspector_body(world, deadline=_today_plus(-3))), headers=headers)
    assert stale_rule.status_code == 401  # not the 422 the rules would give a live account
    unknown = client.post(URL, json=jsonify(inspector_body(world, category="no_such")), headers=headers)
    assert unknown.status_code == 401


def test_a_password_reset_stops_the_next_create_at_the_gate(client, session):
    world, inspector, _row, headers = _remembered_inspector(client, session)
    inspector.must_change_password = True
    session.commit()
    refused = client.post(URL, json=jsonify(inspector_body(world)), headers=headers)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "password_change_required"


def test_a_changed_account_is_read_afresh_by_the_next_create(client, session):
    world, inspector, _row, headers = _remembered_inspector(client, session)
    inspector.display_name = "王新名"
    session.commit()
    created = client.post(URL, json=jsonify(inspector_body(world)), headers=headers)
    assert created.status_code == 201 and created.json["reported_by"]["display_name"] == "王新名"
    inspector.area_id = world.other_district.id  # moved: the old district's enterprises are no longer theirs
    session.commit()
    moved = client.post(URL, json=jsonify(inspector_body(world)), headers=headers)
    assert moved.status_code == 422
    assert moved.json["error"]["fields"] == {"enterprise_id": "No enterprise with this id in your area."}
    elsewhere = jsonify(f.finding_data(world.far_enterprise, deadline=_today_plus(3), observed_at=utcnow()))
    assert client.post(URL, json=elsewhere, headers=headers).status_code == 201


def test_a_body_the_schema_refuses_from_a_token_that_ended_is_401_as_for_any_request(client, session):
    world, _inspector, token_row, headers = _remembered_inspector(client, session)
    bad = {**jsonify(inspector_body(world)), "title": ""}
    assert client.post(URL, json=bad, headers=headers).status_code == 422  # a live token: the schema's answer
    token_row.revoked_at = utcnow()
    session.commit()
    assert client.post(URL, json=bad, headers=headers).status_code == 401


def test_a_remembered_account_is_read_only_by_the_create_s_own_statement(client, session, monkeypatch):
    from app.services import accounts

    world, _inspector, _row, headers = _remembered_inspector(client, session)
    reads = []
    fetch = accounts.fetch_one
    monkeypatch.setattr(accounts, "fetch_one", lambda *a, **k: reads.append(1) or fetch(*a, **k))
    assert client.post(URL, json=jsonify(inspector_body(world)), headers=headers).status_code == 201
    assert reads == []  # no read of its own: the create's statement read it, and it held
    assert client.get(URL, headers=headers).status_code == 200
    assert reads == [1]  # any other request reads it as always
