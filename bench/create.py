"""Creating a finding through the real API, against the fair floor: a bare Flask route that makes the create's
three writes (the number, the finding, the report event) in one transaction. The bare one-INSERT floor and the
required stack alone are information rows, measured in the same interleaved rounds."""

import json
import time
import uuid

from sqlalchemy import event

from app.extensions import db
from app.services.prepared import Prepared
from bench.floors import create_floor, fair_create_floor
from bench.results import Result
from bench.stack_floor import STACK_FLOOR, stack_floor_client
from bench.stack_floor import URL as STACK_URL
from bench.timing import interleave, quantile
from bench.world import World, finding_body

URL = "/api/v1/findings"
TARGET = ">= 0.70"
WARMUP = 100  # requests per side before the timed rounds
DRIVER_PASS = 100  # creates per side in the separate pass that times the driver
# What our create sends, by backend (said here so the table's detail says what was counted).
STATEMENTS = {
    "SQLite": "BEGIN IMMEDIATE of the create's own transaction, the enterprise with its area, its officers and the "
    "remembered account read again, the number, the finding (INSERT ... ON CONFLICT DO NOTHING RETURNING), the "
    "report event; the answer from the written values",
    "PostgreSQL": "one WITH statement in autocommit (the remembered account read again, the enterprise with its "
    "area, the number, the finding, the event, the photos, the notices); the answer from the written values",
}


class BenchmarkFailed(RuntimeError):
    """A request did not answer as it should: the benchmark is broken, not merely slow."""


def body_maker(world: World):
    """A realistic body with a fresh client UUID per request; the same cost for both sides."""
    prefix = json.dumps({"id": "00000000-0000-0000-0000-000000000000", **finding_body(world)}, ensure_ascii=False)
    head, tail = prefix.split("00000000-0000-0000-0000-000000000000")
    return lambda: (head + str(uuid.uuid4()) + tail).encode()


def poster(client, url: str, make_body, headers: dict | None = None, expect: int = 201):
    def call():
        response = client.post(url, data=make_body(), content_type="application/json", headers=headers)
        if response.status_code != expect:
            raise BenchmarkFailed(f"POST {url} -> {response.status_code}: {response.get_data(as_text=True)[:500]}")

    return call


def time_in_driver(engine, call, n: int) -> tuple[float, float]:
    """(statements, seconds) per request spent inside the database driver, over n requests of `call`: the
    statements SQLAlchemy executes (its cursor events) and those run on the DB-API cursor itself
    (services.prepared, timed around the driver's execute). A separate pass: the listeners would slow the timed
    batches. COMMIT is not a cursor call; both pay one."""
    spent = [0, 0.0]

    def before(conn, _cursor, _statement, _parameters, _context, _many):
        conn.info["bench_t0"] = time.perf_counter()

    def after(conn, _cursor, _statement, _parameters, _context, _many):
        spent[0] += 1
        spent[1] += time.perf_counter() - conn.info.pop("bench_t0")

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    prepared = (Prepared.run, Prepared.many)
    Prepared.run, Prepared.many = _timed(Prepared.run, spent), _timed(Prepared.many, spent)
    try:
        for _ in range(n):
            call()
    finally:
        Prepared.run, Prepared.many = prepared
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return spent[0] / n, spent[1] / n


def _timed(method, spent: list):
    """A Prepared method counted as one statement, timed from the parameters bound to the driver's return."""

    def timed(self, cursor, dialect, params):
        bound = self.bind(dialect, params) if isinstance(params, dict) else [self.bind(dialect, p) for p in params]
        sql = self.compiled(dialect)[0]
        started = time.perf_counter()
        if isinstance(params, dict):
            cursor.execute(sql, bound)
        else:
            cursor.executemany(sql, bound)
        spent[0] += 1
        spent[1] += time.perf_counter() - started
        return cursor

    return timed


