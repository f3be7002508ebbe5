"""report_finding: the create, idempotent on the client's UUID.

Every way of writing a create starts from one Draft (draft_report): the rules checked, the client's defaults
said, the request's fingerprint, the finding's columns and its first events, before the database is asked
anything. report_finding writes a draft through the session, in the caller's transaction (the inspections'
submissions, the demo, the tests, and the API's create whenever its fast path would not write: a retry, a
refusal, a lost race). The API's fast path (app.services.create_fast) writes the same draft with fewer trips.

The writes: the enterprise with its area in one SELECT, the district's counter upsert, then the finding's
INSERT ... ON CONFLICT (id) DO NOTHING RETURNING: no idempotency read before it and no SAVEPOINT around it. A
finding that already exists inserts nothing; its number is given back at once (the counter row is still ours,
locked by the upsert) and the stored fingerprint tells a retry from a clash.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import default_deadline, local_today, reference_day
from app.domain.errors import DomainError, RuleViolation
from app.domain.lifecycle import check_report
from app.domain.terms import Action, Level, RectifyMode, Role, State
from app.domain.visibility import can_see_enterprise
from app.models import Area, Enterprise, Finding, FindingEvent, User
from app.services.event_notices import Subject, notify_event
from app.services.fingerprint import fingerprint, jsonable
from app.services.history import event_values
from app.services.lookups import category_id, citable_criterion, foreign_id, visible_enterprise
from app.services.numbers import district_code, finding_number, give_back_number, next_last
from app.services.photos import declare_photos

CLOCK_SKEW_ALLOWED_S = 600
FINDINGS = Finding.__table__
_STORED_HASH = select(Finding.request_hash).where(Finding.id == bindparam("id"))
_INSERT_EVENTS = insert(FindingEvent.__table__)
# Every column a create writes, always all of them (None where unused), so one statement serves every create.
CREATE_COLUMNS = (
    "id", "number", "request_hash", "enterprise_id", "area_id", "area_path", "category_id", "level", "nature",
    "title", "description", "lat", "lng", "accuracy_m", "location_source", "address", "observed_at", "received_at",
    "updated_at", "reporter_id", "rectify_mode", "deadline", "criterion_id", "major_clause", "status", "version",
    "events_count", "extension_pending", "plan_complete", "triaged", "rectification_round", "after_photos_owed",
    "rectification_measures", "rectified_on", "rectified_at", "rectified_by_id", "inspection_id",
    "checklist_item_id",
)  # fmt: skip
# Written out as text, built once: SQLAlchemy's ON CONFLICT constructs carry no cache key and would be compiled
# anew on every call. Each parameter keeps its column's type (uuids, UTC times, booleans processed as the ORM's).
INSERT_FINDING = text(
    f"INSERT INTO findings ({', '.join(CREATE_COLUMNS)}) VALUES ({', '.join(':' + c for c in CREATE_COLUMNS)}) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
).bindparams(*(bindparam(c, type_=FINDINGS.c[c].type) for c in CREATE_COLUMNS))
# The enterprise a finding names, with what the finding takes from it and what its answer shows, in one read.
_ENTERPRISE = (
    select(Enterprise.id, Enterprise.area_id, Enterprise.area_path, Enterprise.active, Enterprise.name,
           Enterprise.credit_code, Enterprise.address, Area.code.label("area_code"), Area.name.label("area_name"))
    .join(Area, Area.id == Enterprise.area_id)
    .where(Enterprise.id == bindparam("id"))
)  # fmt: skip
HOME_AREA_OF = (
    select(Area.id, Area.path, Area.code, Area.name)
    .join(User, User.area_id == Area.id)
    .where(User.id == bindparam("id"))
)


@dataclass(frozen=True)
class Place:
    """Where a finding is filed: its enterprise (None for a grid worker's report of no enterprise) and area."""

    enterprise_id: int | None
    enterprise_name: str | None
    enterprise_credit_code: str | None
    enterprise_address: str | None
    area_id: int
    area_path: str
    area_code: str
    area_name: str


@dataclass
class Draft:
    """A create the rules accept, before the database is asked: the finding's columns but those of its place,
    its number and its criterion, and its first events but their payloads' place-free parts."""

    actor: Actor
    data: dict  # the request, rectify_mode said
    now: datetime
    state: State
    today: date  # the day its rules are judged on (the device's, within limits)
    year: int  # the ledger's year: the year the hazard was seen, in Asia/Shanghai
    request_hash: str
    row: dict  # every CREATE_COLUMNS key
    steps: list[tuple]  # (action, from_state, to_state, payload) of each creation event
    evidence_photos: list[uuid.UUID] = field(default_factory=list)
    fix_photos: list[uuid.UUID] = field(default_factory=list)

    @property
    def finding_id(self) -> uuid.UUID:
        return self.row["id"]

    @property
    def basis(self) -> dict | None:
        return self.data.get("major_basis") if self.row["level"] == Level.MAJOR.value else None

    def place_at(self, place: Place) -> None:
        self.row.update(enterprise_id=place.enterprise_id, area_id=place.area_id, area_path=place.area_path)

    def numbered(self, last: int) -> str:
        self.row["number"] = finding_number(self.district, self.year, last)
        return self.row["number"]

    @property
    def district(self) -> str:
        return district_code(self.row["area_path"])

    def events(self) -> list[dict]:
        return [self._event(seq, *step) for seq, step in enumerate(self.steps, start=1)]

    def _event(self, seq: int, action: Action, from_state: State | None, to_state: State, payload: dict) -> dict:
        finding_id = self.row["id"]
        return event_values(
            finding_id, self.actor, seq=seq, version=seq, event_id=derived_event_id(finding_id, action),
            action=action, from_state=from_state, to_state=to_state, payload=payload,
            request_hash=self.request_hash, now=self.now, client_at=self.data.get("observed_at"),
            location=self.data.get("location"),
        )  # fmt: skip


def derived_event_id(finding_id: uuid.UUID, action: Action) -> uuid.UUID:
    """Events the create makes itself get ids the client can predict: the same on every retry."""
    return uuid.uuid5(finding_id, action.value)


def draft_report(actor: Actor, data: dict, *, now: datetime) -> Draft:
    """The create's rules and columns, from the request alone (RuleViolation, Forbidden when refused)."""
    observed_at = data.get("observed_at") or now
    if (observed_at - now).total_seconds() > CLOCK_SKEW_ALLOWED_S:
        raise RuleViolation("The observation time is in the future.", {"observed_at": "Check the device clock."})
    today = reference_day(observed_at, now)
    state = check_report(actor, data, today, local_today(observed_at))
    # Left out, the mode is "deadline": said here rather than by the schema, so that a grid worker's report can
    # be told apart from one that sets it (and a retry hashes as it did when the schema filled it in).
    data = {**data, "rectify_mode": data.get("rectify_mode") or RectifyMode.DEADLINE.value}
    row = _row(actor, data, now=now, observed_at=observed_at, today=today)
    row.update(request_hash=fingerprint(actor.id, data), status=state.value, triaged=state is not State.REPORTED)
    fix = data.get("rectification")
    draft = Draft(actor, data, now, state, today, local_today(observed_at).year, row["request_hash"], row, [],
                  list(dict.fromkeys(data.get("photo_ids") or [])),
                  list(dict.fromkeys((fix or {}).get("photo_ids") or [])))  # fmt: skip
    draft.steps = _steps(draft, fix)
    return draft


def report_finding(session: Session, actor: Actor, data: dict, *, now: datetime) -> tuple[uuid.UUID, bool]:
    """Create a finding; return (its id, created). A retry of the same create returns the original's id."""
    draft = draft_report(actor, data, now=now)
    return draft.finding_id, write_report(session, draft) is not None


def write_report(session: Session, draft: Draft) -> Place | None:
    """Write the draft in the session's transaction; its Place, or None when it is a retry (nothing written)."""
    try:
        place = place_of(session, draft.actor, draft.data.get("enterprise_id"))
        draft.place_at(place)
        draft.row["category_id"] = category_id(session, draft.data["category"])
        if draft.basis:
            draft.row["criterion_id"] = citable_criterion(session, draft.basis["criterion"], draft.today).id
    except DomainError:
        if is_retry(session, draft):  # a retry is answered as one, whatever has changed since the create
            return None
        raise
    conn = session.connection()
    draft.numbered(next_last(session, draft.district, draft.year))
    if conn.execute(INSERT_FINDING, draft.row).first() is None:
        # The id exists (or a concurrent create of it committed first): the number goes back, and the stored
        # fingerprint says whether this is that create again.
        give_back_number(session, draft.district, draft.year)
        if is_retry(session, draft):
            return None
        raise RuntimeError("a finding inserted nothing, yet none is stored under its id")
    conn.execute(_INSERT_EVENTS, draft.events())
    if draft.state is not State.REPORTED:  # an order (or a fix on the spot to approve); a report waits for triage
        notify_event(session, draft.actor, Action.REPORT, subject_of(draft.row), from_state=None, now=draft.now)
    declare_photos(session, draft.actor, draft.finding_id, draft.evidence_photos, "evidence", draft.now)
    declare_photos(session, draft.actor, draft.finding_id, draft.fix_photos, "rectification", draft.now,
                   round=1 if draft.fix_photos else None)  # fmt: skip
    return place


def is_retry(session: Session, draft: Draft) -> bool:
    """True when this create already happened; Conflict when the id was used for something else (NotFound when
    that something is a finding the actor may not see: its id is an unknown id to them)."""
    stored = session.connection().execute(_STORED_HASH, {"id": draft.finding_id}).scalar()
    if stored is not None and stored != draft.request_hash:
        raise foreign_id(session, draft.actor, draft.finding_id, "finding", {"id": "Make a new id for this finding."})
    return stored is not None


def place_of(session: Session, actor: Actor, enterprise_id: int | None) -> Place:
    """The enterprise the actor may file at, with its area; without one, the actor's home area."""
    conn = session.connection()
    if enterprise_id is None:
        home = conn.execute(HOME_AREA_OF, {"id": actor.id}).one()
        return Place(None, None, None, None, home.id, home.path, home.code, home.name)
    found = conn.execute(_ENTERPRISE, {"id": enterprise_id}).first()
    if not may_file_at(actor, enterprise_id, found):
        visible_enterprise(session, actor, enterprise_id)  # raises the refusal the lookups word
    return Place(found.id, found.name, found.credit_code, found.address, found.area_id, found.area_path,
                 found.area_code, found.area_name)  # fmt: skip


def may_file_at(actor: Actor, enterprise_id: int, found) -> bool:
    """Whether `found` (a row with area_path and active, or None) takes the actor's finding: the rule
    lookups.visible_enterprise judges, whose refusals are the ones answered."""
    return found is not None and found.active and can_see_enterprise(actor, enterprise_id, found.area_path)


def subject_of(row: dict) -> Subject:
    return Subject(row["id"], row["number"], row["title"], State(row["status"]), row["deadline"], row["area_path"],
                   row["enterprise_id"], row["reporter_id"], row["received_at"])  # fmt: skip


def _row(actor: Actor, data: dict, *, now: datetime, observed_at: datetime, today: date) -> dict:
    level = Level(data.get("level") or Level.GENERAL)
    mode = RectifyMode(data["rectify_mode"])
    basis = data.get("major_basis") if level is Level.MAJOR else None
    deadline = data.get("deadline")
    if deadline is None and actor.role is not Role.GRID_WORKER:  # a grid worker's report waits for its terms
        deadline = today if mode is RectifyMode.IMMEDIATE else default_deadline(level, today)
    location = data.get("location") or {}
    row = dict.fromkeys(CREATE_COLUMNS)
    row.update(
        id=data["id"], level=level.value, nature=data.get("nature"), title=data["title"].strip(),
        description=(data.get("description") or "").strip(), lat=location.get("lat"), lng=location.get("lng"),
        accuracy_m=location.get("accuracy_m"), location_source=location.get("source"),
        address=data.get("address") or "", observed_at=observed_at.astimezone(UTC), received_at=now, updated_at=now,
        reporter_id=actor.id, rectify_mode=mode.value, deadline=deadline,
        major_clause=basis["clause"].strip() if basis else None, extension_pending=False, plan_complete=False,
        rectification_round=0, after_photos_owed=0,
        # a failed checklist item's finding (services.inspections): the inspection and the item it came from
        inspection_id=data.get("inspection_id"), checklist_item_id=data.get("checklist_item_id"),
    )  # fmt: skip
    return row


def _steps(draft: Draft, fix: dict | None) -> list[tuple]:
    """The history starts with the report; a fix on the spot adds its rectification at once (and fills the
    finding's rectification columns)."""
    row, data = draft.row, draft.data
    first_state = State.RECTIFYING if fix else draft.state
    steps = [(Action.REPORT, None, first_state, jsonable({k: v for k, v in data.items() if k != "id"}))]
    if fix:
        row.update(
            rectification_round=1,
            after_photos_owed=len(draft.fix_photos),
            rectification_measures=fix["measures"].strip(),
            rectified_on=fix["completed_on"],
            rectified_at=draft.now,
            rectified_by_id=draft.actor.id,
        )
        steps.append((Action.SUBMIT_RECTIFICATION, first_state, State.PENDING_REVIEW, jsonable(fix)))
    row["events_count"] = row["version"] = len(steps)
    return steps
