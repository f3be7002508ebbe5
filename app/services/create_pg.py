"""The create on PostgreSQL: one data-modifying statement, one round trip, committed on its own.

A WITH statement reads the enterprise (with its area, under the reporter's visibility prefix, active) and the
stored fingerprint of the id; only when the id is new and the place is good does it take the district's number
(the counter upsert), insert the finding, its events, its declared photos, and the notices the report causes
(an order to the enterprise's officers, a fix on the spot to the supervisors over its area) with their
deliveries, and hand back one row: the number, the stored fingerprint, the place's columns for the answer.
A request let in with a remembered account (accounts.remembered_account) has that account read again in the
same statement, which writes nothing unless it is still the same row (StaleCredential then).
It runs on a connection in autocommit (the create's request asks for one before signing in: see
app.api.findings), so the statement is the transaction: BEGIN and COMMIT cost no trips.

When it writes nothing (the id is a retry, or something is not plainly good: a place, a category or criterion
to look up, a photo id taken) or fails (a concurrent create of the same id committed first: the INSERT's
unique violation undoes the whole statement, so no number is burnt), the caller answers the slow way, in a
transaction of its own (report_finding), which says exactly what it always said.
"""

import secrets
from dataclasses import dataclass

import psycopg
from sqlalchemy import bindparam, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.domain.calendar import SHANGHAI
from app.domain.deadlines import Audience, DeadlineFacts, notices_for_event
from app.domain.terms import Action, Role, State
from app.jobs.wording import event_wording, kind_of
from app.models import Finding, FindingEvent, Notification, Photo
from app.services.account_memory import StaleCredential
from app.services.accounts import account_still_params
from app.services.findings import CREATE_COLUMNS, Draft, Place
from app.services.prepared import Prepared, cursor_for
from app.services.reference_cache import ReferenceLists

_PG = postgresql.dialect()
FINDINGS, EVENTS = Finding.__table__, FindingEvent.__table__
EVENT_COLUMNS = tuple(c.name for c in EVENTS.c)
# Columns the statement fills itself, from the place or the counter, not from a parameter.
FROM_STATEMENT = {"number", "enterprise_id", "area_id", "area_path", "criterion_id"}
# The number's text, YH-<district>-<year>-<six digits or more>: numbers.finding_number in SQL.
NUMBER = ("'YH-' || c.district || '-' || CAST(:year AS text) || '-' "
          "|| lpad(CAST(c.last AS text), greatest(6, length(CAST(c.last AS text))), '0')")  # fmt: skip
# numbers.district_code in SQL: the second code of the path, or the first of a city's own path.
DISTRICT = "coalesce(nullif(split_part(p.area_path, '/', 3), ''), split_part(p.area_path, '/', 2))"
# reference_rules.criterion_problem(...) is None, in SQL.
CITABLE = ("SELECT id FROM major_criteria WHERE code = :criterion_code AND active "
           "AND (repealed_on IS NULL OR repealed_on > :today) AND (effective_on IS NULL OR effective_on <= :today)")
MARK = "\ue000" + secrets.token_hex(8) + "\ue000"
# accounts._ACCOUNT_BY_TOKEN in SQL, its row (but seen_at) required to be the remembered one, column for column.
ACCOUNT_COLUMNS = ("u.id", "u.username", "u.display_name", "u.role", "u.enterprise_id", "u.must_change_password",
                   "a.code", "a.name", "a.level", "a.path", "e.name", "t.id")  # fmt: skip
ACCOUNT_TYPES = ("integer", "text", "text", "text", "integer", "boolean", "text", "text", "text", "text", "text",
                 "integer")  # fmt: skip
ACCOUNT = (
    "SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT OUTER JOIN areas a ON a.id = u.area_id "
    "LEFT OUTER JOIN enterprises e ON e.id = u.enterprise_id WHERE t.token_hash = :digest AND t.revoked_at IS NULL "
    "AND t.expires_at > CAST(:now AS timestamp) AND u.active AND ROW("
    + ", ".join(f"CAST({c} AS {t})" for c, t in zip(ACCOUNT_COLUMNS, ACCOUNT_TYPES, strict=True))
    + ") IS NOT DISTINCT FROM ROW("
    + ", ".join(f"CAST(:a{i} AS {t})" for i, t in enumerate(ACCOUNT_TYPES))
    + ")"
)  # where a notice's wording takes the number the statement makes


