"""The two small reference lists every finding names (categories, major-hazard criteria), kept in memory.

They hold a few dozen rows and change when an admin edits them, so a finding page reads them from here
instead of joining them into every query. An admin's edit empties this process's copy when it commits
(app.services.admin.reference_lists); another process sees it within TTL_SECONDS, the price of the cache.
"""

import functools
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Category, MajorCriterion

TTL_SECONDS = 60.0


@dataclass(frozen=True)
class ReferenceLists:
    categories: dict[int, dict]
    criteria: dict[int, dict]
    active_category_ids: dict[str, int]  # code -> id, the categories a new finding may name
    loaded_at: float


_cache: dict[str, ReferenceLists] = {}


def reference_lists(session: Session, engine=None) -> ReferenceLists:
    """The lists, read through `session` when not cached; `engine`, the session's, when the caller has it."""
    key = _key(engine or session.get_bind())
    cached = _cache.get(key)
    if cached is None or time.monotonic() - cached.loaded_at > TTL_SECONDS:
        cached = _cache[key] = _load(session)
    return cached


@functools.lru_cache(maxsize=16)
def _key(engine) -> str:
    return str(engine.url)  # rendering the URL cost more than the look-up it keys (issue 15's create)


def forget() -> None:
    """Drop the cache, e.g. after an admin edits a list or a test rebuilds the database."""
    _cache.clear()


def _load(session: Session) -> ReferenceLists:
    conn = session.connection()
    rows = conn.execute(select(Category.__table__)).all()
    categories = {row.id: {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en} for row in rows}
    active = {row.code: row.id for row in rows if row.active}
    criteria = {
        row.id: {"criterion": row.code, "title": row.title, "document_number": row.document_number}
        for row in conn.execute(select(MajorCriterion.__table__))
    }
    return ReferenceLists(categories, criteria, active, time.monotonic())
