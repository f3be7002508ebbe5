"""Issue 10, rules 3 and 4 over HTTP: no closure without its evidence (approve is 409 photos_missing while
declared after-photos are on their way), and evidence cannot change behind the record's back (photos only while
the record takes them, into a slot only its declarer fills; each arrival a photo_added event that /sync carries)."""

import uuid
from datetime import datetime, timedelta

import factories as f
from helpers import real_today
from rule_scene import (
    act,
    cast,
    create,
    detail,
    events_of,
    history,
    join,
    photo_row,
    put,
    rectifying,
    refused,
    step,
    submit,
    synced,
    to_review,
)

from app.domain.calendar import utcnow
from app.models import FindingEvent, Photo


def cannot_approve_yet(client, c, finding_id, missing: list[str]) -> None:
    """approve is not offered, and is 409 photos_missing naming the photos owed; nothing changes."""
    before = detail(client, c, "supervisor", finding_id)
    assert "approve" not in before["allowed_actions"] and "reject" in before["allowed_actions"]
    response = act(client, c, "supervisor", finding_id, "approve", on_site=False)
    error = refused(response, 409, "photos_missing")
    assert response.json["missing_photos"] == missing and "missing_photos" in error["fields"]
    after = detail(client, c, "supervisor", finding_id)
    assert (after["status"], after["version"]) == ("pending_review", before["version"])


def arrived(response, kind: str, round: int | None) -> dict:
    """A PUT that filled its slot answers the full photo, as any later read of it would."""
    assert response.status_code == 201, response.json
    body = response.json
    assert body["arrived"] is True and (body["kind"], body["round"]) == (kind, round)
    assert len(body["sha256"]) == 64 and (body["width"], body["height"]) == (48, 32)
    assert body["media_type"] == "image/jpeg" and body["byte_size"] > 0
    assert set(body["urls"]) == {"display", "thumb"}
    return body


# --- rule 3: no closure without its evidence -----------------------------------------------------------------


def test_a_fix_on_the_spot_is_approved_only_once_its_declared_after_photo_arrives(client, session):
    c = cast(session)
    before_photo, after_photo = str(uuid.uuid4()), str(uuid.uuid4())
    fix = {"measures": "当场清理通道", "completed_on": real_today(), "photo_ids": [after_photo]}
    body = f.finding_data(
        c.world.enterprise,
        rectify_mode="immediate",
        deadline=real_today(),
        observed_at=utcnow(),
        photo_ids=[before_photo],
        rectification=fix,
    )
    created = create(client, c, "inspector", body)
    assert created.status_code == 201, created.json
    finding = created.json["id"]
    assert created.json["status"] == "pending_review"
    assert sorted(created.json["missing_photos"]) == sorted([before_photo, after_photo])
    cannot_approve_yet(client, c, finding, [after_photo])

    # The before-photo the create declared may still arrive while the fix waits for review; it proves no fix.
    arrived(put(client, c, "inspector", finding, before_photo), "evidence", None)
    cannot_approve_yet(client, c, finding, [after_photo])
    arrived(put(client, c, "inspector", finding, after_photo), "rectification", 1)
    ready = detail(client, c, "supervisor", finding)
    assert ready["missing_photos"] == [] and "approve" in ready["allowed_actions"]
    approved = act(client, c, "supervisor", finding, "approve", on_site=False)
    assert approved.status_code == 201 and approved.json["status"] == "closed", approved.json


def test_a_rectification_naming_two_photos_waits_for_the_second(client, session):
    c = cast(session)
    finding = rectifying(c)
    first = put(client, c, "officer", finding, kind="rectification").json["id"]
    second = str(uuid.uuid4())
    submitted = submit(client, c, finding, photo_ids=[first, second])
    assert submitted.status_code == 201, submitted.json
    assert submitted.json["status"] == "pending_review" and submitted.json["missing_photos"] == [second]
    cannot_approve_yet(client, c, finding, [second])

    arrived(put(client, c, "officer", finding, second), "rectification", 1)
    approved = act(client, c, "supervisor", finding, "approve", on_site=False)
    assert approved.status_code == 201 and approved.json["status"] == "closed", approved.json
    assert [r["photo_ids"] for r in approved.json["rounds"]] == [[first, second]]


def test_a_photo_owed_by_a_rejected_round_neither_blocks_the_next_nor_arrives_in_its_review(client, session):
    c = cast(session)
    finding = rectifying(c)
    first = put(client, c, "officer", finding, kind="rectification").json["id"]
    never = str(uuid.uuid4())
    assert submit(client, c, finding, photo_ids=[first, never]).status_code == 201
    assert act(client, c, "supervisor", finding, "reject", comment="照片不全").status_code == 201
    resubmitted = submit(client, c, finding)
    assert resubmitted.status_code == 201, resubmitted.json
    # Round 1's slot is not round 2's evidence: too late to fill while round 2 waits for review.
    refused(put(client, c, "officer", finding, never), 409, "invalid_transition")
    assert photo_row(session, never).sha256 is None
    approved = act(client, c, "supervisor", finding, "approve", on_site=False)
    assert approved.status_code == 201 and approved.json["status"] == "closed", approved.json