def _statements_result(backend, world, ours, floor, floor_engine, floor_ms: float, n: int) -> Result:
    """Against the fair floor: what our statements cost in the driver beyond the floor's three writes."""
    with world.app.app_context():
        our_count, our_s = time_in_driver(db.engine, ours, n)
    floor_count, floor_s = time_in_driver(floor_engine, floor, n)
    # What the ratio would be if our create cost the floor's request plus only the driver time of our extra
    # statements: an upper bound for any code that sends these statements, however lean its Python.
    bound = floor_ms / (floor_ms + (our_s - floor_s) * 1000)
    return Result(
        backend=backend,
        metric="create: ratio bound by our statements alone (floor / (floor + extra driver time))",
        ours=f"{our_count:.0f} st, {our_s * 1000:.2f} ms",
        floor=f"{floor_count:.0f} st, {floor_s * 1000:.2f} ms",
        ratio=bound,
        target="",
        detail=(
            f"statements and driver time per request over {n} creates per side (BEGIN included, COMMIT not), "
            f"against the fair floor; ours: {STATEMENTS[backend]}"
        ),
    )


def run(world: World, backend: str, cfg) -> list[Result]:
    make_body = body_maker(world)
    bearer = {"Authorization": f"Bearer {world.inspector_token}"}
    ours = poster(world.client(), URL, make_body, bearer)
    stack = poster(stack_floor_client(world), STACK_URL, make_body, bearer)
    fair_client, fair_engine = fair_create_floor(world)
    fair = poster(fair_client, "/findings", make_body)
    bare_client, bare_engine = create_floor(world)
    bare = poster(bare_client, "/findings", make_body)
    try:
        samples = interleave(
            {"ours": ours, "fair": fair, "bare": bare, "stack": stack},
            rounds=cfg.create_rounds,
            batch=cfg.create_batch,
            warmup=WARMUP,
        )
        o, f, b, s = samples["ours"], samples["fair"], samples["bare"], samples["stack"]
        bound = _statements_result(backend, world, ours, fair, fair_engine, f.median_ms, DRIVER_PASS)
    finally:
        fair_engine.dispose()
        bare_engine.dispose()
    return [
        Result(
            backend=backend,
            metric="create finding, requests/s (ratio = ours/fair floor: the create's three writes)",
            ours=f"{o.median_rate:.0f}/s",
            floor=f"{f.median_rate:.0f}/s",
            ratio=o.median_rate / f.median_rate,
            target=TARGET,
            detail=(
                f"{cfg.create_rounds} rounds x {cfg.create_batch} requests per side; per-request latency median/p90 "
                f"ours {o.median_ms:.2f}/{o.p90_ms:.2f} ms, fair floor {f.median_ms:.2f}/{f.p90_ms:.2f} ms; "
                f"slowest-decile batch rate ours {o.p10_rate:.0f}/s, fair floor {f.p10_rate:.0f}/s; "
                f"per-round ratios {_round_ratios(o, f)}"
            ),
        ),
        Result(
            backend=backend,
            metric="create: ours vs the bare one-INSERT floor (ratio = ours/bare floor)",
            ours=f"{o.median_rate:.0f}/s",
            floor=f"{b.median_rate:.0f}/s",
            ratio=o.median_rate / b.median_rate,
            target="",
            detail=(
                f"the earlier floor, one INSERT and no number or event; latency median/p90 {b.median_ms:.2f}/"
                f"{b.p90_ms:.2f} ms; the fair floor runs at {f.median_rate / b.median_rate:.2f}x of it"
            ),
        ),
        Result(
            backend=backend,
            metric="create: the required stack alone, no domain work (ratio = stack/bare floor)",
            ours=f"{s.median_rate:.0f}/s",
            floor=f"{b.median_rate:.0f}/s",
            ratio=s.median_rate / b.median_rate,
            target="",
            detail=(
                f"{STACK_FLOOR}; interleaved with the three above; latency median/p90 {s.median_ms:.2f}/"
                f"{s.p90_ms:.2f} ms; our create runs at {o.median_rate / s.median_rate:.2f}x of it"
            ),
        ),
        bound,
    ]


def _round_ratios(ours, floor) -> str:
    """The spread of each round's ours/floor rate: what a shared machine leaves in one run."""
    ratios = [o / f for o, f in zip(ours.batch_rates, floor.batch_rates, strict=True)]
    return "p10/median/p90 " + "/".join(f"{quantile(ratios, q):.2f}" for q in (0.1, 0.5, 0.9))
