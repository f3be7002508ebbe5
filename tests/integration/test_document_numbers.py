"""文号 are gap-free and never repeat (issue 14, acceptance 2).

On PostgreSQL 50 orders are issued at once, each request on its own connection in its own transaction: they get
the 50 consecutive numbers 0001-0050, none twice, none skipped. One that takes a number and then rolls back gives
it back to the issuer waiting behind it. The same request sent ten times at once makes one document. SQLite
serialises writers, so there the 50 are issued one after another and must count the same way. Also: the
migration's documents table goes down and up again, and photos verify --repair leaves the PDFs alone.
"""

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import factories as f
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.domain.calendar import local_today, utcnow
from app.domain.document_forms import layout
from app.exports.documents_pdf import document_pdf
from app.exports.fonts import find_font
from app.extensions import db
from app.models import Document, DocumentSequence
from app.services.actors import actor_for
from app.services.documents import Press, issue_for_inspection, object_key
from app.services.photo_audit import verify_photos

N = 50


@pytest.fixture
def engine_options() -> dict:
    """A pool as wide as the crowd: every one of the 50 holds its own connection at once."""
    return {"pool_size": N, "max_overflow": 5}


class Scene:
    """One district, N enterprises, two inspectors, a one-item checklist and one inspection per enterprise whose
    item failed: N inspections, each owed an order."""

    def __init__(self, client, session, n: int):
        w = self.world = f.World(session)
        self.companies = [f.enterprise(session, w.grid) for _ in range(n)]
        self.inspector, self.partner = w.user("inspector"), w.user("inspector")
        self.supervisor = w.user("supervisor")
        self.headers = f.token_for(session, self.inspector)
        boss = f.token_for(session, self.supervisor)
        session.commit()
        item = {"id": str(uuid.uuid4()), "content": "配电箱做保护接地", "basis": "GB 50054-2011 第5.2.1条",
                "method": "site", "category": "electrical"}  # fmt: skip
        checklist = {"id": str(uuid.uuid4()), "name": "电气安全", "sectors": ["manufacturing"], "items": [item]}
        assert client.post("/api/v1/checklists", json=checklist, headers=boss).status_code == 201
        deadline = (local_today(utcnow()) + timedelta(days=10)).isoformat()
        self.inspections = []
        for company in self.companies:
            body = {"id": str(uuid.uuid4()), "enterprise_id": company.id, "checklist_id": checklist["id"],
                    "inspected_on": local_today(utcnow()).isoformat(), "enforcement": True,
                    "inspectors": [self.inspector.username, self.partner.username],
                    "results": [{"item_id": item["id"], "result": "fail",
                                 "finding": {"id": str(uuid.uuid4()), "deadline": deadline}}]}  # fmt: skip
            response = client.post("/api/v1/inspections", json=body, headers=self.headers)
            assert response.status_code == 201, response.get_data(as_text=True)
            self.inspections.append(body["id"])


def order_of(client, scene, inspection_id, body=None):
    body = body or {"kind": "rectification_order"}
    return client.post(f"/api/v1/inspections/{inspection_id}/documents", json=body, headers=scene.headers)


def serials(numbers: list[str]) -> list[int]:
    year = local_today(utcnow()).year
    pattern = re.compile(rf"^（厦湖）应急责改〔{year}〕第(\d{{4}})号$")
    return sorted(int(pattern.match(n).group(1)) for n in numbers)


def stored_numbers(session) -> list[str]:
    session.rollback()
    return list(session.scalars(select(Document.number).where(Document.kind == "rectification_order")))


@pytest.mark.postgres
def test_fifty_orders_at_once_get_fifty_consecutive_numbers(client, session):
    scene = Scene(client, session, N)
    start = threading.Barrier(N)

    def one(inspection_id):
        start.wait()  # all 50 requests in flight together
        return order_of(client, scene, inspection_id)

    with ThreadPoolExecutor(N) as pool:
        responses = list(pool.map(one, scene.inspections))
    assert [r.status_code for r in responses] == [201] * N, [r.get_data(as_text=True) for r in responses][:3]
    numbers = [r.get_json()["number"] for r in responses]
    assert serials(numbers) == list(range(1, N + 1))  # consecutive, no gap, no repeat
    assert sorted(stored_numbers(session)) == sorted(numbers)
    assert session.scalar(select(DocumentSequence.last)) == N


