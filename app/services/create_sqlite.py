"""The create on SQLite: the statements a new finding needs, on the DB-API cursor, in a transaction of their own.

The transaction takes SQLite's write lock from its first statement (BEGIN IMMEDIATE), so what is read here cannot
change before it is written. The enterprise comes with its area, its safety officers (an order tells them; with
none there is nothing to look up again) and, for a remembered account, that account read again, in one SELECT;
then the district's counter, the finding's INSERT ... ON CONFLICT (id) DO NOTHING RETURNING, its events and its
declared photos; then COMMIT. Whenever this path would not write (an id already used, an enterprise the reporter
may not file at, a category or criterion to look up, a photo id taken) it writes nothing, gives back the number
it took, rolls back and says so: report_finding then answers, as it always has. Each statement is a
services.prepared.Prepared one: compiled once, run with SQLAlchemy's own type processing.
"""

from sqlalchemy import Integer, bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from app.domain.reference_rules import criterion_problem
from app.domain.terms import Action, Role, State
from app.models import Area, Enterprise, FindingEvent, MajorCriterion, Photo, User
from app.services.account_memory import StaleCredential
from app.services.accounts import ACCOUNT_STILL, account_still_params
from app.services.event_notices import notify_event
from app.services.findings import HOME_AREA_OF, INSERT_FINDING, Draft, Place, may_file_at, subject_of
from app.services.numbers import GIVE_BACK_LAST, NEXT_LAST
from app.services.prepared import Prepared, in_transaction
from app.services.reference_cache import ReferenceLists

_officers = (
    select(func.group_concat(User.id))
    .where(User.enterprise_id == Enterprise.id, User.role == Role.ENTERPRISE_OFFICER.value, User.active)
    .scalar_subquery()
)
_ENTERPRISE = (
    select(Enterprise.id, Enterprise.area_id, Enterprise.area_path, Enterprise.active, Enterprise.name,
           Enterprise.credit_code, Enterprise.address, Area.code, Area.name, _officers)
    .join(Area, Area.id == Enterprise.area_id)
    .where(Enterprise.id == bindparam("id"))
)  # fmt: skip
ENTERPRISE = Prepared(_ENTERPRISE, result_types=(None, None, None, Enterprise.active.type))
HOME_AREA = Prepared(HOME_AREA_OF)
# The same, with a last column saying whether a remembered account (accounts.remembered_account) still holds.
ENTERPRISE_AS = Prepared(_ENTERPRISE.add_columns(ACCOUNT_STILL), result_types=ENTERPRISE.result_types)
HOME_AREA_AS = Prepared(HOME_AREA_OF.add_columns(ACCOUNT_STILL), result_types=())
CRITERION = Prepared(
    select(MajorCriterion.id, MajorCriterion.active, MajorCriterion.effective_on, MajorCriterion.repealed_on)
    .where(MajorCriterion.code == bindparam("code")),
    result_types=(None, *(c.type for c in (MajorCriterion.active, MajorCriterion.effective_on,
                                           MajorCriterion.repealed_on))),
)  # fmt: skip
NEXT = Prepared(NEXT_LAST.bindparams(bindparam("year", type_=Integer)))
GIVE_BACK = Prepared(GIVE_BACK_LAST)
BEGIN_WRITING = Prepared(text("BEGIN IMMEDIATE"))
FINDING = Prepared(INSERT_FINDING)
EVENT = Prepared(insert(FindingEvent.__table__))
PHOTO_COLUMNS = ("id", "finding_id", "kind", "declared_at", "declared_by_id", "round")
PHOTO = Prepared(insert(Photo.__table__).values({c: bindparam(c) for c in PHOTO_COLUMNS}))
_taken: dict[int, Prepared] = {}


def taken_photos(n: int) -> Prepared:
    """How many of n photo ids exist already (one statement per list length, built once)."""
    if n not in _taken:
        ids = [bindparam(f"p{i}", type_=Photo.id.type) for i in range(n)]
        _taken[n] = Prepared(select(func.count()).select_from(Photo).where(Photo.id.in_(ids)))
    return _taken[n]


def create_alone_on_sqlite(session: Session, engine, draft: Draft, refs: ReferenceLists, unverified=None) -> tuple:
    """Write the new finding `draft` in a transaction of its own, on a Core connection of the session's engine:
    (its Place, or None with nothing written and report_finding to decide; whether the remembered account
    `unverified` was read again and holds). StaleCredential when it does not.

    The writes are committed here, not by the session: the ORM session's transaction bookkeeping (begin and
    commit) cost more than half the create's statements. The session holds nothing of the create's: at most the
    signed-in user's read, ended first (on SQLite that read holds the write lock this transaction needs)."""
    if in_transaction(session):
        session.commit()
    connection = engine.connect()
    raw = connection.connection.dbapi_connection
    try:
        # The write lock up front, as app.database begins a writing request, but on the driver: SQLAlchemy's
        # begin and commit around it cost a create about as much as two of its statements.
        BEGIN_WRITING.run(raw.cursor(), connection.dialect, {}).close()
        place, checked = create_on_sqlite(connection, raw, connection.dialect, draft, refs, unverified)
        _end(connection, raw, commit=place is not None)
        return place, checked
    except BaseException:
        _end(connection, raw, commit=False)
        raise
    finally:
        connection.close()


