"""python -m bench --profile create|list|deep: where our side spends its time, for the lead to optimise.

Runs N requests of one kind under cProfile after a warm-up and prints the top functions by own and by
cumulative time, then every SQL statement the requests sent with its count and time per request.
"""

import cProfile
import io
import pstats
import re
import time
from collections import defaultdict

from sqlalchemy import event

from app.extensions import db
from app.services.prepared import Prepared
from bench import create, listing
from bench.bulk import load_findings
from bench.world import build_world

VIEWS = [
    ("top 25 by own time", "tottime", (25,)),
    ("top 25 by cumulative time", "cumulative", (25,)),
    ("the application's own functions, by cumulative time", "cumulative", (r"/app/", 40)),
    (
        "entry points of the libraries, by cumulative time",
        "cumulative",
        (
            r"(schema.py.*\((dump|load|_do_load)\))|(session.py.*\((commit|flush|get|scalars|execute)\))"
            r"|(login_manager.py.*_load_user)|(strategies.py.*_emit_lazyload)|(response.py.*wrapper)"
            r"|(webargs/core.py.*parse)|(jsonify)",
            40,
        ),
    ),
]


def _statements(engine):
    """Count and time every statement, keyed by its first 110 characters (parameters are bound, not inlined):
    SQLAlchemy's (its cursor events) and those run on the DB-API cursor by app/services/prepared.py."""
    stats = defaultdict(lambda: [0, 0.0])
    _count_prepared(stats)

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        key = re.sub(r"\s+", " ", statement)[:110]
        stats[key][0] += 1
        stats[key][1] += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())

    return stats


def _count_prepared(stats) -> None:
    """Prepared statements skip SQLAlchemy's events: count them around their driver calls (for the profile's run)."""
    run, many = Prepared.run, Prepared.many

    def timed(method, one):
        def call(self, cursor, dialect, params):
            started = time.perf_counter()
            try:
                return method(self, cursor, dialect, params)
            finally:
                key = "[DB-API] " + re.sub(r"\s+", " ", self.compiled(dialect)[0])[:101]
                stats[key][0] += 1 if one else len(params)
                stats[key][1] += time.perf_counter() - started

        return call

    Prepared.run, Prepared.many = timed(run, True), timed(many, False)


def _call(kind: str, world):
    if kind == "create":
        headers = {"Authorization": f"Bearer {world.inspector_token}"}
        return create.poster(world.client(), create.URL, create.body_maker(world), headers)
    headers = {"Authorization": f"Bearer {world.supervisor_token}"}
    query = {"limit": listing.PAGE}
    if kind == "deep":
        _newest, anchor, _first, _deep = listing._positions(world)
        query["cursor"] = listing.encode_cursor(anchor)
    return listing.getter(world.client(), listing.URL, query, headers)


def profile(url: str, args, log) -> int:
    world = build_world(url, reset=args.pg_reset)
    if args.profile != "create":
        load_findings(world, args.rows, log=log)
    call = _call(args.profile, world)
    n = args.requests
    for _ in range(max(20, n // 5)):
        call()
    with world.app.app_context():
        stats = _statements(db.engine)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(n):
        call()
    profiler.disable()
    wall = time.perf_counter() - started
    print(f"\n{args.profile}: {n} requests, {wall / n * 1000:.2f} ms each under the profiler ({url.split(':')[0]})")
    for title, order, restrict in VIEWS:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*restrict)
        print(f"\n--- {title} ---")
        print(out.getvalue().split("\n\n", 2)[-1].rstrip())
    total_sql = sum(t for _c, t in stats.values())
    print(
        f"--- SQL per request: {sum(c for c, _t in stats.values()) / n:.1f} statements, "
        f"{total_sql / n * 1000:.2f} ms of {wall / n * 1000:.2f} ms ---"
    )
    for key, (count, seconds) in sorted(stats.items(), key=lambda kv: -kv[1][1]):
        print(f"{count / n:5.1f}/req {seconds / n * 1000:7.3f} ms/req  {key}")
    return 0
