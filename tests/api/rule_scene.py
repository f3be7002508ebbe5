"""The cast and the verbs of the lifecycle-rule tests (issue 10).

Findings are set up through the factories (the real services); everything a test asserts goes through HTTP.
Data "migrated from before" the rules (a request left pending, a five-element plan) is made by updating rows,
as the migration would have found them.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import factories as f
from helpers import event, jsonify, real_today
from sqlalchemy import func, select, update

from app.domain.calendar import utcnow
from app.models import ExtensionRequest, Finding, FindingEvent, Photo

SYNC = "/api/v1/sync"


@dataclass
class Cast:
    session: object
    world: f.World
    users: dict
    headers: dict


def cast(session) -> Cast:
    """An inspector of the district, the enterprise's officer, a city supervisor and the grid's worker."""
    world = f.World(session)
    users = {
        "inspector": world.user("inspector"),
        "officer": world.user("enterprise_officer"),
        "supervisor": world.user("supervisor"),
        "grid_worker": world.user("grid_worker"),
    }
    headers = {name: f.token_for(session, who) for name, who in users.items()}
    session.commit()
    return Cast(session, world, users, headers)


def days(n: int) -> date:
    """The local day n days from today (by the real clock, as the API judges)."""
    return real_today() + timedelta(days=n)


def join(c: Cast, name: str, who) -> None:
    """Another user for the cast, with a token under `name`."""
    c.users[name] = who
    c.headers[name] = f.token_for(c.session, who)
    c.session.commit()


# --- set-up through the services ----------------------------------------------------------


def rectifying(c: Cast, deadline: date | None = None, observed_days_ago: int = 0, **data) -> uuid.UUID:
    """An inspector's general finding on the enterprise, being rectified."""
    now = utcnow()
    observed = now - timedelta(days=observed_days_ago, minutes=1)
    body = f.finding_data(c.world.enterprise, deadline=deadline or days(7), observed_at=observed, **data)
    finding = f.report(c.session, c.users["inspector"], body, now)
    c.session.commit()
    return finding.id


def major(c: Cast, deadline: date | None = None) -> uuid.UUID:
    now = utcnow()
    body = f.major_data(c.world.enterprise, deadline=deadline or days(30), observed_at=now - timedelta(minutes=1))
    finding = f.report(c.session, c.users["inspector"], body, now)
    c.session.commit()
    return finding.id


def grid_report(c: Cast, received_days_ago: int = 0, **data) -> uuid.UUID:
    """A grid worker's report on the enterprise, waiting for triage."""
    now = utcnow() - timedelta(days=received_days_ago)
    body = f.finding_data(c.world.enterprise, observed_at=now - timedelta(minutes=5), **data)
    finding = f.report(c.session, c.users["grid_worker"], body, now)
    c.session.commit()
    return finding.id


def step(c: Cast, who: str, finding_id: uuid.UUID, action: str, **payload) -> None:
    """One action through the service, for set-up."""
    c.session.rollback()  # read the finding as the requests before left it
    c.session.expire_all()  # and forget what this session loaded before them (its version may be behind)
    finding = c.session.get(Finding, finding_id)
    f.act(c.session, c.users[who], finding, action, utcnow(), **payload)
    c.session.commit()


def to_review(c: Cast, finding_id: uuid.UUID) -> None:
    step(c, "officer", finding_id, "submit_rectification", measures="已整改", completed_on=real_today())


def legacy_pending_request(c: Cast, finding_id: uuid.UUID, asked: date) -> None:
    """A request the code before the rules left pending on a finding that moved on (migrated data)."""
    c.session.rollback()
    deadline = c.session.get(Finding, finding_id).deadline
    request = ExtensionRequest(
        finding_id=finding_id,
        requested_by_id=c.users["officer"].id,
        requested_at=utcnow() - timedelta(days=1),
        previous_deadline=deadline,
        requested_deadline=asked,
        reason="迁移前的申请",
        status="pending",
    )
    c.session.add(request)
    c.session.execute(update(Finding).where(Finding.id == finding_id).values(extension_pending=True))
    c.session.commit()


# --- the HTTP verbs ---------------------------------------------------------------------


def url(finding_id) -> str:
    return f"/api/v1/findings/{finding_id}"


def detail(client, c: Cast, who: str, finding_id) -> dict:
    response = client.get(url(finding_id), headers=c.headers[who])
    assert response.status_code == 200, response.json
    return response.json


def history(client, c: Cast, who: str, finding_id) -> list[dict]:
    response = client.get(f"{url(finding_id)}/events", headers=c.headers[who])
    assert response.status_code == 200, response.json
    return response.json["items"]


def act(client, c: Cast, who: str, finding_id, action: str, *, version: int | None = None, **fields):
    """POST one event, on the current version unless told (read as the supervisor, who sees everything)."""
    if version is None:
        version = detail(client, c, "supervisor", finding_id)["version"]
    return client.post(f"{url(finding_id)}/events", json=event(action, version, **fields), headers=c.headers[who])


def put(client, c: Cast, who: str, finding_id, photo_id=None, kind: str | None = None, data: bytes | None = None):
    photo_id = photo_id or uuid.uuid4()
    query = f"?kind={kind}" if kind else ""
    return client.put(
        f"{url(finding_id)}/photos/{photo_id}{query}",
        data=data if data is not None else f.jpeg(),
        headers={**c.headers[who], "Content-Type": "image/jpeg"},
    )


def submit(client, c: Cast, finding_id, who: str = "officer", **fields):
    """Upload an after-photo and submit the rectification that names it, as the phone does."""
    if "photo_ids" not in fields:
        uploaded = put(client, c, who, finding_id, kind="rectification")
        assert uploaded.status_code == 201, uploaded.json
        fields["photo_ids"] = [uploaded.json["id"]]
    fields = {"measures": "清理通道", "completed_on": real_today(), **fields}
    return act(client, c, who, finding_id, "submit_rectification", **fields)


def create(client, c: Cast, who: str, body: dict):
    return client.post("/api/v1/findings", json=jsonify(body), headers=c.headers[who])


def refused(response, status: int, code: str) -> dict:
    """The error of a refused request, after checking its status and code."""
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code, response.json
    assert response.json["error"]["message"]
    return response.json["error"]


def listed(client, c: Cast, who: str, **query) -> set[str]:
    response = client.get("/api/v1/findings", query_string={"limit": 200, **query}, headers=c.headers[who])
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


def synced(client, c: Cast, who: str, cursor: str | None = None) -> tuple[list[dict], str]:
    """A whole sync run: the findings it brought and the cursor to keep."""
    got = []
    while True:
        query = {"cursor": cursor} if cursor else {}
        response = client.get(SYNC, query_string=query, headers=c.headers[who])
        assert response.status_code == 200, response.json
        got += response.json["findings"]
        cursor = response.json["next_cursor"]
        if not response.json["more"]:
            return got, cursor


# --- the stored state -------------------------------------------------------------------


def count(session, model, **where) -> int:
    session.rollback()  # a fresh read, after what the requests committed
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.scalar(query)


def events_of(session, finding_id) -> int:
    return count(session, FindingEvent, finding_id=uuid.UUID(str(finding_id)))


def photo_row(session, photo_id) -> Photo | None:
    session.rollback()
    return session.get(Photo, uuid.UUID(str(photo_id)))
