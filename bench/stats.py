"""Issue 13, acceptance 4: GET /api/v1/stats?group_by=district at 1,000,000 findings on PostgreSQL, through the
real application (the Flask test client, the city supervisor's bearer token), beside a bare GROUP BY of the same
rows' district on the same engine; street and month as info rows beside their own bare GROUP BYs, and the district
once more on connections whose planner may use no index (what migration 0010's index is for), in the same rounds.

Its own world, like bench/deadlines.py's: a schema of its own (`bench_stats`) in the benchmark's database,
migrated and seeded like the shared one, then grown to a city's size (every street 10 communities of 5 grids,
400 grids, 2,000 enterprises) and 1,000,000 findings loaded by INSERT ... SELECT over generate_series (no Python
per row: the statistics need a realistic mix, not rule-exact rows): observed evenly over 730 days up to the run,
every state among the last 60 days' and mostly closed before (a backlog of 5 % still open), one in 20 major, some
listed, some with an extension pending, each deadline 7 to 30 days after its observation (so overdue ones old and
new), one in 97 filed at a district or a street itself with no enterprise; then VACUUM ANALYZE, as autovacuum
would have left the table.
Dropped afterwards (BENCH_STATS_KEEP=1 keeps it).
"""

import os
import statistics as stats_
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, event, insert, select, text
from sqlalchemy.engine import make_url

from app.domain.credit_code import make_credit_code
from app.extensions import db
from app.models import Area, Enterprise
from bench.create import BenchmarkFailed
from bench.results import Result
from bench.world import IsolatedClient, World, build_world, make_app

SCHEMA = "bench_stats"
ENTERPRISES = 2_000
COMMUNITIES_PER_STREET, GRIDS_PER_COMMUNITY = 10, 5
SPAN_DAYS = 730
BATCH = 250_000
ROUNDS = 5
TARGET = "<= 3.00"
URL = "/api/v1/stats"
# The bare GROUP BY of each breakdown's key over every row: what any answer must at least read and group.
FLOORS = {
    "district": "SELECT split_part(area_path, '/', 3) AS key, count(*) FROM findings GROUP BY 1",
    "street": "SELECT split_part(area_path, '/', 4) AS key, count(*) FROM findings GROUP BY 1",
    "month": "SELECT to_char(observed_at + interval '8 hours', 'YYYY-MM') AS key, count(*) FROM findings GROUP BY 1",
}
FLOOR = (
    "a bare `SELECT <the breakdown's key>, count(*) FROM findings GROUP BY 1` over every row, on the application's "
    "own engine (its pool, so the same connection), fetched to Python tuples: the district is "
    "`split_part(area_path, '/', 3)`, the street `split_part(area_path, '/', 4)`, the month "
    "`to_char(observed_at + interval '8 hours', 'YYYY-MM')`; no WHERE (ours carries the supervisor's scope), one "
    "count instead of eleven, no names, no JSON"
)
LAST = {}  # the last run's figures and plan, for docs/benchmarks.md


def schema_url(url: str) -> str:
    u = make_url(url)
    return u.update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)


def _reset_schema(url: str, drop_only: bool = False) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        if not drop_only:
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


# -- the world ------------------------------------------------------------------------------------------------------


def _grow(world: World) -> dict:
    """Communities and grids under every street, and 2,000 enterprises over the grids (Core INSERTs, untimed)."""
    with world.app.app_context():
        session = db.session
        streets = session.execute(select(Area.id, Area.code, Area.path).where(Area.level == "street")).all()
        for street in streets:
            for c in range(1, COMMUNITIES_PER_STREET + 1):
                code = f"{street.code}{c:03d}"
                path = f"{street.path}{code}/"
                session.execute(insert(Area).values(code=code, name=f"第{c}社区", level="community",
                                                    parent_id=street.id, path=path))  # fmt: skip
                parent = session.scalar(select(Area.id).where(Area.code == code))
                session.execute(insert(Area), [
                    {"code": f"{code}{g}", "name": f"第{c}社区第{g}网格", "level": "grid", "parent_id": parent,
                     "path": f"{path}{code}{g}/"}
                    for g in range(1, GRIDS_PER_COMMUNITY + 1)
                ])  # fmt: skip
        grids = session.execute(select(Area.id, Area.code, Area.path).where(Area.level == "grid")).all()
        have = session.scalar(select(db.func.count()).select_from(Enterprise))
        session.execute(insert(Enterprise), [
            {"name": f"厦门统计{n:04d}实业有限公司", "credit_code": make_credit_code(grid.code[:6], f"TJ{n:06d}"),
             "sector": ("manufacturing", "warehousing", "chemical", "retail", "construction", "catering")[n % 6],
             "address": f"厦门市统计路{n}号", "lat": 24.45 + n / 100_000, "lng": 118.05 + n / 100_000,
             "area_id": grid.id, "area_path": grid.path, "contact_name": "王安全", "contact_phone": "13900000000",
             "active": True}
            for n, grid in ((n, grids[n % len(grids)]) for n in range(have + 1, ENTERPRISES + 1))
        ])  # fmt: skip
        session.commit()
        first = session.scalar(select(db.func.min(Enterprise.id)))
        count = session.scalar(select(db.func.count()).select_from(Enterprise))
        above = session.execute(
            select(Area.id, Area.path).where(Area.level.in_(("district", "street"))).order_by(Area.id)
        ).all()
        areas = session.scalar(select(db.func.count()).select_from(Area))
        db.session.remove()
    return {"e0": first, "enterprises": count, "above": above, "areas": areas, "grids": len(grids)}


