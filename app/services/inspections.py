"""检查记录, the write side: submit an inspection (idempotent on the device's id) and append a note to one.

The submission is one transaction: the inspection, its inspectors, one finding per failed item (made by the same
report_finding verb as every finding, so numbered, notified and photo-declared the same way) and the results.
Anything refused (a rule, a finding's id already used) leaves nothing written: the API rolls the whole request
back. A submitted inspection's results never change (the database refuses it); the same body again is a retry,
a different one a conflict, and a later word is a note.
"""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.calendar import local_today
from app.domain.errors import Conflict, DomainError, Forbidden, NotFound, RuleViolation
from app.domain.inspections import (
    ItemBasis,
    Result,
    check_coverage,
    check_finding_ids,
    check_inspectors,
    check_results,
    finding_terms,
)
from app.domain.terms import Role
from app.domain.visibility import in_subtree
from app.models import (
    Area,
    CampaignChecklist,
    CampaignTarget,
    ChecklistVersion,
    Inspection,
    InspectionInspector,
    InspectionNote,
    InspectionResult,
    User,
)
from app.read.campaigns import visible_campaign
from app.read.checklists import checklist_version
from app.read.inspections import may_see_inspection, visible_inspection
from app.services.findings import report_finding
from app.services.fingerprint import fingerprint
from app.services.lookups import visible_enterprise

SUBMITTERS = frozenset({Role.INSPECTOR})  # the person who reports the failed items' findings
ENFORCERS = frozenset({Role.INSPECTOR.value, Role.SUPERVISOR.value})  # who may be named as an inspector
NOTE_WRITERS = frozenset({Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN})


