"""The inspection's write side against a real database: one transaction (a refused finding leaves the session's
earlier writes to the caller's rollback, and then nothing remains), the findings made by the same verb as every
finding (numbered, their history started, the enterprise told), racing submissions of one inspection that make it
once, and results the database itself refuses to change."""

import uuid
from datetime import timedelta

import pytest
from concurrency import concurrently
from inspection_support import CHECKLISTS, Scene, checklist_body, inspection_body, made
from sqlalchemy import func, select

from app.domain.calendar import local_today, utcnow
from app.domain.errors import Conflict
from app.models import Finding, FindingEvent, Inspection, InspectionResult, Notification, User
from app.services.actors import actor_for
from app.services.inspections import submit_inspection


@pytest.fixture
def scene(session):
    return Scene(session)


@pytest.fixture
def checklist(client, scene):
    return made(client, scene, CHECKLISTS, checklist_body(20, majors=(4,)))


def count(session, model, *where) -> int:
    session.commit()  # a new transaction sees what the requests committed
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def loaded(body: dict) -> dict:
    """The body as the API's schema hands it to the service: ids, dates and inspectors typed."""
    out = {**body, "id": uuid.UUID(body["id"]), "checklist_id": uuid.UUID(body["checklist_id"])}
    out["inspected_on"] = local_today(utcnow())
    out["inspectors"] = [{"username": i, "cert_no": None} if isinstance(i, str) else i for i in body["inspectors"]]
    out["results"] = []
    for r in body["results"]:
        result = {**r, "item_id": uuid.UUID(r["item_id"])}
        if "finding" in r:
            deadline = local_today(utcnow()) + timedelta(days=15)
            result["finding"] = {**r["finding"], "id": uuid.UUID(r["finding"]["id"]), "deadline": deadline}
        out["results"].append(result)
    return out


def test_the_findings_are_made_by_the_same_verb_as_every_finding(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(2, 4, 9))
    actor = actor_for(scene.users["inspector"])
    inspection_id, created = submit_inspection(session, actor, loaded(body), now=utcnow())
    session.commit()
    assert created
    findings = session.scalars(select(Finding).where(Finding.inspection_id == inspection_id)).all()
    year = local_today(utcnow()).year
    assert sorted(x.number for x in findings) == [f"YH-350206-{year}-00000{n}" for n in (1, 2, 3)]
    reports = session.scalars(select(FindingEvent).where(FindingEvent.action == "report")).all()
    assert len(reports) == 3 and {e.payload["inspection_id"] for e in reports} == {str(inspection_id)}
    # the enterprise's officer is told of each order, as of any finding reported to it
    told = count(session, Notification, Notification.recipient_id == scene.users["officer"].id)
    assert told == 3
    again, created = submit_inspection(session, actor, loaded(body), now=utcnow())
    assert (again, created) == (inspection_id, False)


def test_a_refused_finding_leaves_nothing_once_the_caller_rolls_back(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(1, 2))
    first = loaded(body)
    actor = actor_for(scene.users["inspector"])
    submit_inspection(session, actor, first, now=utcnow())
    session.commit()
    clash = loaded(inspection_body(scene, checklist, scene.world.other_enterprise, failed=(1, 2)))
    clash["results"][2]["finding"]["id"] = first["results"][2]["finding"]["id"]  # another inspection's finding
    with pytest.raises(Conflict) as error:
        submit_inspection(session, actor, clash, now=utcnow())
    assert error.value.fields == {"results": {"2": {"finding": {"id": "Make a new id for this finding."}}}}
    session.rollback()
    assert count(session, Inspection) == 1 and count(session, Finding) == 2
    assert count(session, InspectionResult) == 20



def test_ten_racing_submissions_of_one_inspection_make_it_once(app, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(2, 4, 9))
    headers = scene.headers["inspector"]
    responses = concurrently(10, lambda: app.test_client().post("/api/v1/inspections", json=body, headers=headers))
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201], [r.get_data(as_text=True) for r in responses]
    assert len({tuple(r.json["findings"]) for r in responses}) == 1
    assert count(session, Inspection) == 1 and count(session, Finding) == 3
    assert count(session, InspectionResult) == 20 and count(session, FindingEvent) == 3


def test_the_orm_cannot_change_a_submitted_result(client, session, scene, checklist):
    body = inspection_body(scene, checklist, scene.world.enterprise)
    assert client.post("/api/v1/inspections", json=body, headers=scene.headers["inspector"]).status_code == 201
    result = session.scalars(select(InspectionResult).order_by(InspectionResult.id)).first()
    result.result = "na"
    with pytest.raises(Exception, match="append-only"):
        session.flush()
    session.rollback()
    assert session.scalar(select(InspectionResult.result).where(InspectionResult.id == result.id)) == "pass"


def test_the_demo_has_its_checklists_campaign_and_inspections(app, session):
    """seed-demo's field work: five real-sized checklists, the campaign over 湖里区, four enforcement inspections by
    inspector and inspector2, whose failed items are findings with their photos, and the coverage they give."""
    from app.demo.seed import DEMO_PASSWORD, seed
    from app.models import Campaign, Checklist, ChecklistVersion, Photo
    from app.read.coverage import coverage
    from app.services.accounts import authenticate

    seed(session, findings=30)
    session.commit()
    assert authenticate(session, "inspector2", DEMO_PASSWORD).area.name == "湖里区"
    versions = session.scalars(select(ChecklistVersion)).all()
    assert sorted(v.name for v in versions) == sorted(
        [
            "消防安全检查表",
            "城镇燃气安全检查表（用气场所）",
            "有限空间作业安全检查表",
            "粉尘防爆安全检查表",
            "危险化学品安全检查表",
        ]
    )
    assert all(10 <= len(v.items) <= 30 for v in versions) and count(session, Checklist) == 5
    assert sum(1 for v in versions for i in v.items if i.criterion_id is not None) >= 20
    assert count(session, Finding) == 30  # the inspections' findings are part of the demo's total
    inspections = session.scalars(select(Inspection)).all()
    assert len(inspections) == 4 and all(i.enforcement and len(i.inspectors) == 2 for i in inspections)
    made = session.scalars(select(Finding).where(Finding.inspection_id.is_not(None))).all()
    assert sorted(f.level for f in made) == ["general", "general", "general", "major"]
    assert all(session.scalars(select(Photo).where(Photo.finding_id == f.id, Photo.sha256.is_not(None))).first()
               for f in made)  # fmt: skip
    campaign = session.scalars(select(Campaign)).one()
    supervisor = actor_for(session.scalars(select(User).where(User.username == "supervisor")).one())
    total = coverage(session, supervisor, campaign.id, "street")["total"]
    assert (total["targeted"], total["inspected"]) == (7, 4)
