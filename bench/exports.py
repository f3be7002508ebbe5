"""Issue 13, acceptance 2 and 4: the 台账 export streamed at 100,000 rows keeps the serving process's memory flat.

The real server (gunicorn, one worker with 2 threads, the bench database) is started afresh for every
measurement, so no export inherits the memory of the one before (Python keeps what it once took). In each: a
warm-up export of 10 rows of the same format (every module loaded, every statement prepared), then the worker's
RSS (the floor: the app loaded), its peak reset (VmHWM := VmRSS through /proc/PID/clear_refs), then one export
of N rows as the city-wide supervisor, read over HTTP in 64 KB reads by this process, then the worker's VmHWM.
N = 10,000 and 100,000: "flat" is the 100,000-row peak within TARGET of the 10,000-row one. The rows are the bulk
findings (bench/bulk.py) chosen by the list's own text filter on their numbers (q=YH-BULK-00: rows 0-99,999;
YH-BULK-000: rows 0-9,999); each answer is checked to hold exactly N rows.

The XLSX's rate is set beside xlsxwriter's own: the same 100,000 rows' cells, made beforehand by the ledger's
mapping in this process, written by a bare constant_memory workbook with the same formats and calls (no
database, no HTTP): what the library alone costs.
"""

import http.client
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from bench.bulk import load_findings
from bench.results import Result
from bench.uploads import BenchmarkFailed, free_port, wait_until_up
from bench.world import BASE_SETTINGS, World

ROOT = Path(__file__).resolve().parent.parent
SIZES = {10_000: "YH-BULK-000", 100_000: "YH-BULK-00"}  # rows -> the q that selects exactly them
FORMATS = ("csv", "xlsx")
ROUNDS = 2  # per format and size, alternating which size goes first; the highest peak counts
TARGET = "<= 1.10"
READ = 64 * 1024


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise BenchmarkFailed(f"no {field} in /proc/{pid}/status")


@contextmanager
def served(world: World):
    """gunicorn with one worker; yields (port, the worker's pid)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": world.url, **BASE_SETTINGS}
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "2", "--timeout", "600"]
    with tempfile.TemporaryFile() as log:  # the server's log, told when a request fails
        server = subprocess.Popen([*command, "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stderr=log)
        try:
            wait_until_up(port, server)
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            if len(children) != 1:
                raise BenchmarkFailed(f"gunicorn has {len(children)} workers, wanted 1")
            yield port, int(children[0])
        except BenchmarkFailed as failure:
            log.seek(0)
            raise BenchmarkFailed(f"{failure}\n{log.read()[-3000:].decode(errors='replace')}") from None
        finally:
            server.terminate()
            server.wait(timeout=30)


def download(port: int, token: str, fmt: str, q: str) -> tuple[bytes | int, float]:
    """The export's body (the whole XLSX; for CSV only its line count, the bytes dropped as they come) and the
    seconds from the request to the last byte."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", f"/api/v1/findings/export?{urlencode({'format': fmt, 'q': q})}",
                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    response = connection.getresponse()
    if response.status != 200:
        raise BenchmarkFailed(f"export {fmt} -> {response.status}: {response.read()[:300]!r}")
    lines, parts, last = 0, [], b""
    while chunk := response.read(READ):
        if fmt == "csv":  # a CRLF may fall across two reads
            lines += (last + chunk[:1]).count(b"\r\n") + chunk.count(b"\r\n")
            last = chunk[-1:]
        else:
            parts.append(chunk)
    seconds = time.perf_counter() - started
    connection.close()
    return (lines if fmt == "csv" else b"".join(parts)), seconds


def _rows_in(fmt: str, body) -> int:
    """Findings in the file: CSV lines less the header; the XLSX sheet's rows less the header, counted in its XML."""
    if fmt == "csv":
        return body - 1
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        return book.read("xl/worksheets/sheet1.xml").count(b"<row ") - 1


def measure(world: World, fmt: str, rows: int) -> dict:
    """One export of `rows` rows in a fresh server: the floor, the peak, the rate."""
    with served(world) as (port, worker):
        download(port, world.supervisor_token, fmt, "YH-BULK-0000000")  # warm-up: the oldest bulk row alone
        floor = _status_kib(worker, "VmRSS")
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM := VmRSS
        body, seconds = download(port, world.supervisor_token, fmt, SIZES[rows])
        peak = _status_kib(worker, "VmHWM")
    got = _rows_in(fmt, body)
    if got != rows:
        raise BenchmarkFailed(f"the {fmt} export of q={SIZES[rows]} held {got:,} findings, wanted {rows:,}")
    return {"floor_mib": floor / 1024, "peak_mib": peak / 1024, "rate": rows / seconds, "seconds": seconds}


def ledger_cells(world: World) -> list[tuple]:
    """The 100,000 rows' cells, made by the ledger's own mapping, as the city-wide supervisor's export has them."""
    from sqlalchemy import select

    from app.domain.calendar import local_today, utcnow
    from app.exports.ledger import LedgerContext, cells
    from app.extensions import db
    from app.models import User
    from app.read.filters import FindingFilter
    from app.read.ledger import open_ledger
    from app.services.actors import actor_for

    with world.app.app_context():
        actor = actor_for(db.session.scalars(select(User).where(User.username == "supervisor_city")).one())
        today = local_today(utcnow())
        ledger = open_ledger(db.session, actor, FindingFilter(q=SIZES[max(SIZES)]), today)
        context = LedgerContext(actor, today, ledger.categories, ledger.criteria, ledger.area_names)
        rows = [cells(row.finding, row.approved, context) for row in ledger.rows]
        db.session.remove()
    return rows