FINDINGS_SQL = """
INSERT INTO findings (id, number, request_hash, enterprise_id, area_id, area_path, category_id, level, nature, title,
    description, lat, lng, accuracy_m, location_source, address, observed_at, received_at, updated_at, reporter_id,
    rectify_mode, deadline, criterion_id, major_clause, status, version, events_count, acknowledged_at,
    extension_pending, plan_complete, triaged, rectification_round, after_photos_owed, closed_at, void_reason,
    supervision_level)
SELECT gen_random_uuid(), 'YH-TJ-' || lpad(s.i::text, 7, '0'), md5(s.i::text) || md5((s.i + 1)::text),
    CASE WHEN a.id IS NULL THEN e.id END, coalesce(a.id, e.area_id), coalesce(a.path, e.area_path),
    :c0 + s.i % :categories, CASE WHEN s.i % 20 = 1 THEN 'major' ELSE 'general' END,
    (ARRAY['unsafe_condition', 'unsafe_act', 'management_defect'])[s.i % 3 + 1],
    (ARRAY['消防通道被货物堵塞', '配电箱未上锁且无警示标识', '有限空间作业未进行气体检测',
           '叉车司机无证驾驶'])[s.i % 4 + 1],
    '现场检查发现该问题，已当场告知企业负责人，要求按期整改并上传整改前后照片。', e.lat, e.lng, 5.0 + s.i % 20, 'gps',
    e.address, t.at, t.at + interval '5 minutes', t.at + interval '1 hour', :reporter, 'deadline',
    CASE WHEN st.status <> 'reported' THEN CAST(t.at + interval '8 hours' AS date) + (7 + s.i % 24) END,
    CASE WHEN s.i % 20 = 1 THEN :crit END, CASE WHEN s.i % 20 = 1 THEN '第四条(一)' END, st.status, 2, 2,
    CASE WHEN st.status <> 'reported' THEN t.at + interval '2 hours' END,
    st.status = 'rectifying' AND s.i % 7 = 2, false, st.status <> 'reported',
    CASE WHEN st.status IN ('closed', 'pending_review') THEN 1 ELSE 0 END, 0,
    CASE WHEN st.status = 'closed' THEN t.at + interval '1 day' * (3 + s.i % 25) END,
    CASE WHEN st.status = 'voided' THEN '重复上报' END,
    CASE WHEN st.status = 'rectifying' AND s.i % 20 = 1 AND s.i % 3 = 0
         THEN (ARRAY['province', 'city', 'county'])[s.i % 9 / 3 + 1] END
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS s(i)
JOIN enterprises e ON e.id = :e0 + s.i % :enterprises
LEFT JOIN (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS n FROM areas
           WHERE level IN ('district', 'street')) a ON s.i % 97 = 0 AND a.n = s.i % :above
CROSS JOIN LATERAL (SELECT CAST(:start AS timestamp) + (s.i * :step) * interval '1 second' AS at,
                           abs(hashint4(s.i) % 100) AS r) t
-- the last 60 days: every state; before that mostly closed, with a small backlog still open
CROSS JOIN LATERAL (SELECT CASE WHEN t.at > CAST(:recent AS timestamp) THEN
        CASE WHEN t.r < 10 THEN 'reported' WHEN t.r < 45 THEN 'rectifying' WHEN t.r < 60 THEN 'pending_review'
             WHEN t.r < 95 THEN 'closed' ELSE 'voided' END
    ELSE CASE WHEN t.r < 1 THEN 'reported' WHEN t.r < 4 THEN 'rectifying' WHEN t.r < 5 THEN 'pending_review'
              WHEN t.r < 95 THEN 'closed' ELSE 'voided' END END AS status) st
"""