def test_issued_one_after_another_they_count_the_same_way(client, session):
    scene = Scene(client, session, N)
    numbers = [order_of(client, scene, i).get_json()["number"] for i in scene.inspections]
    assert serials(numbers) == list(range(1, N + 1))


def press_of(app, render=None) -> Press:
    font = find_font()

    def draw(facts, at):
        return document_pdf(layout(facts), font, issued_at=at)

    return Press(app.extensions["storage"], lambda: render or draw)


def test_a_rolled_back_issue_gives_its_number_back(app, client, session):
    scene = Scene(client, session, 2)
    actor = actor_for(scene.inspector)

    def broken(facts, at):
        raise OSError("the storage went away mid-issue")

    first = uuid.UUID(scene.inspections[0])
    with pytest.raises(OSError):
        issue_for_inspection(session, press_of(app, broken), actor, first, {"kind": "rectification_order"},
                             now=utcnow())  # fmt: skip
    session.rollback()
    assert serials([order_of(client, scene, scene.inspections[1]).get_json()["number"]]) == [1]
    assert serials([order_of(client, scene, scene.inspections[0]).get_json()["number"]]) == [2]


@pytest.mark.postgres
def test_a_number_held_then_rolled_back_goes_to_the_issuer_waiting_behind(app, client, session):
    """A takes 0001 and stalls while drawing; B waits on the counter row; A fails; B gets 0001, not 0002."""
    scene = Scene(client, session, 2)
    actor = actor_for(scene.inspector)
    drawing, release = threading.Event(), threading.Event()

    def stalls_then_fails(facts, at):
        assert facts.number.endswith("第0001号")
        drawing.set()
        release.wait(10)
        raise OSError("the storage went away mid-issue")

    def a():
        with app.app_context(), Session(db.engine) as own:
            with pytest.raises(OSError):
                issue_for_inspection(own, press_of(app, stalls_then_fails), actor, uuid.UUID(scene.inspections[0]),
                                     {"kind": "rectification_order"}, now=utcnow())  # fmt: skip
            own.rollback()

    def b():
        with app.app_context(), Session(db.engine) as own:
            document, _ = issue_for_inspection(own, press_of(app), actor, uuid.UUID(scene.inspections[1]),
                                               {"kind": "rectification_order"}, now=utcnow())  # fmt: skip
            own.commit()
            return document.number

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(a)
        assert drawing.wait(10)
        second = pool.submit(b)
        second_started = not second.done()
        release.set()
        first.result(10)
        assert serials([second.result(10)]) == [1] and second_started


@pytest.mark.postgres
def test_the_same_request_ten_times_at_once_makes_one_document(client, session):
    scene = Scene(client, session, 1)
    start = threading.Barrier(10)

    def one(_):
        start.wait()
        return order_of(client, scene, scene.inspections[0])

    with ThreadPoolExecutor(10) as pool:
        responses = list(pool.map(one, range(10)))
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.get_json()["id"] for r in responses}) == 1
    assert stored_numbers(session) == [responses[0].get_json()["number"]]


def test_photos_verify_repair_leaves_the_documents_alone(app, client, session):
    scene = Scene(client, session, 1)
    document = order_of(client, scene, scene.inspections[0]).get_json()
    storage = app.extensions["storage"]
    audit = verify_photos(session, storage, now=utcnow() + timedelta(days=1), repair=True)
    assert object_key(document["sha256"]) not in audit.orphan_objects
    assert storage.exists(object_key(document["sha256"]))


def test_migration_0011_goes_down_and_up_again(app):
    downgrade(revision="0010")
    assert "documents" not in inspect(db.engine).get_table_names()
    upgrade()
    names = set(inspect(db.engine).get_table_names())
    assert {"documents", "document_sequences", "issuing_authorities"} <= names
    with db.engine.connect() as conn:
        short = conn.exec_driver_sql("SELECT short_name FROM issuing_authorities WHERE area_code = '350206'")
        assert short.scalar() == "厦湖"
