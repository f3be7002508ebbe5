"""The province-load benchmark's world (bench/load.py): a schema of its own (`bench_load`) on PostgreSQL, migrated
and seeded like the shared one (bench/world.py), grown to 416 grids and 2,000 enterprises (bench/stats.py's
growth), with the people who sign in, N findings (bench/bulk.py), their history and their photos' rows.

- People, one of each where the work is: 6 inspectors per district, a supervisor per street and per district (and
  the city's), a grid worker per grid, an officer per enterprise; one password (the fast hash: sign-in is not what
  is measured).
- Findings: the bulk builder's rows (its states, levels, dates: 1,000,000 span about 1.4 years), then spread in one
  UPDATE over the 2,000 enterprises (a hash of the row number picks each one's), reported by the grid worker of the
  enterprise's grid when still in triage, by one of its district's inspectors otherwise, with the counters their
  history below gives them.
- History, ~7 events a finding by its state: reported: report and two photo_added (3); rectifying: + acknowledge
  and a comment (5); pending_review: + the rectification and its after-photo (7); closed: + a second after-photo
  and the approval (9); voided: report, two photos, void (4). Written by one INSERT ... SELECT from a table of steps.
- Photos, ~3 a finding (two before, one or two after): a photo row and a distinct blob row each (1600 x 1200, about
  300 KB as the PWA sends them). Their bytes are not stored: the load reads the rows (the detail lists them) and
  uploads new photos, it never fetches old ones.
"""

import json
import time
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from werkzeug.security import generate_password_hash

from app.domain.calendar import utcnow
from app.extensions import db
from app.models import Area, Enterprise, User
from bench import stats
from bench.bulk import load_findings
from bench.world import FAST_HASH, PASSWORD, World, build_world, make_app

SCHEMA = "bench_load"
SIZES_SQL = ("SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = "
             f"c.relnamespace WHERE n.nspname = '{SCHEMA}' AND relkind = 'r'")  # fmt: skip
INSPECTORS_PER_DISTRICT = 6

# (status, seq, action, from, to, who, photo kind) -> the history of a finding in that state, oldest first
STEPS = {
    "reported": [("report", None, "reported", "reporter", None), ("photo_added", "reported", "reported", "reporter",
                 "evidence"), ("photo_added", "reported", "reported", "reporter", "evidence")],
    "rectifying": [("report", None, "rectifying", "reporter", None),
                   ("photo_added", "rectifying", "rectifying", "reporter", "evidence"),
                   ("photo_added", "rectifying", "rectifying", "reporter", "evidence"),
                   ("acknowledge", "rectifying", "rectifying", "officer", None),
                   ("comment", "rectifying", "rectifying", "reporter", None)],
}  # fmt: skip
_OPEN = STEPS["rectifying"][:4]
STEPS["pending_review"] = [*_OPEN, ("submit_rectification", "rectifying", "pending_review", "officer", None),
                           ("photo_added", "pending_review", "pending_review", "officer", "rectification"),
                           ("comment", "pending_review", "pending_review", "reporter", None)]  # fmt: skip
STEPS["closed"] = [*STEPS["pending_review"][:6],
                   ("photo_added", "pending_review", "pending_review", "officer", "rectification"),
                   ("approve", "pending_review", "closed", "supervisor", None),
                   ("comment", "closed", "closed", "reporter", None)]  # fmt: skip
STEPS["voided"] = [*_OPEN[:3], ("void", "rectifying", "voided", "supervisor", None)]
ROLES = {"reporter": None, "officer": "enterprise_officer", "supervisor": "supervisor"}
PAYLOADS = {
    "report": "json_build_object('title', f.title)",
    "photo_added": "json_build_object('photo_id', md5(f.id::text || ':' || st.seq)::uuid, 'kind', st.kind)",
    "acknowledge": "json_build_object()",
    "comment": "json_build_object('text', '已电话告知企业负责人，请按期整改。')",
    "submit_rectification": "json_build_object('measures', '已清理通道并设置警示标识', 'completed_on', "
    "CAST(f.received_at AS date) + 5)",
    "approve": "json_build_object('comment', '现场复核合格', 'on_site', true)",
    "void": "json_build_object('reason', '重复上报')",
}


