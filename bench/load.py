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
import math
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path

from app.domain.calendar import utcnow
from bench import load_hosts, load_world
from bench.load_checks import run_checks
from bench.load_client import KINDS, Client, Phone, Workload, run_closed, run_open, sign_in
from bench.photos import load_photos, phone_upload
from bench.results import Result

# A province's morning peak, per second (issue 15): ~20,000 phones polling /sync every two minutes, the desks'
# lists and the findings opened from them; the writes of a morning's inspections (each create followed by its
# confirm or acknowledge and comments); 6 photos a second.
PROVINCE = {"sync": 170.0, "list": 40.0, "detail": 27.0, "history": 13.0, "create": 4.0, "event": 16.0, "upload": 6.0}
CITY_SHARE = 1 / 9  # Fujian's nine prefecture-level cities: a city's peak as a ninth of the province's
LABELS = {"sync": "GET /sync (a poll)", "list": "GET /findings (a page of 50)", "detail": "GET /findings/{id}",
          "history": "GET /findings/{id}/events", "create": "POST /findings", "event": "POST /findings/{id}/events",
          "upload": "PUT /findings/{id}/photos/{id} (1600 px)"}  # fmt: skip
ALONE_THREADS = 8  # as many as the host's 2 workers x 4 threads
OPEN_THREADS = 48  # client threads serving the Poisson arrivals
UTILISATION = 0.5  # the mixed run's share of this machine's cores (the generator and other work share them)
HEADROOM = 0.5  # a deployment is sized to run its peak at half its cores: bursts, a host down, the deadline job
HOST_CORES = 4  # an app host: 4 cores (gunicorn 4 workers x 4 threads)
ORDER = ("create", "upload", "event", "sync", "list", "detail", "history")  # creates first: the others use them
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = "## A province's load"
LAST = {}  # the last run's section of docs/benchmarks.md, for bench/report.py


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


def _cpu(hosts, postmaster, extra: dict) -> dict:
    return {"app": sum(h.cpu() for h in hosts), "db": load_hosts.tree_cpu(postmaster) if postmaster else 0.0,
            "client": time.process_time(), **{k: load_hosts.tree_cpu(pid) for k, pid in extra.items()}}  # fmt: skip


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


def alone(workload, hosts, postmaster, size: Size, turn, log) -> dict[str, Phase]:
    ports, phases = [h.port for h in hosts], {}
    for kind in ORDER:
        load_before, before = _load(), _cpu(hosts, postmaster, {})
        tally, wall = run_closed(workload, kind, ports, turn, threads=ALONE_THREADS, seconds=size.alone_s,
                                 limit=size.alone_limit)  # fmt: skip
        phases[kind] = Phase(kind, {kind: tally}, wall, _delta(before, _cpu(hosts, postmaster, {})), load_before)
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


def mixed(workload, hosts, postmaster, rates: dict, seconds: float, turn, extra: dict, log, name: str) -> Phase:
    load_before, before = _load(), _cpu(hosts, postmaster, extra)
    tallies, wall, lag = run_open(workload, rates, [h.port for h in hosts], turn, threads=OPEN_THREADS,
                                  seconds=seconds)  # fmt: skip
    phase = Phase(name, tallies, wall, _delta(before, _cpu(hosts, postmaster, extra)), load_before, rates, lag)
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


def capacity(cpu: dict[str, dict], share: float = 1.0) -> dict:
    app = sum(PROVINCE[k] * share * cpu[k]["app"] for k in PROVINCE)
    db = sum(PROVINCE[k] * share * cpu[k]["db"] for k in PROVINCE)
    return {"app": app, "db": db, "app_cores": app / HEADROOM, "db_cores": db / HEADROOM,
            "hosts": max(2, math.ceil(app / HEADROOM / HOST_CORES))}  # fmt: skip


