"""A province's morning peak on the real servers (issue 15): a report, not a pass/fail benchmark.

    python -m bench.load --postgres-url URL [--rows 1000000] [--write-docs]    (make bench-load)
    python -m bench --only load --postgres-url URL                            (the same, in the bench's table)

The world (bench/load_world.py): N findings (1,000,000 by default: a Fujian-wide year) with ~7 events and ~3
photos each, in a schema of its own on PostgreSQL, dropped afterwards. Then, on this machine, loopback only:

1. One host, as `make run` serves it (gunicorn -c gunicorn.conf.py: its workers and threads; the limiter in its
   SQLite file; photos on local disk). Every phone signs in; each lists its first page (what it has seen).
2. Each kind of request alone (creates, uploads, events, /sync polls, list pages, detail reads, histories), by
   ALONE_THREADS clients as fast as answers come, bounded in time and count: the throughput one host gives that
   request alone, and its CPU seconds per request in the gunicorn workers and in PostgreSQL (every process of the
   server, from /proc), and in the load generator.
3. All kinds at once, in a province's morning proportions (PROVINCE: ~250 reads/s : 20 writes/s : 6 uploads/s),
   Poisson arrivals, at the share of the peak this machine can serve at about half its cores, bounded in time:
   throughput, p50/p95/p99 from each request's scheduled moment, errors; the CPU of the run beside what the
   per-request figures of step 2 predict for it.
4. The cores a province's peak needs (app and database), from step 2's CPU per request at PROVINCE's rates.
5. Two hosts (two gunicorns on two ports, the generator's requests to each in turn) sharing PostgreSQL, Redis
   (REDIS_URL: the limiter) and an S3 server (moto, STORAGE_URL=s3://...): the cross-host checks
   (bench/load_checks.py) as PASS/FAIL lines, then step 3's mix again over both.

The machine is shared: the report gives its load average before each step. Use a PostgreSQL server of your own
(scripts/pg.sh start DIR): every process of it is counted as the database's CPU.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import load_hosts, load_world, procfs
from bench.load_checks import run_checks
from bench.load_client import Client, Phone, Workload, sign_in
from bench.load_report import LAST, PROVINCE, markdown, results, write_section
from bench.load_runs import run_closed, run_open
from bench.photos import load_photos, phone_upload
from bench.report import _commit
from bench.results import Result
from bench.uploads import unique

ALONE_THREADS = 8  # as many as the host's 2 workers x 4 threads
OPEN_THREADS = 48  # client threads serving the Poisson arrivals
UTILISATION = 0.5  # the mixed run's share of this machine's cores (the generator and other work share them)
ORDER = ("create", "upload", "event", "sync", "list", "detail", "history")  # creates first: the others use them


@dataclass(frozen=True)
class Size:
    rows: int
    alone_s: float  # each kind alone, at most this long
    alone_limit: int  # and at most this many requests
    mixed_s: float
    phones: dict  # role -> how many sign in (None: all)


FULL = Size(1_000_000, 20.0, 4_000, 90.0, {"inspector": None, "supervisor": None, "grid_worker": None,
                                          "enterprise_officer": 400})  # fmt: skip
QUICK = Size(
    10_000, 3.0, 300, 10.0, {"inspector": None, "supervisor": None, "grid_worker": 60, "enterprise_officer": 60}
)


@dataclass
class Phase:
    name: str
    tallies: dict  # kind -> load_client.Tally
    wall_s: float
    cpu: dict  # "app", "db", "client", "redis", "s3" -> CPU seconds in the phase
    load_before: float
    rates: dict = field(default_factory=dict)  # the open loop's target rates
    lag_s: float = 0.0
    connections: int = 0  # the database connections the hosts held at the end


@dataclass
class Rig:
    """The servers a phase runs against, and where their CPU is read."""

    hosts: list  # load_hosts.Host
    postmaster: int | None
    url: str  # the world's database
    turn: object  # the round-robin counter every client shares
    extra: dict = field(default_factory=dict)  # name -> pid: Redis, the S3 server

    @property
    def ports(self) -> list[int]:
        return [h.port for h in self.hosts]

    def cpu(self) -> dict:
        db = procfs.tree_cpu(self.postmaster) if self.postmaster else 0.0
        return {"app": sum(h.cpu() for h in self.hosts), "db": db, "client": time.process_time(),
                **{k: procfs.tree_cpu(pid) for k, pid in self.extra.items()}}  # fmt: skip


def _delta(before: dict, after: dict) -> dict:
    return {k: after[k] - before[k] for k in before}


def _load() -> float:
    return os.getloadavg()[0]


def phones_of(lw: load_world.LoadWorld, size: Size) -> list[Phone]:
    rng = random.Random(15)
    by_district: dict[str, list[int]] = {}
    by_grid: dict[str, list[int]] = {}
    for e in lw.enterprises:
        by_district.setdefault(e["district"], []).append(e["id"])
        by_grid.setdefault(e["area_path"], []).append(e["id"])
    chosen = []
    for role, cap in size.phones.items():
        people = [p for p in lw.people if p["role"] == role]
        chosen += people if cap is None or cap >= len(people) else rng.sample(people, cap)
    phones = []
    for n, p in enumerate(chosen):
        scope = {"inspector": by_district.get(p["district"], []), "grid_worker": by_grid.get(p["area_path"], [])}
        phones.append(
            Phone(
                p["username"],
                p["role"],
                p["district"],
                p["enterprise_id"],
                f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256 + 1}",
                scope.get(p["role"], []),
            )
        )
    return phones  # fmt: skip


def _parallel(items: list, work, threads: int = 8) -> None:
    errors, queue, lock = [], list(items), threading.Lock()

    def loop():
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            try:
                work(item)
            except Exception as error:  # reported after the others finish
                errors.append(error)

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise load_hosts.BenchmarkFailed(f"{len(errors)} of {len(items)} failed, the first: {errors[0]}")


def prepare(phones: list[Phone], ports: list[int], turn, log) -> float:
    started = time.perf_counter()
    numbered = list(enumerate(phones))
    _parallel(numbered, lambda item: sign_in(Client(ports, turn), item[1], item[0]))
    clients = threading.local()

    def first_page(item):
        clients.c = getattr(clients, "c", None) or Client(ports, turn)
        answer = clients.c.expect(200, "GET", "/api/v1/findings?limit=50", item[1])
        item[1].seen.extend(i["id"] for i in answer["items"])
        item[1].list_cursor = answer["next_cursor"]

    _parallel(numbered, first_page)
    seconds = time.perf_counter() - started
    log(f"  {len(phones)} phones signed in and listed their first page in {seconds:.0f} s")
    return seconds


def alone(workload, rig: Rig, size: Size, log) -> dict[str, Phase]:
    phases = {}
    for kind in ORDER:
        load_before, before = _load(), rig.cpu()
        tally, wall = run_closed(workload, kind, rig.ports, rig.turn, threads=ALONE_THREADS, seconds=size.alone_s,
                                 limit=size.alone_limit)  # fmt: skip
        phases[kind] = Phase(kind, {kind: tally}, wall, _delta(before, rig.cpu()), load_before)
        n = len(tally.latencies)
        log(
            f"  {kind} alone: {n} in {wall:.1f} s ({n / wall:.0f}/s), {tally.errors} errors, CPU/request app "
            f"{phases[kind].cpu['app'] / n * 1000:.1f} ms, db {phases[kind].cpu['db'] / n * 1000:.1f} ms"
        )
        if tally.errors:
            log(f"    first errors: {tally.samples}")
    return phases


def per_request(phases: dict[str, Phase]) -> dict[str, dict]:
    out = {}
    for kind, phase in phases.items():
        n = max(1, len(phase.tallies[kind].latencies))
        out[kind] = {part: seconds / n for part, seconds in phase.cpu.items()}
    return out


def mixed(workload, rig: Rig, rates: dict, seconds: float, log, name: str) -> Phase:
    load_before, before = _load(), rig.cpu()
    tallies, wall, lag = run_open(workload, rates, rig.ports, rig.turn, threads=OPEN_THREADS, seconds=seconds)
    phase = Phase(name, tallies, wall, _delta(before, rig.cpu()), load_before, rates, lag)
    phase.connections = _connections(rig.url)
    n = sum(len(t.latencies) for t in tallies.values())
    log(
        f"  {name}: {n} requests in {wall:.0f} s ({n / wall:.0f}/s), errors "
        f"{sum(t.errors for t in tallies.values())}, CPU app {phase.cpu['app']:.1f} s, db {phase.cpu['db']:.1f} s"
    )
    for kind, t in tallies.items():
        if t.errors:
            log(f"    {kind}: {t.errors} errors, first {t.samples}")
    return phase


def scale_for(cpu: dict[str, dict]) -> float:
    """The share of PROVINCE's rates that keeps this machine's cores about UTILISATION busy (app + db + client)."""
    per_second = sum(rate * (cpu[k]["app"] + cpu[k]["db"] + cpu[k]["client"]) for k, rate in PROVINCE.items())
    return min(1.0, UTILISATION * (os.cpu_count() or 1) / per_second)


def measure(base_url: str, size: Size, log, keep: bool = False, reuse: bool = False) -> dict:
    started = time.perf_counter()
    lw = load_world.reuse(base_url, log) if reuse else None
    if lw is None:
        log(f"== load: the world ({size.rows:,} findings, their history and photos) in schema {load_world.SCHEMA}")
        lw = load_world.build(base_url, size.rows, log)
        log(f"  world built in {lw.setup_s:.0f} s")
    postmaster = procfs.postmaster_pid(lw.url)
    settings = _settings(lw.url)
    uploads = [phone_upload(data) for data in load_photos()]
    report = {"size": size, "world": lw, "cores": os.cpu_count(), "postmaster": postmaster is not None,
              "method": {"alone_threads": ALONE_THREADS, "utilisation": UTILISATION}, "pg": settings,
              "commit": _commit(),
              "upload_kb": statistics.mean(len(u) for u in uploads) / 1024}  # fmt: skip
    try:
        turn = count()
        phones = phones_of(lw, size)
        report["phones"] = len(phones)
        with load_hosts.one_host(lw.url) as (hosts, shared):
            log("== load: one host")
            rig = Rig(hosts, postmaster, lw.url, turn)
            report["signin_s"] = prepare(phones, rig.ports, turn, log)
            workload = Workload(phones, uploads)
            report["alone"] = alone(workload, rig, size, log)
            cpu = report["cpu"] = per_request(report["alone"])
            report["scale"] = share = scale_for(cpu)
            rates = {k: r * share for k, r in PROVINCE.items()}
            report["mixed"] = mixed(workload, rig, rates, size.mixed_s, log, "one host")
            report["photo_bytes"] = _stored_bytes(shared["photos"])
            report["photos_stored"] = sum(len(p.tallies[k].latencies) - p.tallies[k].errors
                                          for p in (report["alone"]["upload"], report["mixed"])
                                          for k in p.tallies if k == "upload")  # fmt: skip
        with load_hosts.two_hosts(lw.url) as (hosts, shared):
            log("== load: two hosts (Redis, an S3 server)")
            limit = 10  # LOGIN_RATE_LIMIT's default: 10 per minute
            report["checks"] = run_checks(hosts, turn, phones, lw.url, unique(uploads[0], -1), limit)  # new bytes
            for name, ok, detail in report["checks"]:
                log(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
            rig = Rig(hosts, postmaster, lw.url, turn, shared["extra"])
            report["two"] = mixed(workload, rig, rates, size.mixed_s, log, "two hosts")
        report["events"] = dict(workload.events)
    finally:
        with lw.app.app_context():
            from app.extensions import db

            db.engine.dispose()
        if not keep:
            load_world.drop(base_url)
    report["part_s"] = time.perf_counter() - started
    return report


def _settings(url: str) -> dict:
    """The server's version and the settings that bear on what a request costs it."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {n: conn.exec_driver_sql(f"SHOW {n}").scalar_one() for n in ("server_version", "fsync",
                                                                               "shared_buffers")}  # fmt: skip
    finally:
        engine.dispose()


