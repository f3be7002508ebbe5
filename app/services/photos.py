"""store_photo and its kin: photo bytes in, a content-addressed blob stored once, nothing half-written.

Objects are written before the row that points to them; if the transaction then rolls back, the objects
this request created are deleted again (see _forget_on_rollback).
"""

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.actors import Actor
from app.domain.errors import Conflict, NotFound, RuleViolation
from app.domain.evidence import Slot, check_upload
from app.domain.terms import Action, Role, State
from app.models import Finding, Photo, PhotoBlob
from app.services.history import append_event
from app.services.lookups import foreign_id, visible_finding
from app.storage import Storage

KINDS = ("evidence", "rectification")
MAX_PER_KIND = 9
VARIANTS = ("display", "thumb", "original")
ORIGINAL_READERS = frozenset({Role.SUPERVISOR, Role.ADMIN})  # an enforcement case may need the untouched file
# What process_photo found out about the image that its blob row keeps (the EXIF stays in the database).
DESCRIBED = (
    "media_type", "width", "height", "display_width", "display_height", "thumb_width", "thumb_height",
    "taken_at", "exif_lat", "exif_lng", "camera_make", "camera_model",
)  # fmt: skip
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


_PHOTOS_OF = (
    select(Photo.id, Photo.kind, Photo.round, *(c for c in PhotoBlob.__table__.c if c.name not in ("created_at",)))
    .outerjoin(PhotoBlob, PhotoBlob.sha256 == Photo.sha256)
    .where(Photo.finding_id == bindparam("finding_id"))
    .order_by(Photo.kind, Photo.declared_at, Photo.id)
)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_key(blob, variant: str) -> str:
    """`blob` is a PhotoBlob or anything with its sha256 and media_type."""
    if variant == "original":
        return f"originals/{blob.sha256[:2]}/{blob.sha256}.{EXTENSIONS.get(blob.media_type, 'bin')}"
    return f"{variant}/{blob.sha256[:2]}/{blob.sha256}.jpg"


def store_photo(
    session: Session,
    storage: Storage,
    actor: Actor,
    finding_id: uuid.UUID,
    photo_id: uuid.UUID,
    kind: str | None,
    data: bytes,
    *,
    now: datetime,
    process: Callable,
    sha256: str | None = None,
) -> tuple[Photo, bool]:
    """Attach the bytes to the finding's photo `photo_id`; return (photo, created). A repeat is a no-op.
    `sha256` is the bytes' digest when the caller has it already (a 12 MP photo takes ms to hash)."""
    sha256 = sha256 or digest(data)
    finding, photo, kind = _checked_upload(session, actor, finding_id, photo_id, kind, sha256, for_update=True)
    if photo is not None and photo.sha256 is not None:
        return photo, False
    if photo is None:
        photo = Photo(id=photo_id, finding_id=finding.id, kind=kind, declared_at=now, declared_by_id=actor.id)
        session.add(photo)
    blob = session.get(PhotoBlob, sha256) or _new_blob(session, storage, data, sha256, now, process)
    photo.sha256, photo.uploaded_at, photo.uploaded_by_id = blob.sha256, now, actor.id
    photo.blob = blob
    session.flush()
    _record_arrival(session, finding, actor, photo, now)
    return photo, True


def _record_arrival(session: Session, finding: Finding, actor: Actor, photo: Photo, now: datetime) -> None:
    """A photo that arrives is part of the record: an event in the history and a change /sync hands out. Like a
    comment it leaves the version alone, so an action queued offline behind its own photos is not made stale."""
    if photo.kind == "rectification" and photo.round == finding.rectification_round:
        finding.after_photos_owed = owed_after_photos(session, finding)
    finding.events_count += 1
    finding.updated_at = now
    status = State(finding.status)
    append_event(
        session,
        finding,
        actor,
        event_id=uuid.uuid5(photo.id, Action.PHOTO_ADDED.value),
        action=Action.PHOTO_ADDED,
        from_state=status,
        to_state=status,
        payload={"photo_id": str(photo.id), "kind": photo.kind},
        request_hash=photo.sha256,
        now=now,
    )
    session.flush()