@dataclass(frozen=True)
class Shape:
    """What varies the statement's text (each shape's statement is built once)."""

    enterprise: bool
    events: int
    audience: Audience | None
    major: bool
    recheck: bool  # the request came in with a remembered account: read it again, write only if unchanged


def _typed(table, column: str, param: str) -> str:
    return f"CAST(:{param} AS {table.c[column].type.compile(dialect=_PG)})"


def _place_cte(shape: Shape) -> str:
    if shape.enterprise:
        place = ("SELECT e.id, e.area_id, e.area_path, e.active, e.name, e.credit_code, e.address, "
                 "a.code AS area_code, a.name AS area_name FROM enterprises e JOIN areas a ON a.id = e.area_id "
                 "WHERE e.id = :enterprise_id")  # fmt: skip
    else:
        place = ("SELECT NULL::integer AS id, a.id AS area_id, a.path AS area_path, true AS active, NULL AS name, "
                 "NULL AS credit_code, NULL AS address, a.code AS area_code, a.name AS area_name "
                 "FROM users u JOIN areas a ON a.id = u.area_id WHERE u.id = :reporter_id")  # fmt: skip
    good = ["p.active", "NOT EXISTS (SELECT 1 FROM existing)",
            "NOT EXISTS (SELECT 1 FROM photos WHERE id = ANY(CAST(:photo_ids AS uuid[])))"]  # fmt: skip
    if shape.enterprise:
        good.append("left(p.area_path, length(:scope)) = :scope")  # visibility.in_subtree: a reporter's area
    if shape.major:
        good.append("EXISTS (SELECT 1 FROM crit)")
    if shape.recheck:
        good.append("EXISTS (SELECT 1 FROM account)")
    ctes = [f"place AS ({place})", "existing AS (SELECT request_hash FROM findings WHERE id = CAST(:id AS uuid))"]
    if shape.major:
        ctes.append(f"crit AS ({CITABLE})")
    if shape.recheck:
        ctes.append(f"account AS ({ACCOUNT})")
    ctes.append(f"good AS (SELECT p.* FROM place p WHERE {' AND '.join(good)})")
    return ", ".join(ctes)


def _writes(shape: Shape) -> str:
    criterion = "(SELECT id FROM crit)" if shape.major else "NULL"
    from_place = {"enterprise_id": "p.id", "area_id": "p.area_id", "area_path": "p.area_path", "number": NUMBER,
                  "criterion_id": criterion}  # fmt: skip
    values = [from_place.get(c) or _typed(FINDINGS, c, c) for c in CREATE_COLUMNS]
    ctes = [
        f"counter AS (INSERT INTO finding_counters (district_code, year, last) "
        f"SELECT {DISTRICT}, CAST(:year AS integer), 1 FROM good p "
        "ON CONFLICT (district_code, year) DO UPDATE SET last = finding_counters.last + 1 "
        "RETURNING district_code AS district, last)",
        f"finding AS (INSERT INTO findings ({', '.join(CREATE_COLUMNS)}) SELECT {', '.join(values)} "
        "FROM counter c, good p RETURNING id, number)",
    ]
    for n in range(1, shape.events + 1):
        cols = [("f.id" if c == "finding_id" else _typed(EVENTS, c, f"e{n}_{c}")) for c in EVENT_COLUMNS]
        ctes.append(f"event{n} AS (INSERT INTO finding_events ({', '.join(EVENT_COLUMNS)}) "
                    f"SELECT {', '.join(cols)} FROM finding f)")  # fmt: skip
    ctes.append(
        "photo AS (INSERT INTO photos (id, finding_id, kind, declared_at, declared_by_id, round) "
        "SELECT ph.id, f.id, ph.kind, CAST(:now AS timestamp), CAST(:reporter_id AS integer), ph.round FROM finding f, "
        "unnest(CAST(:photo_ids AS uuid[]), CAST(:photo_kinds AS text[]), CAST(:photo_rounds AS integer[])) "
        "AS ph(id, kind, round))"
    )
    if shape.audience is not None:
        ctes += _notices(shape.audience)
    return ", ".join(ctes)