def _connections(url: str) -> int:
    """Client connections to the database other than this one's: what the hosts' pools hold."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            sql = "SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'"
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def _stored_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def run(_world, backend: str, cfg) -> list[Result]:
    """python -m bench --only load (PostgreSQL only); --quick: the small world and short phases."""
    if backend != "PostgreSQL":
        print("  (the load runs on PostgreSQL only: python -m bench --only load --postgres-url URL)", flush=True)
        return []
    size = QUICK if getattr(cfg, "quick", False) else replace(FULL, rows=cfg.pg_rows or cfg.rows)
    report = measure(cfg.postgres_url, size, _log)
    LAST["markdown"] = markdown(report)
    print(LAST["markdown"], file=sys.stderr, flush=True)
    return results(report)


_STARTED = time.monotonic()


def _log(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--postgres-url", required=True, help="a PostgreSQL server of this machine (scripts/pg.sh)")
    p.add_argument("--rows", type=int, help=f"findings in the world (default {FULL.rows:,}; --quick {QUICK.rows:,})")
    p.add_argument("--quick", action="store_true", help="the small world and short phases: to see it works")
    p.add_argument("--write-docs", action="store_true", help="put the report in docs/benchmarks.md")
    p.add_argument("--keep", action="store_true", help=f"keep schema {load_world.SCHEMA} afterwards (for --reuse)")
    p.add_argument("--reuse", action="store_true", help="run on the world a --keep run left, if there is one")
    args = p.parse_args(argv)
    base = QUICK if args.quick else FULL
    size = replace(base, rows=args.rows or base.rows)
    report = measure(args.postgres_url, size, _log, keep=args.keep, reuse=args.reuse)
    text = markdown(report)
    print(text)
    if args.write_docs:
        print(f"wrote {write_section(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