@dataclass
class LoadWorld:
    app: Flask  # the application on the world's schema (the set-up's, or a fresh one when reused)
    url: str  # the schema's URL (search_path set)
    rows: int
    people: list[dict]  # username, role, area_path, area_id, enterprise_id, district
    enterprises: list[dict]  # id, area_path, district, grid_id
    counts: dict = field(default_factory=dict)  # what the world holds, for the report
    setup_s: float = 0.0
    reused: bool = False  # left by an earlier run (--keep): its writes are in it too


def _steps_sql() -> str:
    values = []
    for status, steps in STEPS.items():
        for seq, (action, before, after, who, kind) in enumerate(steps, start=1):
            cells = [status, seq, action, before, after, who, kind]
            values.append("(" + ", ".join("NULL" if c is None else str(c) if isinstance(c, int) else f"'{c}'"
                                          for c in cells) + ")")  # fmt: skip
    return "(VALUES " + ", ".join(values) + ") AS st(status, seq, action, from_state, to_state, who, kind)"


def _people(world: World) -> dict:
    """The signed-in population (Core INSERTs, one password hash for all). Officers are inserted in the
    enterprises' id order, so officer = o0 + (enterprise - e0)."""
    now = utcnow()
    secret = generate_password_hash(PASSWORD, method=FAST_HASH)
    with world.app.app_context():
        s = db.session
        areas = s.execute(select(Area.id, Area.code, Area.path, Area.level)).all()
        firms = s.execute(select(Enterprise.id, Enterprise.area_id, Enterprise.area_path).order_by(Enterprise.id)).all()
        rows = []

        def person(username, role, area_id, enterprise_id=None):
            rows.append({"username": username, "display_name": username, "password_hash": secret, "role": role,
                         "area_id": area_id, "enterprise_id": enterprise_id, "active": True, "created_at": now,
                         "must_change_password": False})  # fmt: skip

        for firm in firms:
            person(f"load_officer_{firm.id}", "enterprise_officer", firm.area_id, firm.id)
        for a in areas:
            if a.level == "district":
                for k in range(2, INSPECTORS_PER_DISTRICT + 1):
                    person(f"load_inspector_{a.code}_{k}", "inspector", a.id)
            if a.level in ("district", "street"):
                person(f"load_supervisor_{a.code}", "supervisor", a.id)
            if a.level == "grid":
                person(f"load_grid_{a.code}", "grid_worker", a.id)
        s.execute(insert(User), rows)
        s.commit()
        db.session.remove()
    return _read_people(world.app)


def _read_people(app) -> dict:
    with app.app_context():
        s = db.session
        firms = s.execute(select(Enterprise.id, Enterprise.area_id, Enterprise.area_path).order_by(Enterprise.id)).all()
        users = s.execute(
            select(User.id, User.username, User.role, User.area_id, User.enterprise_id, Area.path)
            .join(Area, Area.id == User.area_id)
            .where(User.role != "system")
        ).all()
        db.session.remove()
    officers = [u for u in users if u.role == "enterprise_officer"]
    o0, e0 = officers[0].id, firms[0].id
    assert all(u.id - o0 == u.enterprise_id - e0 for u in officers), "officers' ids must follow the enterprises'"
    people = [{"id": u.id, "username": u.username, "role": u.role, "area_id": u.area_id, "area_path": u.path,
               "enterprise_id": u.enterprise_id, "district": u.path.split("/")[2] if u.path.count("/") > 2 else None}
              for u in users]  # fmt: skip
    enterprises = [{"id": f.id, "area_id": f.area_id, "area_path": f.area_path, "district": f.area_path.split("/")[2]}
                   for f in firms]  # fmt: skip
    return {"people": people, "enterprises": enterprises, "o0": o0, "e0": e0}


def _spread_rows(people: list[dict], enterprises: list[dict]) -> list[dict]:
    """Per enterprise (k = its rank): its grid worker, one of its district's inspectors, its street's supervisor."""
    grid_worker = {p["area_path"]: p["id"] for p in people if p["role"] == "grid_worker"}
    inspectors: dict[str, list[int]] = {}
    supervisors = {p["area_path"]: p["id"] for p in people if p["role"] == "supervisor"}
    for p in people:
        if p["role"] == "inspector":
            inspectors.setdefault(p["district"], []).append(p["id"])
    rows = []
    for k, e in enumerate(enterprises):
        street = "/".join(e["area_path"].split("/")[:4]) + "/"
        staff = inspectors[e["district"]]
        rows.append({"k": k, "enterprise_id": e["id"], "grid_worker": grid_worker[e["area_path"]],
                     "inspector": staff[k % len(staff)], "supervisor": supervisors[street]})  # fmt: skip
    return rows


