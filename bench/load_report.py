"""bench/load.py's report: the per-request tables, the capacity a city and a province need, the cross-host
checks, as the section "A province's load" of docs/benchmarks.md (bench/report.py keeps that section when
`make bench` rewrites the rest of the file)."""

import math
from pathlib import Path

from app.domain.calendar import utcnow
from bench.load_runs import KINDS
from bench.results import Result

# A province's morning peak, per second (issue 15): ~20,000 phones polling /sync every two minutes, the desks'
# lists and the findings opened from them; the writes of a morning's inspections (each create followed by its
# confirm or acknowledge and comments); 6 photos a second.
PROVINCE = {"sync": 170.0, "list": 40.0, "detail": 27.0, "history": 13.0, "create": 4.0, "event": 16.0, "upload": 6.0}
CITY_SHARE = 1 / 9  # Fujian's nine prefecture-level cities: a city's peak as a ninth of the province's
LABELS = {"sync": "GET /sync (a poll)", "list": "GET /findings (a page of 50)", "detail": "GET /findings/{id}",
          "history": "GET /findings/{id}/events", "create": "POST /findings", "event": "POST /findings/{id}/events",
          "upload": "PUT /findings/{id}/photos/{id} (1600 px)"}  # fmt: skip

HEADROOM = 0.5  # a deployment is sized to run its peak at half its cores: bursts, a host down, the deadline job
HOST_CORES = 4  # an app host: 4 cores (gunicorn 4 workers x 4 threads)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = "## A province's load"
LAST = {}  # the last run's section of docs/benchmarks.md, for bench/report.py


def capacity(cpu: dict[str, dict], share: float = 1.0) -> dict:
    app = sum(PROVINCE[k] * share * cpu[k]["app"] for k in PROVINCE)
    db = sum(PROVINCE[k] * share * cpu[k]["db"] for k in PROVINCE)
    return {"app": app, "db": db, "app_cores": app / HEADROOM, "db_cores": db / HEADROOM,
            "hosts": max(2, math.ceil(app / HEADROOM / HOST_CORES))}  # fmt: skip


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


def mixed_table(phase, cpu: dict) -> list[str]:
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
                f"request behind its schedule {phase.lag_s * 1000:.0f} ms; {phase.connections} database connections "
                "held by the hosts at the end.")  # fmt: skip
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
        f"blobs {gib.get('photos', 0) + gib.get('photo_blobs', 0):.2f} GiB. Built in {lw.setup_s / 60:.1f} min"
        + (" by an earlier run (--keep), whose writes it also holds; reused here (--reuse)." if lw.reused else "."),
        f"- The phones: {report['phones']:,} signed-in users (every inspector, supervisor and grid worker, "
        f"{size.phones['enterprise_officer']} enterprise officers; half with bearer tokens, half with cookie "
        f"sessions, each from an address of its own), signed in in {report['signin_s']:.0f} s. Events written: "
        + ", ".join(f"{k} {v:,}" for k, v in report["events"].items())
        + ".",
    ]


def markdown(report: dict) -> str:
    size, method, pg = report["size"], report["method"], report["pg"]
    lines = [
        SECTION,
        "",
        f"Written by `python -m bench.load --write-docs` (`make bench-load`): a report, not a pass/fail benchmark. "
        f"Measured {utcnow().strftime('%Y-%m-%d %H:%M UTC')} on {report['cores']} cores shared with other work "
        f"(the load average before each step is given).",
        "",
        *world_lines(report),
        f"- PostgreSQL {pg['server_version'].split()[0]} on this machine (fsync={pg['fsync']}, shared_buffers "
        f"{pg['shared_buffers']}, the rest of the world in the OS's page cache; with fsync on, a commit waits for "
        f"the disk: more latency, little more CPU); commit {report['commit']} of the application.",
        "- One host as `make run` serves it: gunicorn -c gunicorn.conf.py (2 workers x 4 threads), the limiter in "
        "its SQLite file, photos on local disk; the load generator on the same machine (standard-library "
        "http.client, keep-alive, loopback).",
        "",
        f"Each kind alone ({method['alone_threads']} clients as fast as answers come, at most {size.alone_s:.0f} s or "
        f"{size.alone_limit:,} requests; CPU from /proc: the gunicorn workers; every PostgreSQL process; this "
        f"generator):",
        "",
        *alone_table(report),
        "",
        f"All at once in a province's proportions, Poisson arrivals at {report['scale']:.0%} of its peak (what "
        f"keeps about {method['utilisation']:.0%} of these {report['cores']} cores busy), {size.mixed_s:.0f} s, "
        "latency from each request's scheduled moment:",
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
        f"The whole run took {report['part_s'] / 60:.1f} min"
        + (", the world reused." if report["world"].reused else ", the world's set-up included."),
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
