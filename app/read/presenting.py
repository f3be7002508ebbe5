"""A finding as one caller sees it: JSON-ready values, the derived figures, the actions allowed now.

A finding is read as one row of a Core query (read.rows, no ORM objects) and turned into a dict here; the API's
schemas describe and emit exactly these dicts.
"""

import uuid
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.domain.actors import Actor, FindingFacts
from app.domain.calendar import days_overdue, triage_days
from app.domain.errors import NotFound
from app.domain.lifecycle import allowed_actions
from app.domain.terms import Level, RectifyMode, Role, State
from app.domain.visibility import can_see
from app.models import ExtensionRequest, Finding, PhotoBlob, RectificationPlan
from app.read.inspections import inspection_link
from app.read.rows import finding_rows
from app.read.supervisions import current_supervision
from app.services.history import rounds_of
from app.services.photos import ORIGINAL_READERS, photos_of
from app.services.reference_cache import ReferenceLists, reference_lists

# One finding's statements, built once with bind parameters: building and keying a statement of this size
# anew costs more than running it.
_ONE_FINDING = finding_rows().where(Finding.id == bindparam("finding_id"))
_EXTENSIONS = (
    select(ExtensionRequest.__table__)
    .where(ExtensionRequest.finding_id == bindparam("finding_id"))
    .order_by(ExtensionRequest.id)
)


def _facts(f, status: State) -> FindingFacts:
    return FindingFacts(
        status=status,
        level=Level(f["level"]),
        rectify_mode=RectifyMode(f["rectify_mode"]),
        deadline=f["deadline"],
        reporter_id=f["reporter_id"],
        enterprise_id=f["enterprise_id"],
        area_path=f["area_path"],
        acknowledged=f["acknowledged_at"] is not None,
        extension_pending=f["extension_pending"],
        plan_complete=f["plan_complete"],
        has_major_basis=f["criterion_id"] is not None,
        triaged=f["triaged"],
        after_photos_owed=f["after_photos_owed"],
        supervised=f["supervision_level"] is not None,
    )


def person(viewer: Actor, id: int | None, username, display_name, role: str, unit: str | None = None) -> dict:
    """Someone named in a finding, as the viewer may see them: an enterprise is never told which grid worker
    reported it (举报人保密), only the reporting unit and role."""
    if viewer.role is Role.ENTERPRISE_OFFICER and role == Role.GRID_WORKER.value:
        id = username = display_name = None
    return {"id": id, "username": username, "display_name": display_name, "role": role, "unit": unit}


def present(row, actor: Actor, today: date, refs: ReferenceLists, facts: FindingFacts | None = None) -> dict:
    """One finding row (from finding_rows) as the JSON the caller gets; `facts`, if the caller has them."""
    f = row._mapping  # keyed reads here are ten times cheaper than Row attribute reads
    status = State(f["status"])
    facts = facts or _facts(f, status)
    late = days_overdue(status, f["deadline"], today)
    return {
        "id": f["id"],
        "number": f["number"],
        "status": f["status"],
        "version": f["version"],
        "level": f["level"],
        "nature": f["nature"],
        "category": refs.categories[f["category_id"]],
        "enterprise": None
        if f["enterprise_id"] is None
        else {
            "id": f["enterprise_id"],
            "name": f["enterprise_name"],
            "credit_code": f["enterprise_credit_code"],
            "address": f["enterprise_address"],
        },
        "area": {"code": f["area_code"], "name": f["area_name"]},
        "title": f["title"],
        "description": f["description"],
        "location": None
        if f["lat"] is None
        else {
            "lat": f["lat"],
            "lng": f["lng"],
            "accuracy_m": f["accuracy_m"],
            "source": f["location_source"],
        },
        "address": f["address"],
        "observed_at": f["observed_at"],
        "received_at": f["received_at"],
        "updated_at": f["updated_at"],
        "reported_by": person(
            actor,
            f["reporter_id"],
            f["reporter_username"],
            f["reporter_display_name"],
            f["reporter_role"],
            f["reporter_unit"],
        ),
        "rectify_mode": f["rectify_mode"],
        "deadline": f["deadline"],
        "major_basis": None
        if f["criterion_id"] is None
        else {**refs.criteria[f["criterion_id"]], "clause": f["major_clause"]},
        "overdue": late > 0,
        "days_overdue": late,
        "triage_days": triage_days(status, f["received_at"], today),
        "acknowledged": facts.acknowledged,
        "acknowledged_at": f["acknowledged_at"],
        "extension_pending": f["extension_pending"],
        "plan_complete": f["plan_complete"],
        "rectification": None
        if f["rectified_at"] is None
        else {
            "measures": f["rectification_measures"],
            "completed_on": f["rectified_on"],
            "submitted_at": f["rectified_at"],
        },
        "review": None
        if f["reviewed_at"] is None
        else {
            "comment": f["review_comment"],
            "on_site": f["review_on_site"],
            "at": f["reviewed_at"],
        },
        "closed_at": f["closed_at"],
        "void_reason": f["void_reason"],
        "reopen_reason": f["reopen_reason"],
        "supervision_level": f["supervision_level"],
        "allowed_actions": allowed_actions(facts, actor, today),
    }


