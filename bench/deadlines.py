"""Issue 12, acceptance 7: the deadline job (`app/jobs/deadlines.py`) over 1,000,000 findings of which 20,000 are
due at the run's moment, on PostgreSQL, beside a bare indexed scan of the same due rows as its floor; and the
EXPLAIN (ANALYZE, BUFFERS) of the job's own candidate query, checked to read only the candidates.

Its own world: a schema of its own (`bench_deadlines`) in the benchmark's database, migrated and seeded like the
shared one and dropped afterwards, so the list benchmarks' bulk rows (a fifth of them rectifying and long overdue)
do not decide what is due, and nothing here changes what the other benchmarks see.

The rows (--rows, default 1,000,000; `--pg-rows` wins) are received evenly over 463 days (40 s apart at 1M),
oldest first, so the heap is in the order a real table fills. Which rows are due is decided by the pure rules
themselves (app/domain/deadlines.py): a deadline date is "due" if a rectifying finding with that deadline has a
notice due at AT, and a report is due if its triage wait falls due; every other row is a state or a deadline the
job must not read (closed, voided, pending review, rectifying with a deadline beyond the job's horizon, reports
received within the last day or before the job's window). So the candidates are exactly the due rows, and the
set-up checks it.
"""

import io
import os
import random
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, create_engine, event, insert, or_, select, text
from sqlalchemy.engine import make_url

from app.domain.calendar import SHANGHAI, local_today
from app.domain.credit_code import make_credit_code
from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineFacts, due_reminders
from app.domain.terms import State
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.jobs.deadlines import LONGEST_REST, run_deadlines
from app.models import Area, Enterprise, Finding, User
from app.services.admin.holidays import work_calendar
from bench.create import BenchmarkFailed
from bench.results import Result
from bench.world import World, build_world

SCHEMA = "bench_deadlines"
AT = datetime(2026, 12, 9, 1, 30, tzinfo=UTC)  # a Wednesday, 09:30 in Shanghai: this morning's notices are due
SPAN = timedelta(days=463)  # the rows are received evenly over it: 40 s apart for 1,000,000
DUE_SHARE = 50  # one row in 50 is due: 20,000 of 1,000,000
ENTERPRISES = 2_000  # the world's 80 and 1,920 more, spread over its 16 grids
ROUNDS = 5  # job runs (each rolled back: every round is a first run at AT); the floor runs 3 times per round
FLOOR_REPEATS = 3
TARGET = "<= 3.00"
# Of the due rows, by the latest step each has reached (every step's notices within the catch-up window are due).
MIX = {"reminder": 0.25, "overdue": 0.20, "street": 0.15, "district": 0.12, "city": 0.08, "triage": 0.20}
CATEGORY = {"escalated_city": "city", "escalated_district": "district", "escalated_street": "street",
            "overdue": "overdue", "triage_waiting": "triage"}  # fmt: skip; deadline_* -> reminder
ORDER = ["city", "district", "street", "overdue", "reminder", "triage"]
FINDINGS = Finding.__table__
FLOOR = (
    "one Core SELECT of the columns the rules and the wording read (id, number, title, status, deadline, "
    "received_at, area_path, reporter_id, enterprise_id) FROM findings WHERE the job's candidate predicate "
    "(rectifying AND deadline <= horizon, OR reported AND received_at in the triage window), fetched to Python "
    "tuples on its own engine; no ORDER BY, no ORM"
)


def _category(notices) -> str:
    rules = {CATEGORY.get(n.rule, "reminder") for n in notices}
    return next(c for c in ORDER if c in rules)


def bounds(settings=DEFAULT_SETTINGS) -> dict:
    """The job's own window at AT (app/jobs/deadlines._candidates): the deadline horizon and the triage window."""
    horizon = local_today(AT) + timedelta(days=max(settings.remind_days_before, default=0)) + LONGEST_REST
    received_by = AT - timedelta(days=settings.triage_workdays - 1)
    received_from = AT - settings.catch_up - timedelta(days=settings.triage_workdays) - LONGEST_REST * 2
    return {"horizon": horizon, "received_by": received_by, "received_from": received_from}


def floor_query(b: dict):
    c = FINDINGS.c
    return select(c.id, c.number, c.title, c.status, c.deadline, c.received_at, c.area_path, c.reporter_id,
                  c.enterprise_id).where(
        or_(
            and_(c.status == State.RECTIFYING.value, c.deadline <= b["horizon"]),
            and_(c.status == State.REPORTED.value, c.received_at <= b["received_by"],
                 c.received_at >= b["received_from"]),
        )
    )  # fmt: skip


