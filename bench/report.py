"""docs/benchmarks.md: the table, the machine it ran on, and how each floor is built."""

import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import deadlines, load_report, stats
from bench.floors import CREATE_FLOOR, FAIR_CREATE_FLOOR, LIST_FLOOR
from bench.report_texts import BYPASSES, CREATE_STEPS, DEADLINE_CHANGES, METHOD, PROFILING, UPLOAD_STEPS
from bench.results import Result, details, table
from bench.stack_floor import STACK_FLOOR

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _postgres_version(url: str | None) -> str:
    if not url:
        return "not run"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(args) -> list[str]:
    return [
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit {_commit()} (plus uncommitted changes, "
        "if any)",
        f"- CPU: {os.cpu_count()} cores (nproc), {_cpu()}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {_postgres_version(args.postgres_url)}",
        f"- Flask {version('flask')}, flask-smorest {version('flask-smorest')}, SQLAlchemy {version('sqlalchemy')}, "
        f"marshmallow {version('marshmallow')}, psycopg {version('psycopg')}",
    ]


FLOORS = f"""\
- create, the fair floor (issue 15): {FAIR_CREATE_FLOOR}. The target is measured against it.
- create, the bare floor (an info row, interleaved with the create and the fair floor): {CREATE_FLOOR}.
- create, the required stack alone (an info row, interleaved likewise): {STACK_FLOOR}. Its distance from the bare
  floor is what the framework the issue asks for costs before any of the create's own work
  (`bench/stack_floor.py`).
- list: {LIST_FLOOR}. The first page is asked for with a cursor just above the newest row, so the floor always
  carries a keyset condition; the deep page with the same position as the API's cursor.
- imports: the same 50,000 rows as dicts ready for the table (built from the CSV before the clock starts), one
  Core executemany INSERT in one transaction on the same database, rolled back afterwards; and, beside it,
  openpyxl's read-only pass over every cell of the sheet (nothing judged): what reading alone costs.
- deadlines: {deadlines.FLOOR}. The job must also read the events, decide, and write every notification, its
  deliveries and the escalate events: the row "its statements alone" says what those statements cost in the
  driver, whatever the Python around them.
- deadlines, a bare floor that also writes the same rows (an info row, interleaved with the job and the scan as
  a third side, always after the job of its round): {deadlines.WRITE_FLOOR}. Its distance from the job is what
  the job's reads, decisions and Python cost beyond the inherent cost of its writes.
- stats: {stats.FLOOR}.
- exports: the same worker's peak at 10,000 rows (flat: 100,000 within 10 % of it) and its RSS with the app
  loaded; for the XLSX's rate, xlsxwriter alone writing the same rows' cells (made beforehand by the ledger's
  mapping) with the same options, formats and calls, no database, no HTTP."""


def deadline_plan() -> list[str]:
    """The deadline job's candidate query at the run's size, as EXPLAIN (ANALYZE, BUFFERS) printed it."""
    last = deadlines.LAST
    if not last:
        return ["Not run this time (PostgreSQL only: `python -m bench --only deadlines --postgres-url URL`)."]
    s, (without_text, w) = last["summary"], last["without"]
    writes = {k: t for k, (_, t) in last["driver"].items() if not k.startswith("SELECT")}
    reads = last["driver_s"] - sum(writes.values())
    return [
        f"What bounds the job: a first run took {last['job_s']:.2f} s, {last['job_s'] / last['floor_s']:.0f} times "
        f"the bare scan of its {last['due']:,} rows ({last['floor_s'] * 1000:.0f} ms), against a target of 3. Its "
        f"statements alone took {last['driver_s']:.2f} s inside the driver, {last['driver_s'] / last['floor_s']:.0f} "
        f"times the scan: writing {last['counts']['notifications']:,} notifications, "
        f"{last['counts']['deliveries']:,} deliveries and {last['counts']['escalate events']:,} escalate events "
        f"with their findings' counters ({sum(writes.values()):.2f} s: "
        + ", ".join(f"{k} {t:.2f} s" for k, t in sorted(writes.items(), key=lambda kv: -kv[1]))
        + f"), and reading the candidates, their events, the recipients and the keys already written "
        f"({reads:.2f} s). Each written row also pays its foreign-key checks and its indexes. No code around "
        f"these statements can bring the run within 3 times a read of the same rows; the rest of the median run, "
        f"{last['job_s'] - last['driver_s']:.2f} s, is Python (rows to facts, the rules, the wording, the arrays) and, "
        f"on a shared machine, waiting for a core. "
        f"A bare floor that also writes the same rows (the scan, then one COPY per table of exactly the rows the "
        f"job wrote in that round and one UPDATE of the counters) took {last['wfloor_s']:.2f} s, "
        f"{last['wfloor_s'] / last['floor_s']:.1f} times the scan: the job runs at "
        f"{last['job_s'] / last['wfloor_s']:.2f} times the inherent cost of its writes. "
        f"A run at the same moment again, as every 15-minute run after the morning's first is, took "
        f"{last['again_s']:.2f} s.",
        "",
        DEADLINE_CHANGES,
        "",
        f"The job's own statement on findings at {last['rows']:,} rows, {last['due']:,} due (caught on the engine's "
        f"cursor events, run again under EXPLAIN): {' > '.join(s['nodes'])} on {', '.join(s['indexes'])}; "
        f"{s['index_entries']:,} index entries and {s['read']:,} rows read from findings, {s['removed']} thrown "
        f"away, {s['returned']:,} returned: only the due rows, no Seq Scan. "
        f"`tests/integration/test_deadline_plan.py` checks the same on every PostgreSQL test run (no timing).",
        "",
        "```",
        last["plan"],
        "```",
        "",
        f"Without `ix_findings_status_received_at` (migration 0008), dropped at the end of the same run: "
        f"{' > '.join(w['nodes'])} on {', '.join(w['indexes'])}, {w['index_entries']:,} index entries read for "
        f"the same {w['returned']:,} rows (every report, intersected with every finding received in the window):",
        "",
        "```",
        without_text,
        "```",
    ]


def stats_plan() -> list[str]:
    """/stats by district at the run's size: its own statement under EXPLAIN (ANALYZE, BUFFERS), and what it
    costs with no index."""
    last = stats.LAST
    if not last:
        return ["Not run this time (PostgreSQL only: `python -m bench --only stats --postgres-url URL`)."]
    w = last["without"]
    return [
        f"`/stats?group_by=district` at {last['rows']:,} findings sends one statement on findings: "
        f"{' > '.join(last['nodes'])}, every column it reads in ix_findings_stats (migration 0010). With no index "
        f"the same statement reads the heap ({' > '.join(last['heap_nodes'])}) and the request took "
        f"{w['ours'] * 1000:.0f} ms against the floor's {w['floor'] * 1000:.0f} ms ({w['ours'] / w['floor']:.2f}) "
        f"in the same rounds.",
        "",
        "```",
        last["plan"],
        "```",
    ]


def write_docs(results: list[Result], notes: list[str], args) -> Path:
    body = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/bench.sh` -> `python -m bench --write-docs`). Every figure is a ratio "
        "against a floor measured in the same run on the same database; a missed target prints MISS but does "
        "not fail the command. Timings live here, never in the pass/fail tests.",
        "",
        "## Results",
        "",
        table(results),
        "",
        details(results),
        "",
        "## Machine",
        "",
        *machine(args),
        "",
        "## Method",
        "",
        METHOD.format(
            rounds=args.rounds, create=args.create_batch, create_rounds=args.create_rounds, page=args.list_batch,
            rows=f"{args.rows:,}",
            repeats=args.repeats,
        ),
        "",
        "## Floors",
        "",
        FLOORS,
        "",
        "## The deadline job's plan (PostgreSQL)",
        "",
        *deadline_plan(),
        "",
        "## The statistics' plan (PostgreSQL)",
        "",
        *stats_plan(),
        "",
        "## Where we bypass a library for speed",
        "",
        BYPASSES,
        "",
        "## The create against its fair floor (issue 15)",
        "",
        CREATE_STEPS,
        "",
        "## Uploads against their CPU ceiling (issue 15)",
        "",
        UPLOAD_STEPS,
        "",
        "## Profiling a miss",
        "",
        PROFILING,
        "",
        "## Set-up times",
        "",
        *[f"- {n}" for n in notes],
        *(
            [f"- PostgreSQL, deadlines: its own world of {deadlines.LAST['rows']:,} findings built and loaded in "
             f"{deadlines.LAST['load_s']:.0f} s (COPY into a temporary table, INSERT ... SELECT, the events, VACUUM "
             f"ANALYZE); the whole part, rounds included, {deadlines.LAST['part_s'] / 60:.1f} min."]
            if deadlines.LAST
            else []
        ),
        *(
            [f"- PostgreSQL, stats: its own world of {stats.LAST['rows']:,} findings built and loaded in "
             f"{stats.LAST['load_s']:.0f} s (INSERT ... SELECT over generate_series, VACUUM ANALYZE); the whole "
             f"part, rounds included, {stats.LAST['part_s'] / 60:.1f} min."]
            if stats.LAST
            else []
        ),
        "",
    ]
    # The province's load (bench/load.py) is run apart (make bench-load): its section is kept unless it ran now.
    kept = load_report.LAST.get("markdown") or (load_report.section_of(DOCS.read_text()) if DOCS.exists() else "")
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text("\n".join(body) + (f"\n{kept}" if kept else ""))
    return DOCS