def present_detail(session: Session, actor: Actor, finding_id: uuid.UUID, today: date) -> dict:
    """One finding with its plan and extension requests: the answer to a read, a create or an action.

    One row by its key, then the visibility rule in Python (domain.visibility, the twin of the SQL filter
    the lists use): the same NotFound for a finding that does not exist and one the actor may not see."""
    key = {"finding_id": finding_id}
    row = session.connection().execute(_ONE_FINDING, key).first()
    facts = None if row is None else _facts(row._mapping, State(row.status))
    if facts is None or not can_see(actor, facts):
        raise NotFound("No such finding.")
    body = present(row, actor, today, reference_lists(session), facts)
    # A plan migrated from the five-element form is shown (objective missing) though it is not complete.
    body["plan"] = session.get(RectificationPlan, finding_id) if row.level == Level.MAJOR.value else None
    photos = photos_of(session, finding_id)
    body["photos"] = [
        present_photo(photo.id, photo.kind, photo if photo.sha256 else None, actor, photo.round) for photo in photos
    ]
    body["missing_photos"] = [photo.id for photo in photos if photo.sha256 is None]
    body["extension_requests"] = [dict(r._mapping) for r in session.connection().execute(_EXTENSIONS, key)]
    body["rounds"] = rounds_of(session, finding_id, photos) if row.rectification_round else []
    # only a major hazard is ever listed: a general finding's detail asks nothing more
    body["supervision"] = current_supervision(session, finding_id) if row.level == Level.MAJOR.value else None
    body["inspection"] = inspection_link(session, row.inspection_id, row.checklist_item_id)  # null: reported alone
    return body


def present_photo(
    photo_id: uuid.UUID, kind: str, blob: PhotoBlob | None, actor: Actor, round: int | None = None
) -> dict:
    """A photo as the caller sees it: the original's URL only for those who may read the original.
    `blob` is the stored file's description (a PhotoBlob or a row with its columns), None until it arrives."""
    body = {"id": photo_id, "kind": kind, "round": round, "arrived": blob is not None, "urls": {}}
    if blob is None:
        return body
    variants = ("display", "thumb", "original") if actor.role in ORIGINAL_READERS else ("display", "thumb")
    exif = {"lat": blob.exif_lat, "lng": blob.exif_lng} if blob.exif_lat is not None else None
    return {
        **body,
        "sha256": blob.sha256,
        "media_type": blob.media_type,
        "byte_size": blob.byte_size,
        "width": blob.width,
        "height": blob.height,
        "taken_at": blob.taken_at,
        "exif_location": exif,
        "camera": " ".join(part for part in (blob.camera_make, blob.camera_model) if part) or None,
        "urls": {variant: f"/api/v1/photos/{photo_id}/{variant}" for variant in variants},
    }