# -- the world ------------------------------------------------------------------------------------------------------


def schema_url(url: str) -> str:
    """The same database, with search_path set to the benchmark's own schema on every connection."""
    u = make_url(url)
    return u.update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)


def _reset_schema(url: str, drop_only: bool = False) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        if not drop_only:
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


def _people(world: World) -> dict:
    """More enterprises (2,000 in all), 1 or 2 officers each, and per street 2 inspectors and a supervisor, per
    district a supervisor: everyone a due notice names. Some have chosen email, or email and the group robot, so
    the deliveries are written too. Core INSERTs: set-up, not measured."""
    now = AT - timedelta(days=500)
    with world.app.app_context():
        session = db.session
        areas = session.execute(select(Area.id, Area.code, Area.path, Area.level)).all()
        grids = sorted((a for a in areas if a.level == "grid"), key=lambda a: a.path)
        have = session.scalars(select(Enterprise.id).order_by(Enterprise.id)).all()
        rows = []
        for n in range(len(have) + 1, ENTERPRISES + 1):
            grid = grids[n % len(grids)]
            code = make_credit_code(grid.code[:6], f"DL{n:06d}")
            rows.append({"name": f"厦门期限{n:04d}实业有限公司", "credit_code": code,
                         "sector": ("manufacturing", "warehousing", "chemicals", "retail")[n % 4],
                         "address": f"厦门市测速路{n}号", "lat": 24.45 + n / 100_000, "lng": 118.05 + n / 100_000,
                         "area_id": grid.id, "area_path": grid.path, "contact_name": "王安全",
                         "contact_phone": "13900000000", "active": True})  # fmt: skip
        session.execute(insert(Enterprise), rows)
        enterprises = session.execute(select(Enterprise.id, Enterprise.area_id, Enterprise.area_path)).all()
        users = []

        def person(username, role, area_id, enterprise_id=None, n=0):
            channels = [None, ["email"], None, ["email", "webhook"], ["email"]][n % 5]
            users.append({"username": username, "display_name": username, "password_hash": "!", "role": role,
                          "area_id": area_id, "enterprise_id": enterprise_id, "active": True, "created_at": now,
                          "must_change_password": False, "email": f"{username}@example.cn" if channels else None,
                          "channels": channels})  # fmt: skip

        for a in areas:
            if a.level == "street":
                for k in (1, 2):
                    person(f"dl_inspector_{a.code}_{k}", "inspector", a.id, n=k)
                person(f"dl_supervisor_{a.code}", "supervisor", a.id, n=1)
            elif a.level == "district":
                person(f"dl_supervisor_{a.code}", "supervisor", a.id, n=1)
        for e in enterprises:
            for k in range(1 + (e.id % 3 == 0)):
                person(f"dl_officer_{e.id}_{k}", "enterprise_officer", e.area_id, e.id, n=e.id + k)
        session.execute(insert(User), users)
        by_path = {a.path: a.id for a in areas}
        inspectors = defaultdict(list)
        for uid, area_id in session.execute(
            select(User.id, User.area_id).where(User.role == "inspector", User.username.like("dl_%"))
        ):
            inspectors[area_id].append(uid)
        session.commit()
        db.session.remove()
    street_of = {e.id: by_path["/".join(e.area_path.split("/")[:4]) + "/"] for e in enterprises}
    return {"enterprises": [e.id for e in enterprises], "street_of": street_of, "inspectors": inspectors,
            "officers": sum(1 for u in users if u["role"] == "enterprise_officer"), "users": len(users)}  # fmt: skip