def _load(world: World, grown: dict, rows: int, now: datetime, log) -> float:
    start = now - timedelta(days=SPAN_DAYS)
    with world.app.app_context():
        reporter = world.inspector_ids[1]
    params = {"c0": world.category_ids[0], "categories": len(world.category_ids), "crit": world.criterion_id,
              "reporter": reporter, "e0": grown["e0"], "enterprises": grown["enterprises"],
              "above": len(grown["above"]), "start": start.replace(tzinfo=None),
              "step": SPAN_DAYS * 86400 / rows, "recent": (now - timedelta(days=60)).replace(tzinfo=None)}  # fmt: skip
    engine = create_engine(world.url)
    started = time.perf_counter()
    with engine.connect() as conn:
        for lo in range(0, rows, BATCH):
            with conn.begin():
                conn.execute(text(FINDINGS_SQL), {**params, "lo": lo, "hi": min(lo + BATCH, rows) - 1})
            log(f"  loaded {min(lo + BATCH, rows):,} findings ({time.perf_counter() - started:.0f} s)")
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return time.perf_counter() - started


# -- the measurement ------------------------------------------------------------------------------------------------


def _ours(world: World, group_by: str, app=None):
    app = app or world.app
    app.test_client_class = IsolatedClient
    client = app.test_client()
    auth = {"Authorization": f"Bearer {world.supervisor_token}"}

    def call() -> dict:
        response = client.get(URL, query_string={"group_by": group_by}, headers=auth)
        if response.status_code != 200:
            raise BenchmarkFailed(f"GET {URL}?group_by={group_by} -> {response.status_code}: {response.text[:300]}")
        return response.get_json()

    return call


def heap_app(world: World):
    """The same application on connections whose planner may use no index: what /stats costs without
    ix_findings_stats (or any index), measured in the same rounds as with it."""
    url = make_url(world.url)
    options = f"{url.query['options']} -cenable_indexscan=off -cenable_indexonlyscan=off -cenable_bitmapscan=off"
    return make_app(url.update_query_dict({"options": options}).render_as_string(hide_password=False))


def _floor(world: World, group_by: str):
    def call() -> list:
        with world.app.app_context(), db.engine.connect() as conn:
            return conn.exec_driver_sql(FLOORS[group_by]).all()

    return call


def _same_counts(answer: dict, floor_rows: list, group_by: str) -> None:
    """Ours and the floor counted the same findings into the same keys (the floor's '' is ours' null row)."""
    ours = {r["key"]: r["found"] for r in answer["rows"]}
    floor = {(k or None): n for k, n in floor_rows}
    if ours != floor:
        raise BenchmarkFailed(f"{group_by}: /stats and the bare GROUP BY disagree: {ours} != {floor}")


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _statement(world: World, call) -> tuple[str, dict]:
    return _statement_on(world.app, call)


def _statement_on(app, call) -> tuple[str, dict]:
    """The one statement of /stats that reads findings, and its parameters, as the engine sent them."""
    seen = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM findings" in statement and "GROUP BY" in statement:
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    if len(seen) != 1:
        raise BenchmarkFailed(f"/stats sent {len(seen)} statements on findings, not one")
    return seen[0]


def _explain(world: World, statement: str, parameters=None) -> tuple[str, list[str]]:
    return _explain_on(world.app, statement, parameters)


def _explain_on(app, statement: str, parameters=None) -> tuple[str, list[str]]:
    with app.app_context(), db.engine.connect() as conn:
        lines = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
        (doc,) = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    nodes, stack = [], [doc["Plan"]]
    while stack:
        node = stack.pop(0)
        nodes.append(node["Node Type"] + (f" on {node['Relation Name']}" if "Relation Name" in node else ""))
        stack = node.get("Plans", []) + stack
    return "\n".join(lines), nodes