def _notices(audience: Audience) -> list[str]:
    """event_notices.notify_event and notifications.write_notifications in SQL: one notice per recipient but the
    reporter, in recipient order (so ids follow it), then an email for each who chose email and has an address,
    and the group robot once, on the first of them who chose it."""
    if audience is Audience.OFFICERS:
        who = (f"SELECT u.id, u.channels, u.email FROM users u, good p WHERE u.enterprise_id = p.id "
               f"AND u.role = '{Role.ENTERPRISE_OFFICER.value}' AND u.active AND u.id <> :reporter_id")  # fmt: skip
    else:  # the supervisors whose home area is the finding's or contains it (audiences.supervisors_over)
        who = (f"SELECT u.id, u.channels, u.email FROM users u JOIN areas a ON a.id = u.area_id, good p "
               f"WHERE left(p.area_path, length(a.path)) = a.path AND u.role = '{Role.SUPERVISOR.value}' "
               "AND u.active AND u.id <> :reporter_id")  # fmt: skip
    return [
        f"recipient AS ({who})",
        "notice AS (INSERT INTO notifications (recipient_id, finding_id, rule, kind, due_at, title, body, "
        "created_at, read_at) SELECT r.id, f.id, :rule, :kind, CAST(:due_at AS timestamp), "
        "replace(:n_title, :mark, f.number), replace(:n_body, :mark, f.number), CAST(:now AS timestamp), NULL "
        "FROM finding f, recipient r ORDER BY r.id RETURNING id, recipient_id)",
        "delivery AS (INSERT INTO deliveries (notification_id, channel, status, attempts, next_attempt_at, "
        "created_at) SELECT d.id, d.channel, 'queued', 0, CAST(:now AS timestamp), CAST(:now AS timestamp) FROM ("
        "SELECT n.id, 'email' AS channel FROM notice n JOIN recipient r ON r.id = n.recipient_id "
        "WHERE CAST(r.channels AS jsonb) ? 'email' AND coalesce(r.email, '') <> '' "
        "UNION ALL SELECT min(n.id), 'webhook' FROM notice n JOIN recipient r ON r.id = n.recipient_id "
        "WHERE CAST(r.channels AS jsonb) ? 'webhook' HAVING count(*) > 0) d ORDER BY d.id, d.channel)",
    ]


_statements: dict[Shape, Prepared] = {}


def statement(shape: Shape) -> Prepared:
    if shape not in _statements:
        criterion = "(SELECT id FROM crit)" if shape.major else "NULL"
        account = "EXISTS (SELECT 1 FROM account)" if shape.recheck else "true"
        sql = (f"WITH {_place_cte(shape)}, {_writes(shape)} "
               f"SELECT (SELECT number FROM finding), (SELECT request_hash FROM existing), {criterion}, {account}, "
               "p.id, p.area_id, p.area_path, p.name, p.credit_code, p.address, p.area_code, p.area_name "
               "FROM (SELECT 1) one LEFT JOIN place p ON true")  # fmt: skip
        typed = [bindparam(c, type_=FINDINGS.c[c].type) for c in CREATE_COLUMNS if c not in FROM_STATEMENT]
        for n in range(1, shape.events + 1):
            typed += [bindparam(f"e{n}_{c}", type_=EVENTS.c[c].type) for c in EVENT_COLUMNS if c != "finding_id"]
        typed += [bindparam("now", type_=FINDINGS.c.received_at.type),
                  bindparam("due_at", type_=Notification.due_at.type),
                  bindparam("photo_ids", type_=postgresql.ARRAY(Photo.id.type))]  # fmt: skip
        names = text(sql).compile(dialect=_PG).binds
        _statements[shape] = Prepared(text(sql).bindparams(*(b for b in typed if b.key in names)))
    return _statements[shape]