def _checked_upload(
    session, actor, finding_id, photo_id, kind, sha256, *, for_update=False
) -> tuple[Finding, Photo | None, str]:
    """The finding, the photo row if declared or uploaded before, and the kind; or the error for this upload."""
    finding = visible_finding(session, actor, finding_id, for_update=for_update)
    photo = session.get(Photo, photo_id)
    kind, _stored = judge_upload(
        session, actor, finding, photo, kind, sha256, lambda k: _room_used(session, finding.id, k)
    )
    return finding, photo, kind


def judge_upload(session, actor, finding, photo, kind, sha256, room_used: Callable[[str], int]) -> tuple[str, bool]:
    """The rules of an upload: (its kind, whether these bytes are this photo's already), or the error.
    `finding` has id, status and rectification_round, `photo` (None if never declared) finding_id, kind, sha256,
    declared_by_id and round: ORM objects here, one row's columns on the fast path (photo_upload.py).
    The same bytes again under the same id are a retry and always welcome; anything new is judged by
    domain.evidence (who declared the slot, and whether the finding still takes photos)."""
    if photo is not None and photo.finding_id != finding.id:
        raise foreign_id(session, actor, photo.finding_id, "photo")
    kind = kind or (photo.kind if photo else "evidence")
    if photo is not None and photo.kind != kind:
        raise Conflict(f"This photo was declared as {photo.kind}, not {kind}.", {"kind": "Does not match."})
    if photo is not None and photo.sha256 is not None:
        if photo.sha256 != sha256:
            raise Conflict("A different file was already uploaded under this photo id.")
        return kind, True
    slot = None if photo is None else Slot(photo.kind, photo.declared_by_id, photo.round)
    check_upload(actor, State(finding.status), kind, slot, finding.rectification_round)
    if photo is None and room_used(kind) >= MAX_PER_KIND:
        raise too_many(kind)
    return kind, False


def declare_photos(
    session: Session,
    actor: Actor,
    finding_id: uuid.UUID,
    photo_ids: list[uuid.UUID],
    kind: str,
    now: datetime,
    round: int | None = None,
) -> None:
    """The client says which photos belong to the finding before (or after) it sends them. The declarer is the
    one who may fill each slot; after-photos belong to the rectification round that names them."""
    for photo_id in dict.fromkeys(photo_ids):
        photo = session.get(Photo, photo_id)
        if photo is None:
            _check_room(session, finding_id, kind)
            session.add(
                Photo(id=photo_id, finding_id=finding_id, kind=kind, declared_at=now, declared_by_id=actor.id,
                      round=round)
            )  # fmt: skip
            session.flush()
        elif photo.finding_id != finding_id:
            raise foreign_id(session, actor, photo.finding_id, "photo", {"photo_ids": f"{photo_id} is taken."})
        elif photo.kind != kind:
            raise Conflict("A photo id is already used elsewhere.", {"photo_ids": f"{photo_id} is taken."})
        elif round is not None and (photo.round is None or (photo.sha256 is None and photo.round < round)):
            # An upload no round has named yet, or a slot an earlier round declared and never got, becomes the
            # evidence of the round that names it now (and approval waits for it); an arrived photo stays in
            # the round it proved.
            photo.round = round


_AFTER_PHOTOS = (Photo.kind == "rectification", Photo.sha256.is_not(None))


def claim_after_photos(session: Session, finding: Finding, photo_ids: list[uuid.UUID]) -> int:
    """Give the current round its after-photos and count those of this round that are here: the ones it names,
    or, naming none, the ones uploaded since the last submission. A rejected fix's photos do not prove the next
    one, named or not."""
    mine = Photo.finding_id == finding.id
    if not photo_ids:
        # Photo objects already loaded keep their old round: nothing in the request reads them after this.
        claim = update(Photo).where(mine, *_AFTER_PHOTOS, Photo.round.is_(None))
        claim = claim.values(round=finding.rectification_round).execution_options(synchronize_session=False)
        session.execute(claim)
    this_round = Photo.round == finding.rectification_round
    query = select(func.count()).select_from(Photo).where(mine, *_AFTER_PHOTOS, this_round)
    if photo_ids:
        query = query.where(Photo.id.in_(photo_ids))
    return session.scalar(query)


