"""Issue 13, acceptance 4: GET /api/v1/stats?group_by=district at 1,000,000 findings on PostgreSQL, through the
real application (the Flask test client, the city supervisor's bearer token), beside a bare GROUP BY of the same
rows' district on the same engine; street and month as info rows beside their own bare GROUP BYs.

Its own world, like bench/deadlines.py's: a schema of its own (`bench_stats`) in the benchmark's database,
migrated and seeded like the shared one, then grown to a city's size (every street 10 communities of 5 grids,
400 grids, 2,000 enterprises) and 1,000,000 findings loaded by INSERT ... SELECT over generate_series (no Python
per row: the statistics need a realistic mix, not rule-exact rows): observed evenly over 730 days up to the run,
every state, one in 20 major, listed and extension-pending ones, deadlines either side of today, one in 97 filed at
a district or a street itself with no enterprise; then VACUUM ANALYZE, as autovacuum would have left the table.
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
from bench.world import World, build_world

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
SELECT gen_random_uuid(), 'YH-ST-' || lpad(s.i::text, 7, '0'), md5(s.i::text) || md5((s.i + 1)::text),
    CASE WHEN a.id IS NULL THEN e.id END, coalesce(a.id, e.area_id), coalesce(a.path, e.area_path),
    :c0 + s.i % :categories, CASE WHEN s.i % 20 = 1 THEN 'major' ELSE 'general' END,
    (ARRAY['unsafe_condition', 'unsafe_act', 'management_defect'])[s.i % 3 + 1],
    (ARRAY['消防通道被货物堵塞', '配电箱未上锁且无警示标识', '有限空间作业未进行气体检测',
           '叉车司机无证驾驶'])[s.i % 4 + 1],
    '现场检查发现该问题，已当场告知企业负责人，要求按期整改并上传整改前后照片。', e.lat, e.lng, 5.0 + s.i % 20, 'gps',
    e.address, t.at, t.at + interval '5 minutes', t.at + interval '1 hour', :reporter, 'deadline',
    CASE WHEN st.status <> 'reported' THEN CAST(:today AS date) + (s.i % 60 - 30) END,
    CASE WHEN s.i % 20 = 1 THEN :crit END, CASE WHEN s.i % 20 = 1 THEN '第四条(一)' END, st.status, 2, 2,
    CASE WHEN st.status <> 'reported' THEN t.at + interval '2 hours' END,
    st.status = 'rectifying' AND s.i % 50 = 2, false, st.status <> 'reported',
    CASE WHEN st.status IN ('closed', 'pending_review') THEN 1 ELSE 0 END, 0,
    CASE WHEN st.status = 'closed' THEN t.at + interval '10 days' END,
    CASE WHEN st.status = 'voided' THEN '重复上报' END,
    CASE WHEN s.i % 100 = 1 THEN 'city' WHEN s.i % 100 = 21 THEN 'county' END
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS s(i)
JOIN enterprises e ON e.id = :e0 + s.i % :enterprises
LEFT JOIN (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS n FROM areas
           WHERE level IN ('district', 'street')) a ON s.i % 97 = 0 AND a.n = s.i % :above
CROSS JOIN LATERAL (SELECT CAST(:start AS timestamp) + (s.i * :step) * interval '1 second' AS at) t
CROSS JOIN LATERAL (SELECT CASE s.i % 10 WHEN 0 THEN 'reported' WHEN 1 THEN 'rectifying' WHEN 2 THEN 'rectifying'
    WHEN 3 THEN 'pending_review' WHEN 9 THEN 'voided' ELSE 'closed' END AS status) st
"""


def _load(world: World, grown: dict, rows: int, now: datetime, log) -> float:
    start = now - timedelta(days=SPAN_DAYS)
    with world.app.app_context():
        reporter = world.inspector_ids[1]
    params = {"c0": world.category_ids[0], "categories": len(world.category_ids), "crit": world.criterion_id,
              "reporter": reporter, "today": now.date(), "e0": grown["e0"], "enterprises": grown["enterprises"],
              "above": len(grown["above"]), "start": start.replace(tzinfo=None),
              "step": SPAN_DAYS * 86400 / rows}  # fmt: skip
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


def _ours(world: World, group_by: str):
    client = world.client()
    auth = {"Authorization": f"Bearer {world.supervisor_token}"}

    def call() -> dict:
        response = client.get(URL, query_string={"group_by": group_by}, headers=auth)
        if response.status_code != 200:
            raise BenchmarkFailed(f"GET {URL}?group_by={group_by} -> {response.status_code}: {response.text[:300]}")
        return response.get_json()

    return call


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
    """The one statement of /stats that reads findings, and its parameters, as the engine sent them."""
    seen = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM findings" in statement and "GROUP BY" in statement:
            seen.append((statement, parameters))

    with world.app.app_context():
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
    with world.app.app_context(), db.engine.connect() as conn:
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
    for group_by in ("district", "street", "month"):
        ours, floor = _ours(world, group_by), _floor(world, group_by)
        for _ in range(2):  # warm-up of both, and the check that they counted alike
            answer, floor_rows = ours(), floor()
        _same_counts(answer, floor_rows, group_by)
        ours_s, floor_s = [], []
        for r in range(ROUNDS):
            for side in (("ours", "floor") if r % 2 == 0 else ("floor", "ours")):
                (ours_s if side == "ours" else floor_s).append(_timed(ours if side == "ours" else floor))
        o, f = stats_.median(ours_s), stats_.median(floor_s)
        _log(f"  {group_by}: ours {o * 1000:.0f} ms, floor {f * 1000:.0f} ms ({o / f:.2f})")
        LAST[group_by] = {"ours": ours_s, "floor": floor_s, "rows": len(answer["rows"])}
        if group_by == "district":
            LAST["plan"], LAST["nodes"] = _explain(world, *_statement(world, ours))
            LAST["floor_plan"], LAST["floor_nodes"] = _explain(world, FLOORS["district"])
            _log(LAST["plan"])
        results.append(_result(group_by, rows, grown, o, f, ours_s, floor_s, len(answer["rows"])))
    LAST.update(rows=rows, load_s=load_s, grown=grown)
    return results


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