def autocommit_for_create(session: Session) -> None:
    """Give the request's session a connection in autocommit before anything reads (the signed-in user's read
    then costs no BEGIN either). The create's fallback, report_finding, starts a real transaction afresh."""
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def create_on_postgres(raw, dialect, draft: Draft, refs: ReferenceLists, unverified=None) -> tuple:
    """(the Place of the new finding, or None with nothing written; whether the stored fingerprint showed a
    retry; whether the remembered account `unverified` was read again and found unchanged). StaleCredential
    when it was not. Only on a connection in autocommit: inside a transaction a failed statement would abort it."""
    if not raw.autocommit:
        return None, False, False
    params = _params(draft, refs, unverified)
    if params is None:
        return None, False, False
    shape = params.pop("_shape")
    cursor = cursor_for(raw, dialect)
    try:
        found = statement(shape).first(cursor, dialect, params)
    except psycopg.errors.IntegrityError:  # lost the race for the id (or for a photo id): nothing was written
        return None, False, False
    finally:
        cursor.close()
    number, stored, criterion_id, account_holds, *place = found
    if not account_holds:
        raise StaleCredential
    if number is None:
        return None, stored == draft.request_hash, True
    draft.row.update(number=number, criterion_id=criterion_id)
    place = Place(place[0], place[3], place[4], place[5], place[1], place[2], place[6], place[7])
    draft.place_at(place)
    return place, False, True


def _params(draft: Draft, refs: ReferenceLists, unverified) -> dict | None:
    """The statement's parameters, or None when the fast path cannot judge this create alone."""
    data, actor, row = draft.data, draft.actor, draft.row
    category = refs.active_category_ids.get(data["category"])
    photo_ids = [*draft.evidence_photos, *draft.fix_photos]
    enterprise = data.get("enterprise_id") is not None
    if category is None or len(set(photo_ids)) < len(photo_ids) or (enterprise and not actor.area_path):
        return None
    row["category_id"] = category
    notices = notices_for_event(Action.REPORT, _facts(draft), draft.now)
    if len(notices) > 1 or (notices and draft.state is State.REPORTED):
        return None
    notice = notices[0] if notices else None
    wording = None
    if notice is not None:
        wording = event_wording(notice.rule, MARK, row["title"], row["deadline"], {})
        if MARK in row["title"] or wording[0].count(MARK) + wording[1].count(MARK) == 0:
            return None
    shape = Shape(enterprise, len(draft.steps), notice.audience if notice else None, draft.basis is not None,
                  unverified is not None)  # fmt: skip
    params = {c: row[c] for c in CREATE_COLUMNS if c not in FROM_STATEMENT}
    for n, event in enumerate(draft.events(), start=1):
        params.update({f"e{n}_{c}": v for c, v in event.items() if c != "finding_id"})
    params.update(
        _shape=shape, year=draft.year, now=draft.now, scope=actor.area_path, enterprise_id=data.get("enterprise_id"),
        photo_ids=photo_ids, photo_kinds=["evidence"] * len(draft.evidence_photos) + ["rectification"] *
        len(draft.fix_photos), photo_rounds=[None] * len(draft.evidence_photos) + [1] * len(draft.fix_photos),
        criterion_code=draft.basis["criterion"] if draft.basis else None, today=draft.today,
        rule=notice.rule if notice else None, kind=kind_of(notice.rule) if notice else None,
        due_at=notice.due_at if notice else None, n_title=wording[0] if wording else None,
        n_body=wording[1] if wording else None, mark=MARK,
    )  # fmt: skip
    if unverified is not None:
        params.update(account_still_params(unverified))
    return params


def _facts(draft: Draft) -> DeadlineFacts:
    """What notices_for_event reads of a new finding. Its area is the statement's to find: an event's notice
    takes only its rule, audience and moment from the facts (the audience's people are the statement's too)."""
    row = draft.row
    return DeadlineFacts(finding_id=str(row["id"]), status=draft.state, deadline=row["deadline"],
                         received_at=row["received_at"].astimezone(SHANGHAI), area_path="",
                         reporter_id=row["reporter_id"], enterprise_id=draft.data.get("enterprise_id"))  # fmt: skip