def plan_rows(rows: int, people: dict, calendar: WorkCalendar, settings=DEFAULT_SETTINGS) -> tuple[list, dict]:
    """(i, status, deadline, received_at, enterprise_id, reporter_id, confirmer_id) for every row, oldest first,
    and how many due rows of each kind."""
    rng = random.Random(12)
    b = bounds(settings)
    today = local_today(AT)
    step = SPAN / rows
    last = AT - timedelta(minutes=30)
    first = last - step * (rows - 1)
    received = [first + step * i for i in range(rows)]  # UTC, aware

    def index_at(moment: datetime) -> int:
        return max(0, min(rows, int((moment - first) / step)))

    def day_start(day) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI).astimezone(UTC)

    area_path = "/350200/350203/350203001/35020300101101/"
    due_dates = defaultdict(list)  # category -> deadline dates with a notice due at AT
    for offset in range(-60, 30):
        deadline = today + timedelta(days=offset)
        facts = DeadlineFacts("x", State.RECTIFYING, deadline, AT - timedelta(days=90), area_path, reporter_id=0,
                              term_started_at=AT - timedelta(days=90))  # fmt: skip
        due = due_reminders(facts, AT, calendar, settings)
        if due:
            assert deadline <= b["horizon"], "a due deadline beyond the job's horizon: the job would miss it"
            due_dates[_category(due)].append(deadline)
    total_due = rows // DUE_SHARE
    want = {k: round(total_due * share) for k, share in MIX.items()}
    want["reminder"] += total_due - sum(want.values())
    taken = bytearray(rows)
    plan = [None] * rows
    enterprises, street_of, inspectors = people["enterprises"], people["street_of"], people["inspectors"]

    def staff(enterprise_id: int) -> tuple[int, int]:
        a, b_ = inspectors[street_of[enterprise_id]]
        return (a, b_) if enterprise_id % 2 else (b_, a)

    def pick(lo: int, hi: int, n: int) -> list[int]:
        free = [i for i in range(lo, hi) if not taken[i]]
        if len(free) < n:
            raise BenchmarkFailed(f"not enough rows received in the window for {n} due findings: use more --rows")
        chosen = rng.sample(free, n)
        for i in chosen:
            taken[i] = 1
        return chosen

    got = defaultdict(int)
    for category, dates in due_dates.items():
        if category == "triage" or not want.get(category):
            continue
        share = [want[category] // len(dates)] * len(dates)
        share[0] += want[category] - sum(share)
        for deadline, n in zip(dates, share, strict=True):
            # ordered with a term of 7 to 30 days
            lo = index_at(day_start(deadline - timedelta(days=30)))
            hi = index_at(day_start(deadline - timedelta(days=7)))
            for i in pick(lo, hi, n):
                e = rng.choice(enterprises)
                reporter, confirmer = staff(e)
                plan[i] = (i, "rectifying", deadline, received[i], e, reporter, confirmer if i % 2 else None)
                got[category] += 1
    # reports that wait for triage: due by the rules at AT
    lo, hi = index_at(AT - timedelta(days=10)), index_at(b["received_by"])
    triage_pool = []
    for i in range(lo, hi):
        if taken[i]:
            continue
        facts = DeadlineFacts("x", State.REPORTED, None, received[i].astimezone(SHANGHAI), area_path, reporter_id=0)
        if due_reminders(facts, AT, calendar, settings):
            triage_pool.append(i)
    for i in rng.sample(triage_pool, want["triage"]):
        taken[i] = 1
        e = rng.choice(enterprises)
        plan[i] = (i, "reported", None, received[i], e, staff(e)[0], None)
        got["triage"] += 1
    # everything else: what the job must not read
    quiet_from = b["horizon"] + timedelta(days=1)
    for i in range(rows):
        if taken[i]:
            continue
        at = received[i]
        e = rng.choice(enterprises)
        reporter = staff(e)[0]
        r = rng.random()
        term = at.astimezone(SHANGHAI).date() + timedelta(days=15)
        if at > b["received_by"]:  # the last day: new reports not yet due, new orders, a few fixed on the spot
            status = "reported" if r < 0.3 else "rectifying" if r < 0.75 else "closed" if r < 0.95 else "voided"
        elif at >= b["received_from"]:  # within the triage window: reports here would be read, so none
            status = "closed" if r < 0.6 else "rectifying" if r < 0.85 else "pending_review" if r < 0.95 else "voided"
        else:  # older: mostly closed; a small untriaged backlog; a few rectifying on an extended deadline
            status = ("closed" if r < 0.89 else "voided" if r < 0.94 else "pending_review" if r < 0.97
                      else "reported" if r < 0.98 else "rectifying")  # fmt: skip
        deadline = None if status == "reported" else term
        if status == "rectifying":
            deadline = max(term, quiet_from + timedelta(days=i % 60))
        plan[i] = (i, status, deadline, at, e, reporter, None)
    return plan, dict(got)


NULL = "\\N"  # COPY's text format
COPY_COLUMNS = "i, status, deadline, received_at, enterprise_id, reporter_id, confirmer_id"


def _load(world: World, plan: list, log) -> float:
    """COPY the plan into a temporary table, then one INSERT ... SELECT into findings (the wide columns filled in
    SQL from the enterprise), a report event per finding and a confirm event where an inspector confirmed it.
    The findings are committed and analyzed before the events go in: each event's foreign-key check looks its
    finding up by a plan made from the table's statistics, which must not say the table is empty."""
    engine = create_engine(world.url)
    started = time.perf_counter()
    with engine.connect() as conn:
        with conn.begin():
            conn.exec_driver_sql(
                "CREATE TEMPORARY TABLE plan (i integer PRIMARY KEY, status text, deadline date, "
                "received_at timestamp, enterprise_id integer, reporter_id integer, confirmer_id integer, "
                "id uuid DEFAULT gen_random_uuid())"
            )
            raw = conn.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY plan ({COPY_COLUMNS}) FROM STDIN") as copy:
                buffer = io.StringIO()
                for n, (i, status, deadline, at, e, reporter, confirmer) in enumerate(plan):
                    buffer.write(f"{i}\t{status}\t{deadline or NULL}\t{at.replace(tzinfo=None).isoformat()}\t{e}\t"
                                 f"{reporter}\t{confirmer or NULL}\n")  # fmt: skip
                    if n % 50_000 == 49_999:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
            conn.exec_driver_sql("ANALYZE plan")
        log(f"  copied the plan of {len(plan):,} rows ({time.perf_counter() - started:.0f} s)")
        with conn.begin():
            conn.execute(text(FINDINGS_SQL), {"crit": world.criterion_id, "c0": world.category_ids[0],
                                              "categories": len(world.category_ids)})  # fmt: skip
        with conn.begin():
            conn.exec_driver_sql("ANALYZE findings")
        log(f"  inserted {len(plan):,} findings ({time.perf_counter() - started:.0f} s)")
        with conn.begin():
            conn.exec_driver_sql(EVENTS_SQL)
        log(f"  inserted their events ({time.perf_counter() - started:.0f} s)")
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return time.perf_counter() - started


FINDINGS_SQL = """
INSERT INTO findings (id, number, request_hash, enterprise_id, area_id, area_path, category_id, level, nature, title,
    description, lat, lng, accuracy_m, location_source, address, observed_at, received_at, updated_at, reporter_id,
    rectify_mode, deadline, criterion_id, major_clause, status, version, events_count, acknowledged_at,
    extension_pending, plan_complete, triaged, rectification_round, after_photos_owed, closed_at, void_reason)
SELECT p.id, 'YH-DL-' || lpad(p.i::text, 7, '0'), md5(p.i::text) || md5((p.i + 1)::text), e.id, e.area_id,
    e.area_path, :c0 + p.i % :categories, CASE WHEN p.i % 20 = 0 THEN 'major' ELSE 'general' END,
    (ARRAY['unsafe_condition', 'unsafe_act', 'management_defect'])[p.i % 3 + 1],
    (ARRAY['消防通道被货物堵塞', '配电箱未上锁且无警示标识', '有限空间作业未进行气体检测',
           '叉车司机无证驾驶'])[p.i % 4 + 1],
    '现场检查发现该问题，已当场告知企业负责人，要求按期整改并上传整改前后照片。', e.lat, e.lng, 5.0 + p.i % 20, 'gps',
    e.address, p.received_at - interval '5 minutes', p.received_at, p.received_at + interval '1 hour',
    p.reporter_id, 'deadline', p.deadline, CASE WHEN p.i % 20 = 0 THEN :crit END,
    CASE WHEN p.i % 20 = 0 THEN '第四条(一)' END, p.status,
    CASE WHEN p.confirmer_id IS NULL THEN 1 ELSE 2 END, CASE WHEN p.confirmer_id IS NULL THEN 1 ELSE 2 END,
    CASE WHEN p.status NOT IN ('reported', 'rectifying') THEN p.received_at + interval '2 hours' END,
    false, false, p.status <> 'reported', CASE WHEN p.status IN ('closed', 'pending_review') THEN 1 ELSE 0 END, 0,
    CASE WHEN p.status = 'closed' THEN p.received_at + interval '10 days' END,
    CASE WHEN p.status = 'voided' THEN '重复上报' END
FROM plan p JOIN enterprises e ON e.id = p.enterprise_id
ORDER BY p.i
"""

EVENTS_SQL = """
INSERT INTO finding_events (id, finding_id, seq, action, actor_id, role, client_at, received_at, from_state, to_state,
    version, payload, request_hash)
SELECT gen_random_uuid(), p.id, 1, 'report', p.reporter_id, 'inspector', p.received_at - interval '5 minutes',
    p.received_at, NULL,
    CASE WHEN p.status = 'reported' OR p.confirmer_id IS NOT NULL THEN 'reported' ELSE 'rectifying' END, 1, '{}'::json,
    md5(p.i::text) || md5((p.i + 1)::text)
FROM plan p
UNION ALL
SELECT gen_random_uuid(), p.id, 2, 'confirm', p.confirmer_id, 'inspector', p.received_at + interval '1 hour',
    p.received_at + interval '1 hour', 'reported', 'rectifying', 2, '{}'::json, md5((p.i + 2)::text) || md5(p.i::text)
FROM plan p WHERE p.confirmer_id IS NOT NULL
ORDER BY 2
"""


# -- the plan of the job's candidate query -------------------------------------------------------------------------


def capture_candidate_query(engine, call) -> tuple[str, dict]:
    """Run `call` with a listener on the engine and return the first statement it sends that reads findings as
    the job's candidates: the exact SQL and parameters the job used."""
    seen = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        if not seen and "FROM findings" in statement and "deadline" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    if not seen:
        raise BenchmarkFailed("the deadline job sent no query on findings")
    return seen[0]


def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


def summarize(plan: dict) -> dict:
    """What an EXPLAIN (ANALYZE, FORMAT JSON) plan says about findings: how it was reached, and how many of its
    rows were read (heap rows fetched, before any filter) against how many came out."""
    nodes = list(plan_nodes(plan))
    on_findings = [n for n in nodes if n.get("Relation Name") == "findings"]
    heap = [n for n in on_findings if n["Node Type"] in ("Seq Scan", "Bitmap Heap Scan", "Index Scan",
                                                         "Index Only Scan")]  # fmt: skip
    # rows fetched from the heap and thrown away (a parallel node's per-loop rows are rounded: count these)
    removed = sum(n.get("Rows Removed by Filter", 0) + n.get("Rows Removed by Index Recheck", 0) for n in heap)
    indexes = sorted({n["Index Name"] for n in nodes if "Index Name" in n})
    entries = sum(n["Actual Rows"] * n.get("Actual Loops", 1) for n in nodes if "Index Name" in n)
    return {
        "seq_scan": any(n["Node Type"] == "Seq Scan" for n in on_findings),
        "indexes": indexes,
        "nodes": [n["Node Type"] for n in nodes],
        "read": plan["Actual Rows"] + removed,
        "removed": removed,
        "index_entries": entries,
        "returned": plan["Actual Rows"],
    }


def explain(engine, statement: str, parameters) -> tuple[str, dict]:
    with engine.connect() as conn:
        lines = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
        (doc,) = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters).scalar()
        conn.rollback()
    return "\n".join(lines), doc["Plan"]


