"""Load many findings fast: one INSERT ... SELECT per batch over a row-number series, straight into the
migrated `findings` table (no events for these rows; the list endpoints do not read them).

Row i (0 = oldest) is received at BASE + (i // 2) * 90 s, so pairs share a timestamp and the id breaks the
tie, and a million rows span about 1.4 years ending an hour ago. Enterprises, reporters, categories, states,
levels and titles rotate so the joins and the per-row rules see a realistic mix.
"""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from app.database import configure_engine
from bench.world import ENTERPRISES_PER_DISTRICT, World

STEP_S = 90
BATCH = 250_000
TITLES = ["消防通道被货物堵塞", "配电箱未上锁且无警示标识", "有限空间作业未进行气体检测", "叉车司机无证驾驶"]
DESCRIPTION = "现场检查发现该问题，已当场告知企业负责人，要求按期整改并上传整改前后照片。"


def _sqlite_sql() -> dict:
    ts = f"strftime('%Y-%m-%d %H:%M:%S', :base + (i / 2) * {STEP_S} + {{d}}, 'unixepoch') || '.000000'"
    return {
        "series": "WITH RECURSIVE seq(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM seq WHERE i < :hi) ",
        "from": "FROM seq",
        "uuid": "lower(hex(randomblob(16)))",
        "hash": "lower(hex(randomblob(32)))",
        "number": "printf('YH-BULK-%07d', i)",
        "ts": ts,
        "date": f"strftime('%Y-%m-%d', :base + (i / 2) * {STEP_S} + {{d}}, 'unixepoch')",
        "false": "0",
        "true": "1",
        "title": "(CASE i % 4 " + " ".join(f"WHEN {n} THEN '{t}'" for n, t in enumerate(TITLES)) + " END)",
    }


def _postgres_sql() -> dict:
    ts = f"(to_timestamp(:base + (i / 2) * {STEP_S} + {{d}}) AT TIME ZONE 'UTC')"
    return {
        "series": "",
        "from": "FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS s(i)",
        "uuid": "gen_random_uuid()",
        "hash": "md5(i::text) || md5((i + 1)::text)",
        "number": "'YH-BULK-' || lpad(i::text, 7, '0')",
        "ts": ts,
        "date": "CAST(" + ts + " AS date)",
        "false": "false",
        "true": "true",
        "title": "(ARRAY[" + ", ".join(f"'{t}'" for t in TITLES) + "])[i % 4 + 1]",
    }


def _insert_sql(world: World) -> str:
    d = _sqlite_sql() if world.dialect == "sqlite" else _postgres_sql()
    ts, date = d["ts"], d["date"]
    status = (
        "(CASE i % 10 WHEN 0 THEN 'reported' WHEN 1 THEN 'rectifying' WHEN 2 THEN 'rectifying' "
        "WHEN 3 THEN 'pending_review' WHEN 9 THEN 'voided' ELSE 'closed' END)"
    )
    columns = {
        "id": d["uuid"],
        "number": d["number"],
        "request_hash": d["hash"],
        "enterprise_id": "e.id",
        "area_id": "e.area_id",
        "area_path": "e.area_path",
        "category_id": f":c0 + i % {len(world.category_ids)}",
        "level": "(CASE WHEN i % 20 = 0 THEN 'major' ELSE 'general' END)",
        "nature": "(CASE i % 3 WHEN 0 THEN 'unsafe_condition' WHEN 1 THEN 'unsafe_act' ELSE 'management_defect' END)",
        "title": d["title"],
        "description": f"'{DESCRIPTION}'",
        "lat": "e.lat + (i % 7) * 0.0001",
        "lng": "e.lng - (i % 5) * 0.0001",
        "accuracy_m": "5.0 + i % 20",
        "location_source": "'gps'",
        "address": "e.address",
        "observed_at": ts.format(d="-300"),
        "received_at": ts.format(d="0"),
        "updated_at": ts.format(d="3600"),
        "reporter_id": f":u0 + (e.id - :e0) / {ENTERPRISES_PER_DISTRICT}",
        "rectify_mode": "'deadline'",
        "deadline": date.format(d=str(15 * 86400)),
        "criterion_id": "(CASE WHEN i % 20 = 0 THEN :crit END)",
        "major_clause": "(CASE WHEN i % 20 = 0 THEN '第四条(一)' END)",
        "status": status,
        "version": "(CASE WHEN i % 10 IN (0, 1, 2) THEN 1 ELSE 3 END)",
        "events_count": "(CASE WHEN i % 10 IN (0, 1, 2) THEN 1 ELSE 3 END)",
        "acknowledged_at": f"(CASE WHEN i % 10 IN (0, 1) THEN NULL ELSE {ts.format(d='600')} END)",
        "extension_pending": d["false"],
        "plan_complete": d["false"],
        "closed_at": f"(CASE WHEN i % 10 BETWEEN 4 AND 8 THEN {ts.format(d='3600')} END)",
        "void_reason": "(CASE WHEN i % 10 = 9 THEN '重复上报' END)",
    }
    return (
        f"{d['series']}INSERT INTO findings ({', '.join(columns)}) "
        f"SELECT {', '.join(columns.values())} {d['from']} "
        f"JOIN enterprises e ON e.id = :e0 + i % {world.enterprises}"
    )


def load_findings(world: World, rows: int, log=print) -> float:
    """Load `rows` findings into a world that has none yet; returns the seconds it took."""
    assert world.rows == 0, "load once per world"
    base_at = datetime.now(UTC) - timedelta(hours=1) - timedelta(seconds=(rows // 2) * STEP_S)
    params = {
        "base": int(base_at.timestamp()),
        "e0": world.first_enterprise_id,
        "u0": world.inspector_ids[0],
        "c0": world.category_ids[0],
        "crit": world.criterion_id,
    }
    sql = text(_insert_sql(world))
    engine = create_engine(world.url, **world.engine_options)
    configure_engine(engine)
    started = time.perf_counter()
    with engine.connect() as conn:
        if world.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -1000000")  # 1 GB for the random-UUID primary key index
            conn.commit()
        for lo in range(0, rows, BATCH):
            hi = min(lo + BATCH, rows) - 1
            with conn.begin():
                conn.execute(sql, {**params, "lo": lo, "hi": hi})
            log(f"  loaded {hi + 1:,} findings ({time.perf_counter() - started:.0f} s)")
        with conn.begin():
            conn.exec_driver_sql("ANALYZE")
    if world.dialect == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    world.rows += rows
    return time.perf_counter() - started