def submit_inspection(session: Session, actor: Actor, data: dict, *, now: datetime) -> tuple[uuid.UUID, bool]:
    """Record a submitted inspection and its findings; return (its id, created)."""
    if actor.role not in SUBMITTERS:
        raise Forbidden("Inspections are submitted by an inspector, who reports the findings they make.")
    request_hash = fingerprint(actor.id, data)
    if _is_retry(session, actor, data["id"], request_hash):
        return data["id"], False
    enterprise = visible_enterprise(session, actor, data["enterprise_id"])
    if data["inspected_on"] > local_today(now):
        raise RuleViolation("An inspection is recorded once made.", {"inspected_on": "In the future."})
    version = _version(session, data)
    if data.get("campaign_id") is not None:
        _check_campaign(session, actor, data, version.checklist_id)
    items = {item.item_id: item for item in version.items}
    results = data["results"]
    check_coverage(list(items), [r["item_id"] for r in results])
    check_results(results)
    check_finding_ids(results)
    inspectors = _inspectors(session, data, enterprise.area_path)
    inspection = Inspection(
        id=data["id"], request_hash=request_hash, enterprise_id=enterprise.id, area_path=enterprise.area_path,
        checklist_version_id=version.id, campaign_id=data.get("campaign_id"), inspected_on=data["inspected_on"],
        enforcement=data["enforcement"], status="submitted", submitted_by_id=actor.id, submitted_at=now,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(inspection)
            session.flush()
    except IntegrityError:  # a concurrent submission of the same id got there first
        if not _is_retry(session, actor, data["id"], request_hash):
            raise
        return data["id"], False
    session.add_all(InspectionInspector(inspection_id=inspection.id, user_id=user.id, position=i, cert_no=cert_no)
                    for i, (user, cert_no) in enumerate(inspectors))  # fmt: skip
    findings = _report_findings(session, actor, inspection, items, results, now)
    session.add_all(
        InspectionResult(inspection_id=inspection.id, item_id=items[r["item_id"]].id, position=i + 1,
                         result=r["result"], note=(r.get("note") or "").strip(), finding_id=findings.get(i))
        for i, r in enumerate(results)
    )  # fmt: skip
    session.flush()
    return inspection.id, True


def _is_retry(session: Session, actor: Actor, inspection_id: uuid.UUID, request_hash: str) -> bool:
    stored = session.scalar(select(Inspection.request_hash).where(Inspection.id == inspection_id))
    if stored is not None and stored != request_hash:
        if not may_see_inspection(session, actor, inspection_id):
            raise NotFound("No such inspection.", {"id": "Make a new id for this inspection."})
        raise Conflict("This inspection was submitted already and its results cannot change: add a note instead.",
                       {"id": "Submitted with other content."})  # fmt: skip
    return stored is not None


def _version(session: Session, data: dict) -> ChecklistVersion:
    try:
        return checklist_version(session, data["checklist_id"], data.get("checklist_version"))
    except NotFound as error:
        field = "checklist_version" if data.get("checklist_version") and "version" in error.fields else "checklist_id"
        raise RuleViolation(error.message, {field: error.message}) from None


def _check_campaign(session: Session, actor: Actor, data: dict, checklist_id: uuid.UUID) -> None:
    try:
        campaign = visible_campaign(session, actor, data["campaign_id"])
    except NotFound:
        raise RuleViolation("No such campaign.", {"campaign_id": "No campaign with this id in your area."}) from None
    key = {"campaign_id": campaign.id}
    uses = session.get(CampaignChecklist, {**key, "checklist_id": checklist_id})
    if uses is None:
        raise RuleViolation("The campaign does not use this checklist.", {"checklist_id": "Not one of the campaign's."})
    if session.get(CampaignTarget, {**key, "enterprise_id": data["enterprise_id"]}) is None:
        raise RuleViolation("The campaign does not target this enterprise.",
                            {"campaign_id": "This enterprise is not among the campaign's targets."})  # fmt: skip


def _inspectors(session: Session, data: dict, enterprise_path: str) -> list[tuple[User, str | None]]:
    """The named inspectors, each an active inspector or supervisor whose area covers the enterprise."""
    names = [i["username"] for i in data["inspectors"]]
    query = select(User, Area.path).join(Area, Area.id == User.area_id).where(User.username.in_(names))
    found = {user.username: (user, path) for user, path in session.execute(query)}
    problems, accepted, seen = {}, [], set()
    for i, entry in enumerate(data["inspectors"]):
        user, path = found.get(entry["username"], (None, None))
        if user is None or not user.active or user.role not in ENFORCERS:
            problems[str(i)] = f"'{entry['username']}' is not an active inspector or supervisor."
        elif not in_subtree(enterprise_path, path):
            problems[str(i)] = f"'{entry['username']}' does not cover this enterprise's area."
        elif user.id in seen:
            problems[str(i)] = "Named twice."
        else:
            accepted.append((user, (entry.get("cert_no") or "").strip() or None))
        seen.add(user.id if user else None)
    check_inspectors(data["enforcement"], len(accepted), problems)
    return accepted


def _report_findings(session, actor, inspection, items, results, now) -> dict[int, uuid.UUID]:
    """One finding per failed item, by the result's index; a refused one refuses the inspection, its problem
    named under the result it came from."""
    made = {}
    for i, r in enumerate(results):
        if r["result"] != Result.FAIL.value:
            continue
        item = items[r["item_id"]]
        basis = ItemBasis(item.id, item.item_id, item.content, item.category.code,
                          item.criterion.code if item.criterion else None, item.major_clause)  # fmt: skip
        terms = finding_terms(basis, r, inspection_id=inspection.id, enterprise_id=inspection.enterprise_id)
        try:
            made[i], _ = report_finding(session, actor, terms, now=now)
        except DomainError as error:
            error.fields = {"results": {str(i): {"finding": error.fields or error.message}}}
            raise
    return made


def add_note(session: Session, actor: Actor, inspection_id: uuid.UUID, data: dict, *, now: datetime) -> bool:
    """Append a note (a correction, a remark) to a submitted inspection; False when it is a retry."""
    inspection = visible_inspection(session, actor, inspection_id)
    if actor.role not in NOTE_WRITERS:
        raise Forbidden("Notes on an inspection are the regulators'.")
    request_hash = fingerprint(actor.id, inspection_id, data)
    stored = session.get(InspectionNote, data["id"])
    if stored is not None:
        if stored.request_hash != request_hash:
            raise Conflict("This note id is already used.", {"id": "Make a new id for this note."})
        return False
    item_row = None
    if data.get("item_id") is not None:
        item_row = next((i.id for i in inspection.checklist_version.items if i.item_id == data["item_id"]), None)
        if item_row is None:
            raise RuleViolation("Not an item of this inspection.", {"item_id": "Not an item of its checklist."})
    session.add(InspectionNote(id=data["id"], inspection_id=inspection.id, item_id=item_row, text=data["text"].strip(),
                               request_hash=request_hash, author_id=actor.id, created_at=now))  # fmt: skip
    session.flush()
    return True