def _measure(world: World, rows: int, grown: dict, load_s: float) -> list[Result]:
    results = []
    heap = heap_app(world)
    for group_by in ("district", "street", "month"):
        sides = {"ours": _ours(world, group_by), "floor": _floor(world, group_by)}
        if group_by == "district":
            sides["heap"] = _ours(world, group_by, heap)
        for _ in range(2):  # warm-up of every side, and the check that they counted alike
            answers = {name: call() for name, call in sides.items()}
        for name in set(sides) - {"floor"}:
            _same_counts(answers[name], answers["floor"], group_by)
        times = {name: [] for name in sides}
        names = list(sides)
        for r in range(ROUNDS):
            for name in names if r % 2 == 0 else names[::-1]:
                times[name].append(_timed(sides[name]))
        o, f = stats_.median(times["ours"]), stats_.median(times["floor"])
        _log(f"  {group_by}: ours {o * 1000:.0f} ms, floor {f * 1000:.0f} ms ({o / f:.2f})")
        LAST[group_by] = dict(times)
        n_rows = len(answers["ours"]["rows"])
        if group_by == "district":
            LAST["plan"], LAST["nodes"] = _explain(world, *_statement(world, sides["ours"]))
            LAST["floor_plan"], LAST["floor_nodes"] = _explain(world, FLOORS["district"])
            LAST["heap_plan"], LAST["heap_nodes"] = _explain_on(heap, *_statement_on(heap, sides["heap"]))
            _log(LAST["plan"])
        results.append(_result(group_by, rows, grown, o, f, times["ours"], times["floor"], n_rows))
        if group_by == "district":
            results.append(_heap_result(rows, stats_.median(times["heap"]), f, times["heap"]))
    with heap.app_context():
        db.engine.dispose()
    LAST.update(rows=rows, load_s=load_s, grown=grown)
    return results


def _heap_result(rows: int, h: float, f: float, heap_s: list) -> Result:
    LAST["without"] = {"ours": h, "floor": f}
    return Result(
        backend="PostgreSQL",
        metric=f"/stats by district, no index (ix_findings_stats unused), {rows:,} findings (ratio = ours/GROUP BY)",
        ours=f"{h * 1000:.0f} ms",
        floor=f"{f * 1000:.0f} ms (GROUP BY)",
        ratio=h / f,
        target="",
        detail=(f"the same request through the same application on connections whose planner may use no index "
                f"(enable_indexscan, enable_indexonlyscan, enable_bitmapscan off): what it costs without migration "
                f"0010's index; a third side in the same {ROUNDS} rounds (ours {_ms(heap_s)} ms); "
                f"plan: {' > '.join(LAST['heap_nodes'])}"),
    )


def _ms(seconds: list) -> str:
    return ", ".join(f"{s * 1000:.0f}" for s in seconds)


def _result(group_by, rows, grown, o, f, ours_s, floor_s, n_rows) -> Result:
    runs = ", ".join(f"{s * 1000:.0f}" for s in ours_s)
    floors = ", ".join(f"{s * 1000:.0f}" for s in floor_s)
    detail = (f"GET {URL}?group_by={group_by} through the Flask test client as the city's supervisor (every row in "
              f"scope), {n_rows} rows answered; median of {ROUNDS} interleaved with the floor (ours {runs} ms; floor "
              f"{floors} ms); each answer's counts checked against the floor's")  # fmt: skip
    if group_by == "district":
        detail += (f"; plan: {' > '.join(LAST['nodes'])}; the floor's: {' > '.join(LAST['floor_nodes'])}; "
                   f"world: {grown['areas']} areas ({grown['grids']} grids), {grown['enterprises']:,} enterprises")
    return Result(
        backend="PostgreSQL",
        metric=f"/stats by {group_by}, {rows:,} findings (ratio = ours/bare GROUP BY of the same rows)",
        ours=f"{o * 1000:.0f} ms",
        floor=f"{f * 1000:.0f} ms (GROUP BY)",
        ratio=o / f,
        target=TARGET if group_by == "district" else "",
        detail=detail,
    )


def run(_world: World, backend: str, cfg) -> list[Result]:
    if backend != "PostgreSQL":
        print("  (the statistics benchmark runs on PostgreSQL only: issue 13 asks for it there)", flush=True)
        return []
    rows = cfg.pg_rows or cfg.rows
    base_url = cfg.postgres_url
    _reset_schema(base_url)
    try:
        started = time.perf_counter()
        world = build_world(schema_url(base_url))
        grown = _grow(world)
        _load(world, grown, rows, datetime.now(UTC), _log)
        _log(f"  world and {rows:,} findings in {time.perf_counter() - started:.0f} s")
        results = _measure(world, rows, grown, time.perf_counter() - started)
        with world.app.app_context():
            db.engine.dispose()
        LAST["part_s"] = time.perf_counter() - started
        return results
    finally:
        if not os.environ.get("BENCH_STATS_KEEP"):  # =1 keeps the schema, to try other queries on it afterwards
            _reset_schema(base_url, drop_only=True)


def _log(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)
