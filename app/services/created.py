"""A new finding's answer, built from what the create wrote: no re-read of the row it has just inserted.

The values are the ones the statements bound, normalised as the database hands them back (UTC instants, the
finding's own defaults), joined with the names the create read with its enterprise and knows of its reporter,
then presented by the read side's own present() and present_photo(): the answer is, byte for byte, what
GET /findings/{id} gives at that moment (tests/api/test_create_fast_path.py holds the two side by side).
"""

from dataclasses import dataclass
from datetime import date

from app.read.presenting import present, present_photo
from app.services.findings import Draft, Place
from app.services.reference_cache import ReferenceLists

# The finding's columns a create never sets: what a fresh row holds in them.
UNSET = dict.fromkeys(
    ("acknowledged_at", "reviewed_at", "reviewed_by_id", "review_comment", "review_on_site", "closed_at",
     "void_reason", "reopen_reason", "supervision_level")
)  # fmt: skip


@dataclass(frozen=True)
class Reporter:
    """The signed-in reporter as a finding's detail names them (read.rows' reporter columns)."""

    id: int
    username: str
    display_name: str
    role: str
    unit: str | None  # their home area's name

    @classmethod
    def of(cls, principal) -> "Reporter":
        area = principal.area
        return cls(principal.id, principal.username, principal.display_name, principal.role,
                   area.name if area else None)  # fmt: skip


class _Row:
    """What present() reads of a row: its mapping."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: dict):
        self._mapping = mapping


def present_written(draft: Draft, place: Place, reporter: Reporter, today: date, refs: ReferenceLists) -> dict:
    """The detail of the finding `draft` just wrote at `place`, as `draft.actor` (its reporter) sees it."""
    if draft.row["inspection_id"] is not None:
        raise ValueError("an inspection's finding is answered by its inspection, not by the create")
    actor = draft.actor
    row = {
        **draft.row, **UNSET,
        "enterprise_name": place.enterprise_name, "enterprise_credit_code": place.enterprise_credit_code,
        "enterprise_address": place.enterprise_address, "area_code": place.area_code, "area_name": place.area_name,
        "reporter_username": reporter.username, "reporter_display_name": reporter.display_name,
        "reporter_role": reporter.role, "reporter_unit": reporter.unit,
    }  # fmt: skip
    body = present(_Row(row), actor, today, refs)
    photos = declared_photos(draft)
    body["plan"] = None  # a major finding's plan comes later, from the enterprise
    body["photos"] = [present_photo(photo_id, kind, None, actor, round) for photo_id, kind, round in photos]
    body["missing_photos"] = [photo_id for photo_id, _kind, _round in photos]
    body["extension_requests"] = []
    body["rounds"] = _rounds(draft, photos)
    body["supervision"] = None  # never listed yet
    body["inspection"] = None
    return body


def declared_photos(draft: Draft) -> list[tuple]:
    """(id, kind, round) of the photos the create declared, in the order photos_of reads them (kind, declared
    at the same moment, id)."""
    evidence = [(photo_id, "evidence", None) for photo_id in draft.evidence_photos]
    after = [(photo_id, "rectification", 1) for photo_id in draft.fix_photos]
    return sorted(evidence, key=lambda p: p[0]) + sorted(after, key=lambda p: p[0])


def _rounds(draft: Draft, photos: list[tuple]) -> list[dict]:
    """A fix on the spot is round 1, submitted with the report (history.rounds_of, from its event)."""
    fix = draft.data.get("rectification")
    if not fix:
        return []
    return [{
        "round": 1, "measures": fix["measures"], "completed_on": fix["completed_on"], "submitted_at": draft.now,
        "photo_ids": [photo_id for photo_id, kind, round in photos if kind == "rectification" and round == 1],
        "review": None,
    }]  # fmt: skip
