"""The create's retry path under its fast path (issue 15): a retry answers 200 with the same body, a reused id 409,
twenty concurrent twins make one finding, the lost race is answered as a retry with no number burnt, and a run
of creates with retries, clashes, refusals and races numbers its findings 1, 2, 3... with no gap.

The lost race is forced: a second session writes the same finding and holds its transaction open while the
request starts (PostgreSQL: until the request's statement waits on it; SQLite: until the request waits for the
write lock), then commits. The request must answer as a retry."""

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import factories as f
import pytest
from concurrency import concurrently
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from testbed import ON_POSTGRES

from app.api.findings_schemas import FindingCreate
from app.domain.calendar import local_today, utcnow
from app.extensions import db
from app.models import Finding, FindingCounter, FindingEvent
from app.services import create_pg
from app.services.actors import actor_for
from app.services.findings import report_finding

URL = "/api/v1/findings"


def jsonify(value):
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date | datetime) else str(v)))


def real_today() -> date:
    return local_today(utcnow())


@pytest.fixture
def engine_options() -> dict:
    """A pool wide enough for twenty requests at once, each on its own connection."""
    return {"pool_size": 25, "max_overflow": 5}


def body_for(world, **overrides) -> dict:
    return jsonify(f.finding_data(world.enterprise, **{"deadline": real_today() + timedelta(days=7),
                                                       "observed_at": utcnow(), **overrides}))  # fmt: skip


def numbers(session) -> list[int]:
    session.commit()
    found = session.scalars(select(Finding.number).order_by(Finding.number)).all()
    return [int(n.rsplit("-", 1)[1]) for n in found]


def counter(session) -> int | None:
    session.commit()
    return session.scalar(select(FindingCounter.last))


def test_the_same_create_again_answers_200_with_the_same_body(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = body_for(world, photo_ids=[str(uuid.uuid4())])
    first, again = client.post(URL, json=body, headers=headers), client.post(URL, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_data() == first.get_data()
    assert numbers(session) == [1] and counter(session) == 1


def test_the_same_id_with_other_content_is_409_and_takes_no_number(client, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = body_for(world)
    assert client.post(URL, json=body, headers=headers).status_code == 201
    clash = client.post(URL, json={**body, "title": "另一个隐患"}, headers=headers)
    assert clash.status_code == 409 and clash.json["error"]["code"] == "conflict"
    assert counter(session) == 1



def test_twenty_concurrent_twins_make_one_finding_and_answer_alike(app, session):
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = body_for(world, photo_ids=[str(uuid.uuid4())])
    responses = concurrently(20, lambda: app.test_client().post(URL, json=body, headers=headers))
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    assert len({r.get_data() for r in responses}) == 1  # one body, the 201's and every retry's
    assert numbers(session) == [1] and counter(session) == 1
    assert session.scalar(select(func.count()).select_from(FindingEvent)) == 1


class HeldCreate:
    """The same finding written by another session whose transaction stays open until `commit`."""

    def __init__(self, actor, body: dict):
        self.session = Session(bind=db.engine)  # its number taken: the counter's row (SQLite: the write lock) held
        report_finding(self.session, actor, FindingCreate().load(body), now=utcnow())

    def commit(self):
        self.session.commit()
        self.session.close()


def _wait_until_blocked(started: threading.Event) -> None:
    """Until the request waits on the held transaction: on PostgreSQL a backend waits on a lock; on SQLite the
    request has asked for the write lock (and waits for it, within its busy timeout)."""
    assert started.wait(10)
    if not ON_POSTGRES:
        time.sleep(0.3)
        return
    probe = db.engine.connect()
    try:
        for _ in range(200):
            waiting = probe.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))
            if waiting.scalar():
                return
            probe.rollback()
            time.sleep(0.02)
    finally:
        probe.close()
    raise AssertionError("the request never waited on the held create")


def _race(app, session, *, content_differs: bool, monkeypatch):
    world = f.World(session)
    reporter = world.user("inspector")
    headers = f.token_for(session, reporter)
    session.commit()
    body = body_for(world)
    held = HeldCreate(actor_for(reporter), {**body, "title": "另一个隐患"} if content_differs else body)
    started, failed = threading.Event(), []
    if ON_POSTGRES:  # the statement that loses must be seen to fail (not to find the row already there)
        original = create_pg.Prepared.first

        def first(self, cursor, dialect, params):
            started.set()
            try:
                return original(self, cursor, dialect, params)
            except Exception as error:
                failed.append(type(error).__name__)
                raise

        monkeypatch.setattr(create_pg.Prepared, "first", first)
    else:
        started.set()  # the request waits for the write lock from its first statement, before its create
    with ThreadPoolExecutor(max_workers=1) as pool:
        answer = pool.submit(lambda: app.test_client().post(URL, json=body, headers=headers))
        _wait_until_blocked(started)
        held.commit()
        response = answer.result(timeout=30)
    return response, failed, headers



def test_a_create_that_loses_the_race_for_its_id_answers_as_the_retry_it_is(app, session, monkeypatch):
    response, failed, headers = _race(app, session, content_differs=False, monkeypatch=monkeypatch)
    assert response.status_code == 200, response.get_data(as_text=True)
    if ON_POSTGRES:
        assert failed == ["UniqueViolation"]  # the one statement failed as a whole...
    assert numbers(session) == [1] and counter(session) == 1  # ...so no number was burnt
    read = app.test_client().get(f"{URL}/{response.json['id']}", headers=headers)
    assert read.get_data() == response.get_data()


def test_a_create_that_loses_the_race_to_other_content_is_409(app, session, monkeypatch):
    response, _failed, _headers = _race(app, session, content_differs=True, monkeypatch=monkeypatch)
    assert response.status_code == 409
    assert numbers(session) == [1] and counter(session) == 1


def test_numbers_stay_consecutive_through_retries_clashes_refusals_and_races(app, client, session):
    world = f.World(session)
    inspector = world.user("inspector")
    headers = f.token_for(session, inspector)
    taken = uuid.uuid4()
    session.commit()
    made = []
    for i in range(12):
        body = body_for(world, photo_ids=[str(uuid.uuid4())])
        assert client.post(URL, json=body, headers=headers).status_code == 201
        made.append(body)
        if i % 3 == 0:  # a retry
            assert client.post(URL, json=body, headers=headers).status_code == 200
        if i % 4 == 1:  # the id again with other content
            assert client.post(URL, json={**body, "title": f"另一个{i}"}, headers=headers).status_code == 409
        if i % 5 == 2:  # a refusal after the rules: an enterprise of another district
            far = body_for(world, enterprise_id=world.far_enterprise.id)
            assert client.post(URL, json=far, headers=headers).status_code == 422
        if i == 6:  # a photo id another finding holds
            assert client.post(URL, json=body_for(world, photo_ids=[str(taken)]), headers=headers).status_code == 201
            clash = client.post(URL, json=body_for(world, photo_ids=[str(taken)]), headers=headers)
            assert clash.status_code == 409
        if i == 9:  # twins at once
            twins = body_for(world)
            answers = concurrently(8, lambda twins=twins: app.test_client().post(URL, json=twins, headers=headers))
            assert sorted(r.status_code for r in answers) == [200] * 7 + [201]
    assert numbers(session) == list(range(1, 15))
    assert counter(session) == 14