SPREAD_SQL = """
UPDATE findings f SET enterprise_id = e.id, area_id = e.area_id, area_path = e.area_path, address = e.address,
    lat = e.lat + (s.k % 7) * 0.0001, lng = e.lng,
    reporter_id = CASE WHEN f.status = 'reported' THEN s.grid_worker ELSE s.inspector END,
    triaged = f.status <> 'reported',
    acknowledged_at = CASE WHEN f.status <> 'reported' THEN f.received_at + interval '10 minutes' END,
    rectification_round = CASE WHEN f.status IN ('pending_review', 'closed') THEN 1 ELSE 0 END,
    after_photos_owed = 0,
    events_count = n.n, version = n.n
FROM load_spread s JOIN enterprises e ON e.id = s.enterprise_id,
     (VALUES {counts}) AS n(status, n)
WHERE s.k = abs(CAST(hashint4(CAST(substr(f.number, 9) AS integer)) AS bigint)) % :enterprises
    AND n.status = f.status
"""
ACTOR_SQL = ("CASE st.who WHEN 'reporter' THEN f.reporter_id WHEN 'officer' THEN :o0 + f.enterprise_id - :e0 "
             "ELSE s.supervisor END")  # fmt: skip
ROLE_SQL = "CASE st.who WHEN 'reporter' THEN u.role WHEN 'officer' THEN 'enterprise_officer' ELSE 'supervisor' END"
SOURCE_SQL = """FROM findings f JOIN {steps} ON st.status = f.status
JOIN load_spread s ON s.enterprise_id = f.enterprise_id JOIN users u ON u.id = f.reporter_id"""
EVENTS_SQL = """
INSERT INTO finding_events (id, finding_id, seq, action, actor_id, role, client_at, received_at, lat, lng, accuracy_m,
    from_state, to_state, version, payload, request_hash)
SELECT gen_random_uuid(), f.id, st.seq, st.action, {actor}, {role}, f.received_at + st.seq * interval '1 hour',
    f.received_at + st.seq * interval '1 hour', f.lat, f.lng, f.accuracy_m, st.from_state, st.to_state, st.seq,
    CASE st.action {payloads} END, f.request_hash
{source}
"""
BLOBS_SQL = """
INSERT INTO photo_blobs (sha256, media_type, byte_size, width, height, display_width, display_height, thumb_width,
    thumb_height, taken_at, created_at)
SELECT encode(sha256(convert_to(f.id::text || ':' || st.seq, 'UTF8')), 'hex'), 'image/jpeg',
    280000 + abs(CAST(hashtext(f.id::text || st.seq) AS bigint)) % 60000, 1600, 1200, 1600, 1200, 320, 240,
    f.observed_at, f.received_at + st.seq * interval '1 hour'
FROM findings f JOIN {steps} ON st.status = f.status WHERE st.kind IS NOT NULL
"""
PHOTOS_SQL = """
INSERT INTO photos (id, finding_id, kind, sha256, declared_at, declared_by_id, round, uploaded_at, uploaded_by_id)
SELECT md5(f.id::text || ':' || st.seq)::uuid, f.id, st.kind,
    encode(sha256(convert_to(f.id::text || ':' || st.seq, 'UTF8')), 'hex'), f.received_at, {actor},
    CASE WHEN st.kind = 'rectification' THEN 1 END, f.received_at + st.seq * interval '1 hour', {actor}
{source} AND st.kind IS NOT NULL
"""