def library_rate(rows: list[tuple]) -> float:
    """Rows/s of xlsxwriter alone writing `rows` with the export's options, formats and calls."""
    import xlsxwriter

    from app.exports.ledger import COLUMNS, HEADER
    from app.exports.xlsx import FORMATS

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with tempfile.TemporaryDirectory(prefix="closeloop-bench-xlsx-") as folder:
        started = time.perf_counter()
        book = xlsxwriter.Workbook(f"{folder}/floor.xlsx", {**options, "strings_to_numbers": False})
        sheet = book.add_worksheet("隐患台账")
        kinds = [book.add_format({"num_format": FORMATS[c.kind]}) if c.kind in FORMATS else None for c in COLUMNS]
        sheet.write_row(0, 0, HEADER)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif kinds[c] is not None:
                    sheet.write_datetime(r, c, value, kinds[c])
                else:
                    sheet.write_number(r, c, value)
        book.close()
        return len(rows) / (time.perf_counter() - started)


def run(world: World, backend: str, cfg) -> list[Result]:
    if world.rows == 0:
        load_findings(world, max(SIZES), log=lambda m: print(m, file=sys.stderr, flush=True))
    if world.rows < max(SIZES):
        raise BenchmarkFailed(f"the export benchmark needs {max(SIZES):,} bulk rows, the world has {world.rows:,}")
    results = []
    for fmt in FORMATS:
        runs = {rows: [] for rows in SIZES}
        for round_ in range(ROUNDS):
            for rows in sorted(SIZES, reverse=bool(round_ % 2)):
                runs[rows].append(measure(world, fmt, rows))
        results += _results(backend, fmt, runs, world.rows)
    ours = statistics.median(r["rate"] for r in runs[max(SIZES)])  # the XLSX's, measured last
    prepared = ledger_cells(world)
    floor = statistics.median(library_rate(prepared) for _ in range(ROUNDS))
    results.append(
        Result(
            backend=backend,
            metric=f"XLSX export, rows/s at {max(SIZES):,} rows vs xlsxwriter alone (ratio = ours/library)",
            ours=f"{ours:,.0f} rows/s",
            floor=f"{floor:,.0f} rows/s (library)",
            ratio=ours / floor,
            target="",
            detail="the library: the same rows' cells made beforehand, written by a bare constant_memory workbook "
            f"with the same formats and calls, no database, no HTTP; median of {ROUNDS}",
        )
    )
    return results


def _results(backend: str, fmt: str, runs: dict, world_rows: int) -> list[Result]:
    small, big = (max(r["peak_mib"] for r in runs[n]) for n in sorted(SIZES))
    floor = statistics.median(r["floor_mib"] for n in SIZES for r in runs[n])
    rate = {n: statistics.median(r["rate"] for r in runs[n]) for n in SIZES}
    label, n_small, n_big = fmt.upper(), f"{min(SIZES):,}", f"{max(SIZES):,}"
    how = (f"{ROUNDS} rounds per size, each a fresh gunicorn (1 worker x 2 threads) warmed by a 1-row export; the "
           f"highest VmHWM of the worker counts; {world_rows:,} findings in the table")  # fmt: skip
    return [
        Result(
            backend=backend,
            metric=f"{label} export of {n_big} rows, peak RSS of the serving worker (ratio = {n_big}/{n_small} rows)",
            ours=f"{big:.0f} MiB",
            floor=f"{small:.0f} MiB ({n_small})",
            ratio=big / small,
            target=TARGET,
            detail=f"{how}; peaks per run: " + ", ".join(f"{n:,} rows {_peaks(runs[n])} MiB" for n in sorted(SIZES)),
        ),
        Result(
            backend=backend,
            metric=f"{label} export of {n_big} rows: peak RSS vs the worker with the app loaded (ratio = peak/loaded)",
            ours=f"{big:.0f} MiB",
            floor=f"{floor:.0f} MiB (loaded)",
            ratio=big / floor,
            target="",
            detail="loaded = the worker's VmRSS after the warm-up export, just before the measured one (median)",
        ),
        Result(
            backend=backend,
            metric=f"{label} export, rows/s at {n_big} rows (ratio = {n_big}/{n_small}-row rate)",
            ours=f"{rate[max(SIZES)]:,.0f} rows/s",
            floor=f"{rate[min(SIZES)]:,.0f} rows/s",
            ratio=rate[max(SIZES)] / rate[min(SIZES)],
            target="",
            detail=(
                f"from the request to the last byte read over loopback, median of {ROUNDS}; "
                f"{max(SIZES):,} rows in {statistics.median(r['seconds'] for r in runs[max(SIZES)]):.1f} s"
            ),
        ),
    ]


def _peaks(runs: list[dict]) -> str:
    return " / ".join(f"{r['peak_mib']:.0f}" for r in runs)
