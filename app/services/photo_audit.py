"""photos verify: does every stored object have its row, and every row its objects?

Objects are written before their row, so an upload in flight has objects and no committed row yet; only
objects older than `grace` count as orphans. The same grace covers unfinished writes (the `.part-*` file a
killed upload leaves on local disk): older than `grace`, nothing will ever finish them.

A row whose objects are gone is repaired by forgetting the bytes: the photos that pointed at it become
declared-but-missing again, so the client (or anyone holding the file) can upload it once more, instead of
the finding showing a picture that cannot be fetched.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Photo, PhotoBlob
from app.services.documents import PREFIX as DOCUMENTS
from app.services.photos import VARIANTS, delete_objects_after, object_key
from app.storage import Storage

DEFAULT_GRACE = timedelta(minutes=15)


@dataclass
class PhotoAudit:
    objects_seen: int = 0
    blobs_seen: int = 0
    orphan_objects: list[str] = field(default_factory=list)  # no row points at them
    young_objects: int = 0  # unreferenced but within the grace period: maybe an upload in flight
    broken_blobs: dict[str, list[str]] = field(default_factory=dict)  # sha256 -> the missing object keys
    unfinished: list[str] = field(default_factory=list)  # temporary files of writes that never finished
    young_unfinished: int = 0  # ... within the grace period: maybe being written right now
    repaired: bool = False

    @property
    def clean(self) -> bool:
        return not self.orphan_objects and not self.broken_blobs and not self.unfinished


def verify_photos(
    session: Session, storage: Storage, *, now: datetime, repair: bool = False, grace: timedelta = DEFAULT_GRACE
) -> PhotoAudit:
    audit = PhotoAudit()
    expected = _expected_keys(session, audit)
    present = set()
    for key, modified in storage.listing():
        if key.startswith(DOCUMENTS):  # the enforcement documents' PDFs share the storage: not photos to judge
            continue
        audit.objects_seen += 1
        present.add(key)
        if key in expected:
            continue
        if now - modified < grace:
            audit.young_objects += 1
        else:
            audit.orphan_objects.append(key)
    for key, sha256 in expected.items():
        if key not in present:
            audit.broken_blobs.setdefault(sha256, []).append(key)
    for name, modified in storage.unfinished():
        if now - modified < grace:
            audit.young_unfinished += 1
        else:
            audit.unfinished.append(name)
    if repair:
        _repair(session, storage, audit)
    return audit


def _expected_keys(session: Session, audit: PhotoAudit) -> dict[str, str]:
    expected = {}
    for blob in session.scalars(select(PhotoBlob)):
        audit.blobs_seen += 1
        for variant in VARIANTS:
            expected[object_key(blob, variant)] = blob.sha256
    return expected


def _repair(session: Session, storage: Storage, audit: PhotoAudit) -> None:
    for key in audit.orphan_objects:
        storage.delete(key)
    for name in audit.unfinished:
        storage.delete_unfinished(name)
    for sha256, _missing in audit.broken_blobs.items():
        blob = session.get(PhotoBlob, sha256)
        session.execute(
            update(Photo)
            .where(Photo.sha256 == sha256)
            .values(sha256=None, uploaded_at=None, uploaded_by_id=None)
            .execution_options(synchronize_session=False)
        )
        survivors = [object_key(blob, variant) for variant in VARIANTS]
        # the surviving variants go once the row is gone for good, not before the commit
        delete_objects_after(session, storage, survivors, "commit")
        session.delete(blob)
    session.flush()
    audit.repaired = True