def _fill(lw_url: str, grown: dict, spread: list[dict], log) -> dict:
    steps = _steps_sql()
    counts = ", ".join(f"('{status}', {len(s)})" for status, s in STEPS.items())
    params = {"enterprises": len(spread), "o0": grown["o0"], "e0": grown["e0"]}
    payloads = " ".join(f"WHEN '{a}' THEN {sql}" for a, sql in PAYLOADS.items())
    source = SOURCE_SQL.format(steps=steps)
    statements = [
        ("spread over the enterprises", SPREAD_SQL.format(counts=counts)),
        ("photo blobs", BLOBS_SQL.format(steps=steps)),
        ("photos", PHOTOS_SQL.format(actor=ACTOR_SQL, source=source)),
        ("events", EVENTS_SQL.format(actor=ACTOR_SQL, role=ROLE_SQL, payloads=payloads, source=source)),
    ]
    engine = create_engine(lw_url)
    took = {}
    with engine.connect() as conn:
        with conn.begin():
            conn.exec_driver_sql("CREATE TABLE load_spread (k integer PRIMARY KEY, enterprise_id integer UNIQUE, "
                                 "grid_worker integer, inspector integer, supervisor integer)")  # fmt: skip
            conn.execute(text("INSERT INTO load_spread VALUES (:k, :enterprise_id, :grid_worker, :inspector, "
                              ":supervisor)"), spread)  # fmt: skip
        for label, sql in statements:
            started = time.perf_counter()
            with conn.begin():
                n = conn.execute(text(sql), params).rowcount
            took[label] = (n, time.perf_counter() - started)
            log(f"  {label}: {n:,} rows in {took[label][1]:.0f} s")
        started = time.perf_counter()
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.exec_driver_sql("DROP TABLE load_spread")
        auto.exec_driver_sql("VACUUM FULL findings")  # the spread's UPDATE left every row's old version behind
        auto.exec_driver_sql("VACUUM ANALYZE")
        took["vacuum"] = (0, time.perf_counter() - started)
        log(f"  VACUUM FULL findings, VACUUM ANALYZE: {took['vacuum'][1]:.0f} s")
        sizes = auto.exec_driver_sql(SIZES_SQL).all()
    engine.dispose()
    return {"took": took, "sizes": dict(sizes)}


def build(base_url: str, rows: int, log) -> LoadWorld:
    """Drop and rebuild the schema, then fill it: the whole set-up, timed."""
    started = time.perf_counter()
    url = schema_url(base_url)
    _reset_schema(base_url)
    world = build_world(url)
    grown = stats._grow(world)
    people = _people(world)
    log(f"  {len(people['people']):,} people, {len(people['enterprises']):,} enterprises, {grown['grids']} grids")
    seconds = load_findings(world, rows, log=log)
    log(f"  {rows:,} findings by the bulk builder in {seconds:.0f} s")
    filled = _fill(url, {**grown, **people}, _spread_rows(people["people"], people["enterprises"]), log)
    took = {"findings": (rows, seconds), **filled["took"]}
    lw = LoadWorld(world.app, url, rows, people["people"], people["enterprises"])
    lw.counts = {"took": took, "sizes": filled["sizes"], "grids": grown["grids"], "areas": grown["areas"]}
    lw.setup_s = time.perf_counter() - started
    engine = create_engine(url)
    with engine.begin() as conn:  # what reuse() needs to report on this world without building it again
        conn.exec_driver_sql("CREATE TABLE load_meta (body json)")
        meta = {"rows": rows, "setup_s": lw.setup_s, "took": took, "grids": grown["grids"], "areas": grown["areas"]}
        conn.execute(text("INSERT INTO load_meta VALUES (:body)"), {"body": json.dumps(meta)})
    engine.dispose()
    return lw


def reuse(base_url: str, log) -> LoadWorld | None:
    """The world a run with --keep left behind (its rows as they were left, a run's writes included), or None."""
    url = schema_url(base_url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            meta = conn.exec_driver_sql("SELECT body FROM load_meta").scalar_one()
            sizes = dict(conn.exec_driver_sql(SIZES_SQL).all())
    except DBAPIError:
        return None
    finally:
        engine.dispose()
    meta = meta if isinstance(meta, dict) else json.loads(meta)
    app = make_app(url)
    people = _read_people(app)
    lw = LoadWorld(app, url, meta["rows"], people["people"], people["enterprises"])
    lw.counts = {"took": meta["took"], "sizes": sizes, "grids": meta["grids"], "areas": meta["areas"]}
    lw.setup_s, lw.reused = meta["setup_s"], True
    log(f"  reusing schema {SCHEMA}: {lw.rows:,} findings, built before in {lw.setup_s / 60:.1f} min")
    return lw


def schema_url(url: str) -> str:
    """The same database, with search_path set to the load's own schema on every connection."""
    u = make_url(url)
    return u.update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)


def _reset_schema(base_url: str, drop_only: bool = False) -> None:
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        if not drop_only:
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


def drop(base_url: str) -> None:
    _reset_schema(base_url, drop_only=True)