def _end(connection, raw, *, commit: bool) -> None:
    """COMMIT or ROLLBACK the transaction begun on the driver; through the connection when a session joined it
    there (_notify), so that SQLAlchemy's transaction ends with it."""
    if connection.in_transaction():
        (connection.commit if commit else connection.rollback)()
    else:
        (raw.commit if commit else raw.rollback)()


def create_on_sqlite(connection, raw, dialect, draft: Draft, refs: ReferenceLists, unverified=None) -> tuple:
    """The create's statements on `raw`, the DB-API connection of `connection`, in its transaction: (its Place,
    or None with nothing written; whether the remembered account was read again and holds)."""
    cursor = raw.cursor()
    checked = [False]
    try:
        found = _place(cursor, dialect, draft, refs, unverified, checked)
        if found is None or not _photos_free(cursor, dialect, draft):
            return None, checked[0]
        place, officers = found
        draft.place_at(place)
        last = NEXT.first(cursor, dialect, {"district": draft.district, "year": draft.year})[0]
        draft.numbered(last)
        if FINDING.first(cursor, dialect, draft.row) is None:  # the id exists: the fingerprint will tell
            GIVE_BACK.run(cursor, dialect, {"district": draft.district, "year": draft.year})
            return None, checked[0]
        EVENT.many(cursor, dialect, draft.events())
        photos = _photo_rows(draft)
        if photos:
            PHOTO.many(cursor, dialect, photos)
    finally:
        cursor.close()
    _notify(connection, draft, officers)
    return place, checked[0]


def _place(cursor, dialect, draft: Draft, refs: ReferenceLists, unverified, checked) -> tuple | None:
    """The place, the enterprise's officers, the category and the criterion; None when one is not plainly good.
    With a remembered account, the place's statement reads the account again (StaleCredential if it changed)."""
    data, actor = draft.data, draft.actor
    category = refs.active_category_ids.get(data["category"])
    if category is None:
        return None
    draft.row["category_id"] = category
    if draft.basis and not _cite(cursor, dialect, draft):
        return None
    params = {"id": actor.id if data.get("enterprise_id") is None else data["enterprise_id"]}
    if unverified is not None:
        params.update(account_still_params(unverified), now=draft.now)
    if data.get("enterprise_id") is None:
        home = (HOME_AREA if unverified is None else HOME_AREA_AS).first(cursor, dialect, params)
        _still(home, unverified, checked)
        return Place(None, None, None, None, *home[:4]), set()
    row = (ENTERPRISE if unverified is None else ENTERPRISE_AS).first(cursor, dialect, params)
    _still(row, unverified, checked)
    if row is None:
        return None
    found = _Found(row[2], row[3])
    if not may_file_at(actor, data["enterprise_id"], found):
        return None
    officers = {int(i) for i in row[9].split(",")} if row[9] else set()
    return Place(row[0], row[4], row[5], row[6], row[1], row[2], row[7], row[8]), officers


def _still(row, unverified, checked: list) -> None:
    if unverified is None:
        return
    if row is None:  # no place to read the account with: it is read alone (create_fast, same_account)
        return
    if not row[-1]:
        raise StaleCredential
    checked[0] = True


class _Found:
    __slots__ = ("active", "area_path")

    def __init__(self, area_path: str, active: bool):
        self.area_path, self.active = area_path, active


def _cite(cursor, dialect, draft: Draft) -> bool:
    found = CRITERION.first(cursor, dialect, {"code": draft.basis["criterion"]})
    if found is None or criterion_problem(found[1], found[2], found[3], draft.today) is not None:
        return False
    draft.row["criterion_id"] = found[0]
    return True


def _photos_free(cursor, dialect, draft: Draft) -> bool:
    """No photo id the create declares is taken (nor named both as evidence and as after-photo)."""
    ids = [*draft.evidence_photos, *draft.fix_photos]
    if not ids:
        return True
    if len(set(ids)) < len(ids):
        return False
    taken = taken_photos(len(ids)).first(cursor, dialect, {f"p{i}": photo_id for i, photo_id in enumerate(ids)})
    return taken[0] == 0


def _photo_rows(draft: Draft) -> list[dict]:
    common = {"finding_id": draft.finding_id, "declared_at": draft.now, "declared_by_id": draft.actor.id}
    return [{**common, "id": photo_id, "kind": "evidence", "round": None} for photo_id in draft.evidence_photos] + [
        {**common, "id": photo_id, "kind": "rectification", "round": 1} for photo_id in draft.fix_photos
    ]


def _notify(connection, draft: Draft, officers: set[int]) -> None:
    """The notices of the report (event_notices), in this transaction: an order tells the enterprise's officers
    (read with the enterprise: with none but the reporter there is nobody to tell), a fix on the spot the
    supervisors over its area. Written through a session joined to this connection's transaction."""
    if draft.state is State.REPORTED or (draft.state is State.RECTIFYING and not officers - {draft.actor.id}):
        return
    connection.begin()  # joins the transaction begun on the driver (app.database begins none over it)
    with Session(bind=connection) as joined:
        notify_event(joined, draft.actor, Action.REPORT, subject_of(draft.row), from_state=None, now=draft.now)
        joined.flush()
