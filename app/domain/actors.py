"""Who acts, and what a finding looks like to the rules."""

from dataclasses import dataclass
from datetime import date

from app.domain.terms import Level, RectifyMode, Role, State


@dataclass(frozen=True)
class Actor:
    id: int
    role: Role
    area_path: str | None = None  # materialised path of the home area, e.g. "/350200/350206/"
    enterprise_id: int | None = None


@dataclass(frozen=True)
class FindingFacts:
    status: State
    level: Level
    rectify_mode: RectifyMode
    deadline: date | None
    reporter_id: int
    enterprise_id: int | None
    area_path: str
    acknowledged: bool = False
    extension_pending: bool = False
    plan_complete: bool = False
    has_major_basis: bool = False
    triaged: bool = True  # left `reported` for `rectifying` at some point: the enterprise may see it
    observed_on: date | None = None  # the local day it was observed: no fix can be completed before it
    requested_deadline: date | None = None  # of the pending extension request, if one is pending
    after_photos_owed: int = 0  # declared after-photos of the current round that have not arrived
    supervised: bool = False  # listed for supervision (挂牌督办) now
    enterprise_location: tuple[float, float] | None = None  # (lat, lng), read only when a listed finding is judged