def test_a_resubmission_naming_a_photo_its_first_round_still_owes_waits_for_it(client, session):
    c = cast(session)
    finding = rectifying(c)
    first = put(client, c, "officer", finding, kind="rectification").json["id"]
    owed = str(uuid.uuid4())
    assert submit(client, c, finding, photo_ids=[first, owed]).status_code == 201
    assert act(client, c, "supervisor", finding, "reject", comment="照片不全").status_code == 201
    fresh = put(client, c, "officer", finding, kind="rectification").json["id"]
    again = submit(client, c, finding, photo_ids=[fresh, owed])  # names it again: this round's evidence now
    assert again.status_code == 201, again.json
    assert again.json["missing_photos"] == [owed]
    cannot_approve_yet(client, c, finding, [owed])
    arrived(put(client, c, "officer", finding, owed), "rectification", 2)
    approved = act(client, c, "supervisor", finding, "approve", on_site=False)
    assert approved.status_code == 201, approved.json
    assert [sorted(r["photo_ids"]) for r in approved.json["rounds"]] == [[first], sorted([fresh, owed])]


def test_a_rejected_rounds_photo_does_not_prove_the_next_round_even_when_named(client, session):
    c = cast(session)
    finding = rectifying(c)
    first = put(client, c, "officer", finding, kind="rectification").json["id"]
    assert submit(client, c, finding, photo_ids=[first]).status_code == 201
    assert act(client, c, "supervisor", finding, "reject", comment="仍有杂物").status_code == 201
    before = events_of(session, finding)
    error = refused(submit(client, c, finding, photo_ids=[first]), 422, "validation_error")
    assert set(error["fields"]) == {"photo_ids"} and events_of(session, finding) == before
    body = detail(client, c, "officer", finding)
    assert body["status"] == "rectifying" and [r["photo_ids"] for r in body["rounds"]] == [[first]]
    fresh = put(client, c, "officer", finding, kind="rectification").json["id"]
    again = submit(client, c, finding, photo_ids=[first, fresh])  # citing the old one beside a new one is fine
    assert again.status_code == 201, again.json
    assert [r["photo_ids"] for r in again.json["rounds"]] == [[first], [fresh]]


# --- rule 4: when, and by whom -------------------------------------------------------------------------------


def nothing_stored(session, app, finding_id, events: int, objects: list, photo_ids) -> None:
    assert events_of(session, finding_id) == events
    assert all(photo_row(session, photo_id) is None for photo_id in photo_ids)
    assert sorted(app.extensions["storage"].keys()) == objects


def test_a_closed_finding_takes_no_new_photo_but_a_retry_of_one_it_has_is_200(client, app, session):
    c = cast(session)
    finding = rectifying(c)
    data = f.jpeg()
    kept = put(client, c, "officer", finding, kind="rectification", data=data).json
    assert submit(client, c, finding, photo_ids=[kept["id"]]).status_code == 201
    assert act(client, c, "supervisor", finding, "approve", on_site=False).status_code == 201
    events, objects = events_of(session, finding), sorted(app.extensions["storage"].keys())

    tried = [uuid.uuid4() for _ in range(3)]
    for who, kind, photo_id in zip(
        ("officer", "inspector", "supervisor"), ("rectification", "evidence", "evidence"), tried, strict=True
    ):
        refused(put(client, c, who, finding, photo_id, kind=kind), 409, "invalid_transition")
    nothing_stored(session, app, finding, events, objects, tried)

    again = put(client, c, "officer", finding, kept["id"], data=data)
    assert again.status_code == 200, again.json
    assert {k: again.json[k] for k in ("sha256", "width", "height", "urls")} == {
        k: kept[k] for k in ("sha256", "width", "height", "urls")
    }
    refused(put(client, c, "officer", finding, kept["id"], data=f.jpeg()), 409, "conflict")
    nothing_stored(session, app, finding, events, objects, [])


def test_a_voided_finding_takes_no_new_photo_not_even_into_a_declared_slot(client, app, session):
    c = cast(session)
    declared = str(uuid.uuid4())
    body = f.finding_data(c.world.enterprise, observed_at=utcnow(), deadline=real_today(), photo_ids=[declared])
    finding = create(client, c, "inspector", body).json["id"]
    assert act(client, c, "supervisor", finding, "void", reason="误报").status_code == 201
    events, objects = events_of(session, finding), sorted(app.extensions["storage"].keys())
    tried = uuid.uuid4()
    refused(put(client, c, "inspector", finding, tried), 409, "invalid_transition")
    refused(put(client, c, "officer", finding, kind="rectification"), 409, "invalid_transition")
    refused(put(client, c, "inspector", finding, declared), 409, "invalid_transition")
    nothing_stored(session, app, finding, events, objects, [tried])
    assert photo_row(session, declared).sha256 is None
    assert detail(client, c, "supervisor", finding)["missing_photos"] == [declared]


