"""python -m bench [--postgres-url URL] [--write-docs] [--only list,create] [--profile create|list|deep] [--quick]

Each benchmark is a function run(world, backend, cfg) -> [Result] in BENCHMARKS below; a new one (photos, sync...)
is a module with such a function and one line here. A ratio that misses its target prints MISS; only a broken
benchmark (an exception, a wrong answer from the API) exits non-zero, after the others have run (and then
docs/benchmarks.md is left as it was). --quick runs every one on a small world
(bench/quick.py) in a few minutes: to see nothing is broken, not for the figures in docs/benchmarks.md.
"""

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.extensions import db
from bench import (
    create,
    deadlines,
    documents,
    exports,
    imports,
    listing,
    load,
    photos,
    pwa,
    quick,
    report,
    stats,
    uploads,
)
from bench.bulk import load_findings
from bench.photos import BenchmarkFailed
from bench.results import Result, details, merge_runs, table
from bench.world import build_world


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: object  # (world, backend, cfg) -> list[Result]
    needs_rows: bool  # whether the bulk findings must be loaded first
    by_default: bool = True  # False: only when named in --only
    repeated: bool = False  # run --repeats times, the range of its ratios reported (issue 15's targets)


# Run in this order on one shared database per backend: the readers before the writers.
BENCHMARKS = [
    Benchmark("list", listing.run, needs_rows=True),
    # PostgreSQL only, in a schema of its own with its own 1M findings (--pg-rows or --rows): about 1 minute
    Benchmark("stats", stats.run, needs_rows=False),
    # the 台账 streamed at 10,000 and 100,000 rows through gunicorn, peak RSS: loads 100,000 findings if none are
    Benchmark("exports", exports.run, needs_rows=False),
    # PostgreSQL only, in a schema of its own with its own 1M findings (--pg-rows or --rows): about 2 minutes
    Benchmark("deadlines", deadlines.run, needs_rows=False),
    Benchmark("create", create.run, needs_rows=False, repeated=True),
    Benchmark("photos", photos.run, needs_rows=False),  # no database used: measured once per run
    Benchmark("documents", documents.run, needs_rows=False),  # a 3-page order's PDF: no database, once per run
    Benchmark("uploads", uploads.run, needs_rows=False, repeated=True),  # through gunicorn, on this backend's database
    Benchmark("pwa", pwa.run, needs_rows=False),  # bundle sizes and Lighthouse: measured once per run
    Benchmark("imports", imports.run, needs_rows=False),  # 50,000 enterprises, last: it adds them to the register
    # PostgreSQL only, its own world of --pg-rows findings with their history and photos, about 15 minutes at 1M
    # (under 2 at --quick): a report, run only when named (make bench-load)
    Benchmark("load", load.run, needs_rows=False, by_default=False),
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m bench", description="Closeloop benchmarks, each figure beside its floor."
    )
    p.add_argument("--postgres-url", help="an EMPTY PostgreSQL database to also run on (scripts/pg.sh start DIR)")
    p.add_argument("--pg-reset", action="store_true", help="drop schema public of --postgres-url first")
    p.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    p.add_argument("--rows", type=int, default=1_000_000, help="bulk findings for the list benchmarks")
    p.add_argument("--pg-rows", type=int, help="bulk findings on PostgreSQL (default: --rows)")
    p.add_argument("--rounds", type=int, default=10, help="interleaved rounds per benchmark")
    # The create in many short rounds: a shared machine's speed drifts within seconds (one run's 100-request
    # rounds ranged 0.46-1.15 in ratio), and a short round gives both sides the same stretch of it.
    p.add_argument("--create-rounds", type=int, default=100, help="interleaved rounds of the create benchmark")
    p.add_argument("--create-batch", type=int, default=10, help="creates per side per round")
    p.add_argument("--list-batch", type=int, default=20, help="pages per side per round")
    p.add_argument("--repeats", type=int, default=3, help="runs of the create and upload benchmarks (a range)")
    p.add_argument("--only", help="comma-separated: " + ",".join(b.name for b in BENCHMARKS))
    p.add_argument("--write-docs", action="store_true", help="write the results to docs/benchmarks.md")
    p.add_argument("--profile", choices=["create", "list", "deep"], help="profile our side instead of benchmarking")
    p.add_argument("--requests", type=int, default=300, help="requests to profile (--profile)")
    p.add_argument("--quick", action="store_true", help="every ratio on a small world (bench/quick.py), a few minutes")
    args = p.parse_args(argv)
    if args.quick:
        quick.apply(args, p)
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def selected(args) -> list[Benchmark]:
    if not args.only:
        return [b for b in BENCHMARKS if b.by_default]
    names = set(args.only.split(","))
    unknown = names - {b.name for b in BENCHMARKS}
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    return [b for b in BENCHMARKS if b.name in names]


def run_backend(
    backend: str, url: str, rows: int, benchmarks: list[Benchmark], args, notes: list, broken: list
) -> list[Result]:
    started = time.perf_counter()
    log(f"== {backend}: migrating and seeding {url.split('@')[-1]}")
    world = build_world(url, reset=args.pg_reset)
    if any(b.needs_rows for b in benchmarks):
        log(f"== {backend}: loading {rows:,} findings")
        seconds = load_findings(world, rows, log=log)
        notes.append(f"{backend}: {rows:,} findings loaded in {seconds:.0f} s (INSERT ... SELECT over a series).")
    results = []
    for bench in benchmarks:
        repeats = args.repeats if bench.repeated else 1
        runs = []
        try:
            for n in range(repeats):
                log(f"== {backend}: {bench.name}" + (f" (run {n + 1} of {repeats})" if repeats > 1 else ""))
                runs.append(bench.run(world, backend, args))
        except BenchmarkFailed as failure:  # the others still run: a long run is not lost to one broken part
            log(f"== {backend}: {bench.name} BROKEN: {failure}")
            broken.append(f"{backend} {bench.name}: {failure}")
            continue
        results += merge_runs(runs)
    with world.app.app_context():
        db.engine.dispose()
    log(f"== {backend}: done in {time.perf_counter() - started:.0f} s")
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="closeloop-bench-"))  # under $TMPDIR; never inside the repo
    try:
        if args.profile:
            from bench.profiling import profile

            url = args.postgres_url or f"sqlite:///{workdir / 'bench.db'}"
            return profile(url, args, log)
        results, notes, broken, benchmarks = [], [], [], selected(args)
        started = time.perf_counter()
        with quick.small_variants() if args.quick else contextlib.nullcontext():
            if not args.no_sqlite:
                sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
                results += run_backend("SQLite", sqlite_url, args.rows, benchmarks, args, notes, broken)
            if args.postgres_url:
                pg_rows = args.pg_rows or args.rows
                results += run_backend("PostgreSQL", args.postgres_url, pg_rows, benchmarks, args, notes, broken)
        elapsed = time.perf_counter() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(results))
    print()
    print(details(results))
    misses = [r for r in results if r.passed is False]
    print()
    print(
        f"MISS: {len(misses)} target(s) missed: " + "; ".join(f"{r.backend} {r.metric}" for r in misses)
        if misses
        else "All targets met."
    )
    if args.quick:
        print(f"--quick: {len(benchmarks)} benchmarks on {args.rows:,} findings in {elapsed / 60:.1f} min (small "
              "variants, see bench/quick.py: not the figures of docs/benchmarks.md)")
    if broken:
        print("BROKEN (not measured; docs/benchmarks.md left as it was): " + "; ".join(broken))
        return 1
    if args.write_docs:
        path = report.write_docs(results, notes, args)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