# -- the measurement ------------------------------------------------------------------------------------------------


def _job_round(world: World, commit: bool = False, capture: dict | None = None) -> tuple[float, int]:
    with world.app.app_context():
        session = db.session
        try:
            started = time.perf_counter()
            written = run_deadlines(session, AT)
            if commit:
                session.commit()
            elapsed = time.perf_counter() - started
            if capture is not None:  # untimed, before the rollback: what this run wrote, for the write floor
                capture.update(_copy_out(session.connection().connection.driver_connection))
        finally:
            session.rollback()
            db.session.remove()
    return elapsed, written


def _without_status_received_at(world: World, statement: str, parameters) -> tuple[str, dict]:
    """The same plan once ix_findings_status_received_at (migration 0008) is dropped: what the index is for. Last,
    on this benchmark's own schema, which is dropped afterwards."""
    engine = create_engine(world.url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_findings_status_received_at")
    _vacuum(world)
    plan_text, plan = explain(engine, statement, parameters)
    engine.dispose()
    return plan_text, summarize(plan)


def _vacuum(world: World) -> None:
    """Between rounds, untimed: a rolled-back run leaves dead rows (its notifications, its escalations' new
    finding versions) that the next round would otherwise wade through, as no committed run ever would."""
    engine = create_engine(world.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM (INDEX_CLEANUP ON) findings, finding_events, notifications, deliveries")
    engine.dispose()


def _kind(statement: str) -> str:
    """INSERT notifications, SELECT finding_events...: what a statement does, and to which table."""
    words = statement.split()
    verb = words[0].upper()
    if verb == "SELECT":
        table = words[words.index("FROM") + 1] if "FROM" in words else "?"
    elif verb in ("INSERT", "DELETE"):
        table = words[2]
    else:
        table = words[1]
    return f"{verb} {table}"


def _driver_round(world: World) -> dict[str, list]:
    """One more job round, untimed, with listeners on the engine: each kind of statement's count and the
    seconds spent inside the database driver (sending, the database's work, receiving)."""
    spent = defaultdict(lambda: [0, 0.0])

    def before(conn, _cursor, _statement, _parameters, _context, _many):
        conn.info["bench_t0"] = time.perf_counter()

    def after(conn, _cursor, statement, _parameters, _context, _many):
        kind = spent[_kind(statement)]
        kind[0] += 1
        kind[1] += time.perf_counter() - conn.info.pop("bench_t0")

    _vacuum(world)
    with world.app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        try:
            _job_round(world)
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
    return dict(spent)


# What the job writes at AT, told apart from what the set-up loaded by its moment (created_at, received_at and
# updated_at are the run's `now`; nothing else in this world has it): copied out in COPY's text format before the
# round is rolled back, to be sent back as it is by the write floor.
_AT_SQL = f"TIMESTAMP '{AT.astimezone(UTC).replace(tzinfo=None).isoformat(sep=' ')}'"
WRITTEN = {
    "notifications": f"SELECT * FROM notifications WHERE created_at = {_AT_SQL} ORDER BY id",
    "deliveries": f"SELECT * FROM deliveries WHERE created_at = {_AT_SQL} ORDER BY id",
    "finding_events": f"SELECT * FROM finding_events WHERE action = 'escalate' AND received_at = {_AT_SQL}",
}
WRITE_FLOOR = (
    "the bare scan above, then, in the same transaction on its own engine, one COPY ... FROM STDIN per table of "
    "exactly the rows the job wrote in that round (its notifications, deliveries and escalate events, copied out "
    "in COPY's text format before the round was rolled back, ids included) into the same tables with the same "
    "indexes, constraints and foreign keys, and one UPDATE findings ... FROM unnest of the counters and "
    "updated_at the job set; rolled back, untimed, like the job's rounds"
)


def _copy_out(raw) -> dict:
    """The rows the job wrote, as COPY text per table, and the findings it bumped as (id, events_count) arrays."""
    out = {}
    with raw.cursor() as cur:
        for table, query in WRITTEN.items():
            buf = io.BytesIO()
            with cur.copy(f"COPY ({query}) TO STDOUT") as copy:
                for block in copy:
                    buf.write(block)
            out[table] = buf.getvalue()
        cur.execute(f"SELECT id, events_count FROM findings WHERE updated_at = {_AT_SQL} ORDER BY id")
        bumped = cur.fetchall()
    out["bumped"] = ([i for i, _ in bumped], [n for _, n in bumped])
    return out


def _shape(written: dict) -> tuple[int, ...]:
    """How many rows of each table (COPY text has one line per row) and how many findings' counters."""
    return (*(written[table].count(b"\n") for table in WRITTEN), len(written["bumped"][0]))


def _write_floor_round(engine, query, written: dict) -> tuple[float, int]:
    """The bare scan plus bare writes of the same rows the job wrote: the inherent cost of its writes."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        started = time.perf_counter()
        rows = conn.execute(query).all()
        with raw.cursor() as cur:
            for table in WRITTEN:
                with cur.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(written[table])
            ids, counts = written["bumped"]
            cur.execute(
                "UPDATE findings SET events_count = v.n, updated_at = %s FROM unnest(%s::uuid[], %s::integer[]) "
                "AS v(id, n) WHERE findings.id = v.id",
                (AT.astimezone(UTC).replace(tzinfo=None), ids, counts),
            )
        elapsed = time.perf_counter() - started
        conn.rollback()
    return elapsed, len(rows)


def _floor_round(engine, query) -> tuple[float, int]:
    started = time.perf_counter()
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return time.perf_counter() - started, len(rows)


def _counts(world: World) -> dict:
    engine = create_engine(world.url)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("notifications", "deliveries")}  # fmt: skip
        counts["escalate events"] = conn.execute(
            text("SELECT count(*) FROM finding_events WHERE action = 'escalate'")
        ).scalar_one()
    engine.dispose()
    return counts


LAST = {}  # the last run's plan and figures, for docs/benchmarks.md (report.py)


def run(_world: World, backend: str, cfg) -> list[Result]:
    if backend != "PostgreSQL":
        print("  (the deadline benchmark runs on PostgreSQL only: issue 12 asks for it there)", flush=True)
        return []
    log = _log
    rows = cfg.pg_rows or cfg.rows
    base_url = cfg.postgres_url
    url = schema_url(base_url)
    _reset_schema(base_url)
    try:
        started = time.perf_counter()
        world = build_world(url)
        people = _people(world)
        with world.app.app_context():
            calendar = work_calendar(db.session)  # the job's own: the holiday table the deployment keeps
            db.session.remove()
        plan, mix = plan_rows(rows, people, calendar)
        log(f"  planned {rows:,} rows, due: {mix} ({time.perf_counter() - started:.0f} s)")
        seconds = _load(world, plan, log)
        load_s = time.perf_counter() - started
        log(f"  loaded in {seconds:.0f} s; world and load {load_s:.0f} s")
        due = sum(mix.values())
        results = _measure(world, backend, rows, due, mix, people, load_s, cfg)
        LAST["part_s"] = time.perf_counter() - started
        return results
    finally:
        if not os.environ.get("BENCH_DEADLINES_KEEP"):  # =1 keeps the schema, to profile the job on it afterwards
            _reset_schema(base_url, drop_only=True)


def _measure(world, backend, rows, due, mix, people, load_s, cfg) -> list[Result]:
    b = bounds()
    query = floor_query(b)
    floor_engine = create_engine(world.url)
    with world.app.app_context():
        job_engine = db.engine
        statement, parameters = capture_candidate_query(job_engine, lambda: _job_round(world))
        _vacuum(world)
        plan_text, plan = explain(job_engine, statement, parameters)
    summary = summarize(plan)
    _log(plan_text)
    _log(f"  plan: {summary['nodes']}; indexes {summary['indexes']}; index entries read {summary['index_entries']:,}; "
         f"rows read from findings {summary['read']:,}, returned {summary['returned']:,}, due {due:,}")  # fmt: skip
    if summary["removed"]:
        raise BenchmarkFailed(f"the candidate query read and threw away {summary['removed']:,} rows: {summary}")
    if summary["index_entries"] != due:  # dead entries a VACUUM could not remove yet: not the plan's fault
        _log(f"  NOTE: {summary['index_entries']:,} index entries read for {due:,} rows")
    if summary["seq_scan"]:
        raise BenchmarkFailed("the candidate query reads findings with a Seq Scan")
    if summary["returned"] != due:
        raise BenchmarkFailed(f"the candidate query returns {summary['returned']:,} rows, not the {due:,} due")
    ours, floor, wfloor, written, shapes = [], [], [], set(), set()
    try:
        _floor_round(floor_engine, query)  # warm-up for both (the job ran once above)
        capture = {}
        _vacuum(world)
        _job_round(world, capture=capture)
        _vacuum(world)
        _write_floor_round(floor_engine, query, capture)  # warm-up of the write floor
        for r in range(ROUNDS):
            # the write floor always follows the job of its round (it writes what that run wrote)
            sides = ["job", "writes", "floor"] if r % 2 == 0 else ["floor", "job", "writes"]
            for side in sides:
                if side == "job":
                    _vacuum(world)
                    capture = {}
                    seconds, n = _job_round(world, capture=capture)
                    ours.append(seconds)
                    written.add(n)
                    shapes.add(_shape(capture))
                    _log(f"  round {r + 1}: job {seconds:.2f} s, {n:,} notifications")
                elif side == "writes":
                    _vacuum(world)
                    seconds, n = _write_floor_round(floor_engine, query, capture)
                    if n != due:
                        raise BenchmarkFailed(f"the write floor read {n:,} rows, not the {due:,} due")
                    wfloor.append(seconds)
                    _log(f"  round {r + 1}: scan + bare writes {seconds:.2f} s")
                else:
                    for _ in range(FLOOR_REPEATS):
                        seconds, n = _floor_round(floor_engine, query)
                        if n != due:
                            raise BenchmarkFailed(f"the floor read {n:,} rows, not the {due:,} due")
                        floor.append(seconds)
                    _log(f"  round {r + 1}: floor {statistics.median(floor[-FLOOR_REPEATS:]) * 1000:.1f} ms")
        if len(written) != 1:
            raise BenchmarkFailed(f"rounds wrote different numbers of notifications: {sorted(written)}")
        if len(shapes) != 1 or next(iter(shapes))[0] != next(iter(written)):
            raise BenchmarkFailed(f"the rows copied out for the write floor differ from what the job wrote: {shapes}")
        driver = _driver_round(world)
        _vacuum(world)
        committed_s, _ = _job_round(world, commit=True)
        counts = _counts(world)
        again = []
        for _ in range(3):  # autovacuum would have cleaned up after the committed run long before the next one
            _vacuum(world)
            again.append(_job_round(world)[0])
        again_n = _job_round(world)[1]
        if again_n != 0:
            raise BenchmarkFailed(f"a second run at the same moment wrote {again_n} notifications")
        without = _without_status_received_at(world, statement, parameters)
    finally:
        floor_engine.dispose()
    job_s, floor_s, again_s = statistics.median(ours), statistics.median(floor), statistics.median(again)
    wfloor_s = statistics.median(wfloor)
    (n_written,) = written
    (shape,) = shapes
    statements = sum(n for n, _ in driver.values())
    driver_s = sum(t for _, t in driver.values())
    LAST.update(driver=driver, without=without, job_s=job_s, floor_s=floor_s, again_s=again_s, driver_s=driver_s,
                notifications=n_written, wfloor_s=wfloor_s)  # fmt: skip
    _log("  without ix_findings_status_received_at:\n" + without[0])
    w = without[1]
    _log(f"  plan without it: {w['nodes']}; index entries read {w['index_entries']:,}, rows {w['returned']:,}")
    LAST.update(plan=plan_text, summary=summary, rows=rows, due=due, load_s=load_s, counts=counts)
    runs = ", ".join(f"{s:.2f}" for s in ours)
    return [
        Result(
            backend=backend,
            metric=f"deadline job, {rows:,} findings, {due:,} due (ratio = job/bare scan of the due rows)",
            ours=f"{job_s:.2f} s",
            floor=f"{floor_s * 1000:.0f} ms (scan)",
            ratio=job_s / floor_s,
            target=TARGET,
            detail=(
                f"median of {ROUNDS} first runs at {AT.isoformat()} ({runs} s), each rolled back; the floor "
                f"{FLOOR_REPEATS} times per round; due by kind {mix}; {n_written:,} notifications per run for "
                f"{people['officers']:,} officers of {len(people['enterprises']):,} enterprises and "
                f"{people['users'] - people['officers']} street and district staff; a committed run took "
                f"{committed_s:.2f} s and wrote {counts['notifications']:,} notifications, "
                f"{counts['deliveries']:,} deliveries, {counts['escalate events']:,} escalate events; plan: "
                f"{' > '.join(summary['nodes'])} on {', '.join(summary['indexes'])}, {summary['index_entries']:,} "
                f"index entries and {summary['read']:,} rows read from findings for {summary['returned']:,} "
                f"returned (without ix_findings_status_received_at: {without[1]['index_entries']:,} index entries); "
                f"set-up (world, plan, COPY, INSERT, events, "
                f"VACUUM ANALYZE) {load_s:.0f} s"
            ),
        ),
        Result(
            backend=backend,
            metric="deadline job vs a bare floor that also writes the same rows (ratio = job/(scan + writes))",
            ours=f"{job_s:.2f} s",
            floor=f"{wfloor_s:.2f} s (scan+writes)",
            ratio=job_s / wfloor_s,
            target="",
            detail=(
                f"{WRITE_FLOOR}: {shape[0]:,} notifications, {shape[1]:,} deliveries, {shape[2]:,} escalate events, "
                f"{shape[3]:,} findings' counters; median of {ROUNDS} rounds interleaved with the two sides above "
                f"({', '.join(f'{s:.2f}' for s in wfloor)} s); the job's ratio to the bare scan alone is "
                f"{job_s / floor_s:.1f}, the write floor's {wfloor_s / floor_s:.1f}"
            ),
        ),
        Result(
            backend=backend,
            metric="deadline job: its statements alone, time in the driver (ratio = statements/bare scan)",
            ours=f"{statements} st, {driver_s:.2f} s",
            floor=f"{floor_s * 1000:.0f} ms (scan)",
            ratio=driver_s / floor_s,
            target="",
            detail=(
                "one more first run with listeners on the engine's cursor events: what the job's statements cost "
                "inside the driver, whatever the Python around them; by kind: " + "; ".join(
                    f"{kind} {n} x {t:.2f} s" for kind, (n, t) in sorted(driver.items(), key=lambda kv: -kv[1][1])
                )
            ),
        ),
        Result(
            backend=backend,
            metric="deadline job, the same moment again: nothing new (ratio = job/bare scan)",
            ours=f"{again_s:.2f} s",
            floor=f"{floor_s * 1000:.0f} ms (scan)",
            ratio=again_s / floor_s,
            target="",
            detail=f"every 15-minute run after the first of the morning: it reads and decides the same {due:,} "
            "findings and writes nothing (ON CONFLICT DO NOTHING); median of 3",
        ),
    ]


def _log(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)