def measure(base_url: str, size: Size, log, keep: bool = False) -> dict:
    started = time.perf_counter()
    log(f"== load: building the world ({size.rows:,} findings, its history and photos) in schema {load_world.SCHEMA}")
    lw = load_world.build(base_url, size.rows, log)
    log(f"  world built in {lw.setup_s:.0f} s")
    postmaster = load_hosts.postmaster_pid(lw.url)
    uploads = [phone_upload(data) for data in load_photos()]
    report = {"size": size, "world": lw, "cores": os.cpu_count(), "postmaster": postmaster is not None,
              "upload_kb": statistics.mean(len(u) for u in uploads) / 1024}  # fmt: skip
    try:
        turn = count()
        phones = phones_of(lw, size)
        report["phones"] = len(phones)
        with load_hosts.one_host(lw.url) as (hosts, shared):
            log("== load: one host")
            report["signin_s"] = prepare(phones, [h.port for h in hosts], turn, log)
            workload = Workload(phones, uploads)
            report["alone"] = alone(workload, hosts, postmaster, size, turn, log)
            cpu = report["cpu"] = per_request(report["alone"])
            report["scale"] = share = scale_for(cpu)
            rates = {k: r * share for k, r in PROVINCE.items()}
            report["mixed"] = mixed(workload, hosts, postmaster, rates, size.mixed_s, turn, {}, log, "one host")
            report["photo_bytes"] = _stored_bytes(shared["photos"])
            report["photos_stored"] = sum(len(p.tallies[k].latencies) - p.tallies[k].errors
                                          for p in (report["alone"]["upload"], report["mixed"])
                                          for k in p.tallies if k == "upload")  # fmt: skip
        with load_hosts.two_hosts(lw.url) as (hosts, shared):
            log("== load: two hosts (Redis, an S3 server)")
            limit = 10  # LOGIN_RATE_LIMIT's default: 10 per minute
            report["checks"] = run_checks(hosts, turn, phones, lw.url, uploads[0], limit)
            for name, ok, detail in report["checks"]:
                log(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
            report["two"] = mixed(workload, hosts, postmaster, rates, size.mixed_s, turn, shared["extra"], log,
                                  "two hosts")  # fmt: skip
        report["events"] = dict(workload.events)
    finally:
        with lw.world.app.app_context():
            from app.extensions import db

            db.engine.dispose()
        if not keep:
            load_world.drop(base_url)
    report["part_s"] = time.perf_counter() - started
    return report


def _stored_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


# -- the report -----------------------------------------------------------------------------------------------------


def _q(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.0095 else f"{seconds * 1000:.1f}"


def alone_table(report: dict) -> list[str]:
    rows = [
        "| request | alone: req/s | p50 / p95 / p99 ms | errors | CPU ms/request: app | PostgreSQL | generator |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        phase, cpu = report["alone"][kind], report["cpu"][kind]
        t = phase.tallies[kind]
        rows.append(f"| {LABELS[kind]} | {len(t.latencies) / phase.wall_s:.0f} | "
                    f"{' / '.join(_ms(_q(t.latencies, q)) for q in (0.5, 0.95, 0.99))} | {t.errors} | "
                    f"{cpu['app'] * 1000:.1f} | {cpu['db'] * 1000:.1f} | {cpu['client'] * 1000:.1f} |")  # fmt: skip
    return rows


def mixed_table(phase: Phase, cpu: dict) -> list[str]:
    rows = ["| request | target/s | served/s | p50 / p95 / p99 ms | errors |", "| --- | --- | --- | --- | --- |"]
    for kind in KINDS:
        t = phase.tallies[kind]
        rows.append(f"| {LABELS[kind]} | {phase.rates[kind]:.1f} | {len(t.latencies) / phase.wall_s:.1f} | "
                    f"{' / '.join(_ms(_q(t.latencies, q)) for q in (0.5, 0.95, 0.99))} | {t.errors} |")  # fmt: skip
    n = {k: len(t.latencies) for k, t in phase.tallies.items()}
    predicted = {part: sum(n[k] * cpu[k][part] for k in n) for part in ("app", "db")}
    rows.append("")
    rows.append(f"{sum(n.values()):,} requests in {phase.wall_s:.0f} s; CPU used: app {phase.cpu['app']:.1f} s, "
                f"PostgreSQL {phase.cpu['db']:.1f} s"
                + "".join(f", {k} {phase.cpu[k]:.1f} s" for k in ("redis", "s3") if k in phase.cpu)
                + f"; the per-request figures above predict app {predicted['app']:.1f} s, PostgreSQL "
                f"{predicted['db']:.1f} s; load average {phase.load_before:.1f} before; the latest start of a "
                f"request behind its schedule {phase.lag_s * 1000:.0f} ms.")  # fmt: skip
    return rows


def capacity_lines(report: dict) -> list[str]:
    cpu, lw = report["cpu"], report["world"]
    p, c = capacity(cpu), capacity(cpu, CITY_SHARE)
    year_gib = sum(lw.counts["sizes"].values()) / 2**30 * 1_000_000 / lw.rows  # the world holds rows findings
    per_photo = report["photo_bytes"] / max(1, report["photos_stored"])
    photos_tb = 3 * 1_000_000 * per_photo / 1e12
    return [
        f"At a province's peak ({', '.join(f'{k} {v:g}/s' for k, v in PROVINCE.items())}) the requests cost "
        f"{p['app']:.1f} cores of app CPU and {p['db']:.1f} of PostgreSQL's (the CPU per request above times the "
        f"rates). Sized to run the peak at {HEADROOM:.0%} of their cores: **{p['app_cores']:.1f} app cores "
        f"({p['hosts']} hosts of {HOST_CORES} cores, two at least so one can fail) and {p['db_cores']:.1f} "
        f"PostgreSQL cores** ({_db_cores(p['db_cores'])} cores). A city (a ninth of the province): "
        f"{c['app']:.2f} app and {c['db']:.2f} PostgreSQL cores at its peak, {c['app_cores']:.1f} and "
        f"{c['db_cores']:.1f} sized: {c['hosts']} app hosts (for availability; one would carry it) and a "
        f"PostgreSQL of {_db_cores(c['db_cores'])} cores.",
        "",
        f"Storage: the database holds {year_gib:.1f} GiB a year at 1,000,000 findings (tables and indexes, from this "
        f"world's {lw.rows:,}); each phone photo stored {per_photo / 1024:.0f} KB (the upload kept as the original, "
        f"its 1600 px display and 320 px thumbnail), so a province's ~3,000,000 photos a year take about "
        f"{photos_tb:.1f} TB of object storage. Redis (the limiter's counters) used "
        f"{report['two'].cpu.get('redis', 0):.1f} s of CPU in the two-host run: the smallest instance will do.",
    ]


def _db_cores(sized: float) -> int:
    """Cores of a PostgreSQL server: at least 2, then even."""
    return max(2, 2 * math.ceil(sized / 2))


def check_lines(report: dict) -> list[str]:
    return [f"    {'PASS' if ok else 'FAIL'}  {name}: {detail}" for name, ok, detail in report["checks"]]


def world_lines(report: dict) -> list[str]:
    lw, size = report["world"], report["size"]
    took, gib = lw.counts["took"], {k: v / 2**30 for k, v in lw.counts["sizes"].items()}
    events, photos = took["events"][0], took["photos"][0]
    return [
        f"- The world: {lw.rows:,} findings (bench/bulk.py's rows spread over {len(lw.enterprises):,} enterprises "
        f"in {lw.counts['grids']} grids of 4 districts), {events:,} events ({events / lw.rows:.1f} a finding) and "
        f"{photos:,} photos ({photos / lw.rows:.1f}), {len(lw.people):,} people. On disk (tables and indexes): "
        f"findings {gib.get('findings', 0):.2f} GiB, events {gib.get('finding_events', 0):.2f} GiB, photos and "
        f"blobs {gib.get('photos', 0) + gib.get('photo_blobs', 0):.2f} GiB. Built in {lw.setup_s / 60:.1f} min.",
        f"- The phones: {report['phones']:,} signed-in users (every inspector, supervisor and grid worker, "
        f"{size.phones['enterprise_officer']} enterprise officers; half with bearer tokens, half with cookie "
        f"sessions, each from an address of its own), signed in in {report['signin_s']:.0f} s. Events written: "
        + ", ".join(f"{k} {v:,}" for k, v in report["events"].items())
        + ".",
    ]


def markdown(report: dict) -> str:
    size = report["size"]
    lines = [
        SECTION,
        "",
        f"Written by `python -m bench.load --write-docs` (`make bench-load`): a report, not a pass/fail benchmark. "
        f"Measured {utcnow().strftime('%Y-%m-%d %H:%M UTC')} on {report['cores']} cores shared with other work "
        f"(the load average before each step is given).",
        "",
        *world_lines(report),
        "- One host as `make run` serves it: gunicorn -c gunicorn.conf.py (2 workers x 4 threads), the limiter in "
        "its SQLite file, photos on local disk; the load generator on the same machine (standard-library "
        "http.client, keep-alive, loopback).",
        "",
        f"Each kind alone ({ALONE_THREADS} clients as fast as answers come, at most {size.alone_s:.0f} s or "
        f"{size.alone_limit:,} requests; CPU from /proc: the gunicorn workers; every PostgreSQL process; this "
        f"generator):",
        "",
        *alone_table(report),
        "",
        f"All at once in a province's proportions, Poisson arrivals at {report['scale']:.0%} of its peak (what "
        f"keeps about {UTILISATION:.0%} of these {report['cores']} cores busy), {size.mixed_s:.0f} s, latency from "
        f"each request's scheduled moment:",
        "",
        *mixed_table(report["mixed"], report["cpu"]),
        "",
        *capacity_lines(report),
        "",
        "Two hosts (two gunicorns behind the generator's round-robin, sharing PostgreSQL, Redis for the limiter "
        "and moto's S3 server for photos); the checks, run against the servers:",
        "",
        *check_lines(report),
        "",
        "The same mix over both hosts:",
        "",
        *mixed_table(report["two"], report["cpu"]),
        "",
        f"The whole run, world included, took {report['part_s'] / 60:.1f} min.",
    ]
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path = DOCS) -> Path:
    """Put the section in docs/benchmarks.md in place of the last one (bench/report.py keeps it when `make bench`
    rewrites the rest)."""
    body = path.read_text() if path.exists() else "# Benchmarks\n"
    body = without_section(body).rstrip("\n") + "\n\n" + text
    path.write_text(body)
    return path


def section_of(body: str) -> str:
    """The load's section of docs/benchmarks.md, or ''."""
    start = body.find("\n" + SECTION + "\n")
    if start < 0:
        return ""
    end = body.find("\n## ", start + 1)
    return body[start + 1 : end + 1 if end >= 0 else len(body)]


def without_section(body: str) -> str:
    section = section_of(body)
    return body.replace(section, "") if section else body


def results(report: dict) -> list[Result]:
    p = capacity(report["cpu"])
    passed = sum(ok for _, ok, _ in report["checks"])
    mixed_phase = report["mixed"]
    errors = sum(t.errors for t in mixed_phase.tallies.values())
    n = sum(len(t.latencies) for t in mixed_phase.tallies.values())
    return [
        Result("PostgreSQL", f"province peak, {report['world'].rows:,} findings: cores it needs, app + DB (ratio = "
               "needed/this machine's)", f"{p['app'] + p['db']:.1f} cores", f"{report['cores']} cores", (p['app'] +
               p['db']) / report["cores"], "", f"app {p['app']:.1f}, PostgreSQL {p['db']:.1f} at "
               f"{sum(PROVINCE.values()):.0f} requests/s; the mixed run at {report['scale']:.0%} of the peak: {n:,} "
               f"requests, {errors} errors (bench/load.py)"),
        Result("PostgreSQL", "two hosts: cross-host checks passed (ratio = passed/run)", f"{passed}",
               f"{len(report['checks'])} checks", passed / len(report["checks"]), "",
               "; ".join(f"{'PASS' if ok else 'FAIL'} {name}" for name, ok, _ in report["checks"])),
    ]  # fmt: skip


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
    p.add_argument("--keep", action="store_true", help=f"keep schema {load_world.SCHEMA} afterwards")
    args = p.parse_args(argv)
    base = QUICK if args.quick else FULL
    size = replace(base, rows=args.rows or base.rows)
    report = measure(args.postgres_url, size, _log, keep=args.keep)
    text = markdown(report)
    print(text)
    if args.write_docs:
        print(f"wrote {write_section(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