def test_a_declared_slot_is_filled_only_by_the_user_who_declared_it(client, app, session):
    c = cast(session)
    join(c, "colleague", c.world.user("inspector"))
    declared = str(uuid.uuid4())
    body = f.finding_data(c.world.enterprise, observed_at=utcnow(), deadline=real_today(), photo_ids=[declared])
    finding = create(client, c, "inspector", body).json["id"]
    events = events_of(session, finding)
    for who in ("colleague", "supervisor", "officer"):
        refused(put(client, c, who, finding, declared), 403, "forbidden")
    assert photo_row(session, declared).sha256 is None and events_of(session, finding) == events
    assert list(app.extensions["storage"].keys()) == []
    arrived(put(client, c, "inspector", finding, declared), "evidence", None)

    # The officer's declared after-photo likewise: not the inspector's to fill.
    second = str(uuid.uuid4())
    first = put(client, c, "officer", finding, kind="rectification").json["id"]
    assert submit(client, c, finding, photo_ids=[first, second]).status_code == 201
    refused(put(client, c, "inspector", finding, second), 403, "forbidden")
    assert photo_row(session, second).sha256 is None
    arrived(put(client, c, "officer", finding, second), "rectification", 1)


def test_a_finding_waiting_for_review_takes_no_undeclared_photo(client, session):
    c = cast(session)
    finding = rectifying(c)
    to_review(c, finding)
    events = events_of(session, finding)
    tried = [uuid.uuid4(), uuid.uuid4()]
    refused(put(client, c, "officer", finding, tried[0], kind="rectification"), 409, "invalid_transition")
    refused(put(client, c, "inspector", finding, tried[1], kind="evidence"), 409, "invalid_transition")
    assert all(photo_row(session, photo_id) is None for photo_id in tried) and events_of(session, finding) == events
    # The roles still come first: a grid worker does not add after-photos in any state.
    refused(put(client, c, "grid_worker", finding, kind="rectification"), 403, "forbidden")


# --- rule 4: every arrival is on the record, and reaches /sync -----------------------------------------------


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_photo_arrival_reaches_sync_moving_updated_at_but_not_the_version(client, session):
    c = cast(session)
    then = utcnow() - timedelta(hours=1)  # well behind the sync's settle window: a run ends on an exact cursor
    body = f.finding_data(c.world.enterprise, deadline=real_today(), observed_at=then)
    finding = f.report(session, c.users["inspector"], body, then).id
    session.commit()
    got, cursor = synced(client, c, "officer")
    [before] = [item for item in got if item["id"] == str(finding)]
    assert synced(client, c, "officer", cursor)[0] == []  # settled: nothing changed since

    photo = put(client, c, "officer", finding, kind="rectification")
    assert photo.status_code == 201, photo.json
    changed, _ = synced(client, c, "officer", cursor)
    assert [item["id"] for item in changed] == [str(finding)]
    assert changed[0]["version"] == before["version"]
    assert moment(changed[0]["updated_at"]) > moment(before["updated_at"])
    last = history(client, c, "inspector", finding)[-1]
    assert last["action"] == "photo_added" and last["version"] == before["version"]
    assert last["payload"] == {"photo_id": photo.json["id"], "kind": "rectification"}
    assert last["actor"]["id"] == c.users["officer"].id and last["from_state"] == last["to_state"] == "rectifying"
    # An action queued behind its own photo is not made stale by the photo's arrival.
    queued = act(client, c, "officer", finding, "acknowledge", version=before["version"])
    assert queued.status_code == 201, queued.json
    session.rollback()
    assert session.query(FindingEvent).filter_by(finding_id=finding, action="photo_added").count() == 1
    assert session.query(Photo).filter_by(finding_id=finding).count() == 1


def test_each_arrival_is_one_event_and_a_retry_adds_none(client, session):
    c = cast(session)
    finding = rectifying(c)
    step(c, "inspector", finding, "comment", text="请尽快整改")
    data, photo_id = f.jpeg(), uuid.uuid4()
    assert put(client, c, "inspector", finding, photo_id, data=data).status_code == 201
    assert put(client, c, "inspector", finding, photo_id, data=data).status_code == 200
    actions = [e["action"] for e in history(client, c, "supervisor", finding)]
    assert actions == ["report", "comment", "photo_added"]