def owed_after_photos(session: Session, finding: Finding) -> int:
    """Declared after-photos of the current round that have not arrived: approval waits for them."""
    query = select(func.count()).select_from(Photo).where(Photo.finding_id == finding.id)
    query = query.where(Photo.kind == "rectification", Photo.sha256.is_(None))
    return session.scalar(query.where(Photo.round == finding.rectification_round))


def missing_after_photos(session: Session, finding_id: uuid.UUID, round: int) -> list[uuid.UUID]:
    query = select(Photo.id).where(Photo.finding_id == finding_id, Photo.kind == "rectification")
    query = query.where(Photo.sha256.is_(None), Photo.round == round).order_by(Photo.declared_at, Photo.id)
    return list(session.scalars(query))


def photos_of(session: Session, finding_id: uuid.UUID) -> list:
    """The finding's photos as rows: id, kind and, once the file arrived, its blob's columns (else None)."""
    return session.connection().execute(_PHOTOS_OF, {"finding_id": finding_id}).all()


def photo_for_download(session: Session, actor: Actor, photo_id: uuid.UUID, variant: str) -> tuple[PhotoBlob, str]:
    """The blob and the object key a caller may fetch, after the same visibility check as the finding."""
    photo = session.get(Photo, photo_id)
    if photo is None or photo.blob is None or variant not in VARIANTS:
        raise NotFound("No such photo.")
    visible_finding(session, actor, photo.finding_id)
    if variant == "original" and actor.role not in ORIGINAL_READERS:
        raise NotFound("No such photo.")  # do not even say the original exists
    return photo.blob, object_key(photo.blob, variant)


def _room_used(session: Session, finding_id: uuid.UUID, kind: str) -> int:
    return session.scalar(
        select(func.count()).select_from(Photo).where(Photo.finding_id == finding_id, Photo.kind == kind)
    )


def _check_room(session: Session, finding_id: uuid.UUID, kind: str) -> None:
    if _room_used(session, finding_id, kind) >= MAX_PER_KIND:
        raise too_many(kind)


def too_many(kind: str) -> RuleViolation:
    return RuleViolation(f"A finding takes at most {MAX_PER_KIND} {kind} photos.", {"photo": "Too many photos."})


def _new_blob(session: Session, storage: Storage, data: bytes, sha256: str, now: datetime, process) -> PhotoBlob:
    processed = process(data)  # 415 or 422 before anything is written
    described = blob_values(data, sha256, processed, now)
    written = put_objects(storage, described, data, processed)
    blob = PhotoBlob(**described)
    try:
        with session.begin_nested():
            session.add(blob)
            session.flush()
    except IntegrityError:
        # Another request stored the same bytes a moment ago: its objects are ours too, keep them.
        return session.get(PhotoBlob, sha256)
    delete_objects_after(session, storage, written, "rollback")
    return blob


def blob_values(data: bytes, sha256: str, processed, now: datetime) -> dict:
    """The photo_blobs row of these bytes, from what process_photo found out about them."""
    return {
        "sha256": sha256,
        "byte_size": len(data),
        "created_at": now,
        **{n: getattr(processed, n) for n in DESCRIBED},
    }


def put_objects(storage: Storage, described: dict, data: bytes, processed) -> list[str]:
    """Write the original and the two re-encoded variants; return their keys."""
    blob = SimpleNamespace(**described)
    written = []
    for variant, payload, media_type in (
        ("original", data, processed.media_type),
        ("display", processed.display, "image/jpeg"),
        ("thumb", processed.thumb, "image/jpeg"),
    ):
        key = object_key(blob, variant)
        storage.put(key, payload, media_type)
        written.append(key)
    return written


def delete_objects_after(session: Session, storage: Storage, keys: list[str], outcome: str) -> None:
    """Delete `keys` from storage once the transaction ends in `outcome` ("commit" or "rollback"); keep them
    if it ends the other way. Storage is not transactional, so its changes follow the database's."""
    session.info.setdefault("photo_objects_pending", []).append((outcome, storage, keys))


def _settle_objects(session: Session, outcome: str) -> None:
    for when, storage, keys in session.info.pop("photo_objects_pending", []):
        if when == outcome:
            for key in keys:
                storage.delete(key)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    _settle_objects(session, "commit")


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    _settle_objects(session, "rollback")
