"""Issue 3: end-to-end photo uploads per second through gunicorn, as `make run` serves them, on this machine.

The real server (gunicorn with gunicorn.conf.py, as `make run` serves it; the bench database, photos on a
temporary local disk) gets PUTs from 4 client threads, each a phone sending one finding's 6 photos after another
over a keep-alive connection of its own: the phone's 1600 px uploads the PWA sends, then 12 MP originals. Every
upload is a distinct file (a JPEG comment makes its sha256 unique), so none is deduplicated away. The ceiling
beside it is what the machine's cores could do if they did nothing but process_photo: cores / CPU per photo,
sampled in this process before each slice of uploads and after the last (SLICES). The ratio says how much of the
machine the HTTP, database and storage work leaves.

Beside the rate, where the CPU went, from /proc (so a figure taken while other work loads the machine can still
be read): the gunicorn workers' CPU per upload, PostgreSQL's (its postmaster, every backend and those that
exited, when the server runs on this machine) and the client threads'. process_photo's CPU over the sum of
those is the ratio the machine could reach with nothing else on it; the workers' shares of their CPU and the
cores kept busy say how much of the rest is waiting.
"""

import http.client
import json
import operator
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.imaging import process_photo
from bench import procfs
from bench.photos import BenchmarkFailed, load_photos, phone_upload
from bench.results import Result
from bench.world import BASE_SETTINGS, World, finding_body

ROOT = Path(__file__).resolve().parent.parent
CLIENT_THREADS = 4
PHOTOS_PER_FINDING = 6  # below the limit of 9 per finding and kind
# Each run measures SLICES slices of uploads, process_photo's CPU sampled before each and after the last, so the
# ceiling is measured across the same minute as the rate it divides (this machine's speed moves by 10-20 % within
# seconds). A slice gives each client the same number of findings: none sits idle at its end.
SLICES = 3
PHONE_UPLOADS = 120  # per slice: 5 findings of 6 photos for each of the 4 clients
ORIGINAL_UPLOADS = 24  # per slice: 1 finding each
# Uploads before the measured ones, until the server is in the state it serves in all day: every module
# imported, and every pooled connection's statements prepared (psycopg prepares a statement on a connection at
# its 5th execution there) and planned for good (PostgreSQL plans a prepared statement afresh for its first 5).
# With 2 workers keeping up to 4 connections each, that takes about 10 uploads per connection. A warm-up of 12
# left the measured uploads parsing and planning their statements (0.4 ms + 0.4 ms each in the server's log):
# 2.0 ms of PostgreSQL's CPU per upload against 1.4 ms warm, in alternating runs.
WARM_UP = 96
CEILING_SAMPLES = 12  # process_photo calls before each slice and after the last; their median CPU makes the ceiling


def unique(data: bytes, n: int) -> bytes:
    """The same JPEG with a comment segment after SOI: another sha256, the same decode."""
    comment = f"bench upload {n} {uuid.uuid4()}".encode()
    return data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:]


@dataclass
class Cpu:
    """CPU seconds spent so far by the server's workers, the database server, this (client) process and the
    whole machine."""

    workers: float
    database: float | None
    client: float
    machine: float
    elapsed: float = 0.0  # the wall-clock seconds between two readings (set by upload_rate)
    per_worker: tuple[float, ...] = ()  # each worker's share of `workers`, by pid

    @classmethod
    def now(cls, server_pid: int, postmaster: int | None) -> "Cpu":
        per_worker = tuple(procfs.cpu_s(pid) for pid in sorted(procfs.children(server_pid)))
        database = None
        if postmaster is not None:  # exited backends are in the postmaster's cutime/cstime
            backends = sum(procfs.cpu_s(pid) for pid in procfs.children(postmaster))
            database = procfs.cpu_s(postmaster, reaped=True) + backends
        machine = procfs.machine_busy_s()
        return cls(sum(per_worker), database, time.process_time(), machine, per_worker=per_worker)

    def __sub__(self, other: "Cpu") -> "Cpu":
        return self._combine(other, operator.sub)

    def __add__(self, other: "Cpu") -> "Cpu":
        """Two measured stretches together (their CPU and their seconds)."""
        return self._combine(other, operator.add)

    def _combine(self, other: "Cpu", op) -> "Cpu":
        database = None if self.database is None else op(self.database, other.database)
        per_worker = tuple(op(a, b) for a, b in zip(self.per_worker, other.per_worker, strict=False))
        return Cpu(op(self.workers, other.workers), database, op(self.client, other.client),
                   op(self.machine, other.machine), op(self.elapsed, other.elapsed), per_worker)  # fmt: skip

    @property
    def split(self) -> str:
        """How the uploads fell on the workers (which worker a keep-alive connection lands on is the kernel's
        choice): each worker's share of their CPU."""
        total = sum(self.per_worker) or 1.0
        return " / ".join(f"{100 * share / total:.0f} %" for share in sorted(self.per_worker, reverse=True))

    @property
    def others(self) -> float:
        """What the rest of the machine used meanwhile (other work on a shared machine)."""
        return max(0.0, self.machine - self.workers - (self.database or 0.0) - self.client)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(world: World):
    """The app under gunicorn as `make run` serves it; yields the port (bench/pwa.py uses it too)."""
    with serving(world) as (port, _pid):
        yield port


@contextmanager
def serving(world: World):
    """served(), yielding (port, gunicorn's master pid) so the workers' CPU can be read."""
    port, photos = free_port(), tempfile.mkdtemp(prefix="closeloop-bench-photos-")
    env = {**os.environ, "DATABASE_URL": world.url, "STORAGE_URL": f"file://{photos}", **BASE_SETTINGS}
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, server)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def served_by() -> str:
    """gunicorn.conf.py's workers and threads, as the environment sets them."""
    return f"{os.environ.get('GUNICORN_WORKERS', '2')} workers x {os.environ.get('GUNICORN_THREADS', '4')} threads"


def wait_until_up(port: int, process: subprocess.Popen, what: str = "gunicorn", path: str = "/api/v1/openapi.json"):
    """Until `path` answers below 500 (any answer: the server is up), or BenchmarkFailed when the process exited
    or 60 s went by. The bench's servers all start with it (gunicorn here and in exports, load's hosts and the
    moto server)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkFailed(f"{what} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise BenchmarkFailed(f"{what} did not answer within 60 s")


def _call(connection, method: str, path: str, body: bytes, headers: dict, expect: int) -> dict:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    if response.status != expect:
        raise BenchmarkFailed(f"{method} {path} -> {response.status}: {payload[:300]!r}")
    return json.loads(payload)


def _findings(port: int, world: World, count: int) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {world.inspector_token}", "Content-Type": "application/json"}
    ids = []
    for _ in range(count):
        body = json.dumps({"id": str(uuid.uuid4()), **finding_body(world)}, ensure_ascii=False).encode()
        ids.append(_call(connection, "POST", "/api/v1/findings", body, headers, 201)["id"])
    return ids


def upload_rate(port: int, world: World, files: list[bytes], cpu=lambda: None) -> tuple[float, object]:
    """Uploads per second with CLIENT_THREADS clients, from the first request to the last answer, and the CPU
    the uploads took (cpu() after minus before; None when not measured) with the seconds it took (`elapsed`).

    Each client is a phone sending one finding's photos at a time, one after the other, over a connection of
    their own (the PWA's outbox sends one request at a time; gunicorn closes a connection idle for 2 s, so the
    next finding's photos, minutes later, come on a new one). Which worker takes a new connection is the
    kernel's choice: over a run's 18 findings the workers get their shares of them."""
    findings = _findings(port, world, -(-len(files) // PHOTOS_PER_FINDING))
    batches = [(finding_id, files[n * PHOTOS_PER_FINDING : (n + 1) * PHOTOS_PER_FINDING])
               for n, finding_id in enumerate(findings)]  # fmt: skip
    headers = {"Authorization": f"Bearer {world.inspector_token}", "Content-Type": "application/octet-stream"}
    errors: list[Exception] = []

    def client(share):
        try:
            for finding_id, photos in share:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                for data in photos:
                    path = f"/api/v1/findings/{finding_id}/photos/{uuid.uuid4()}?kind=evidence"
                    _call(connection, "PUT", path, data, headers, 201)
                connection.close()
        except Exception as error:  # reported below, after the other threads finish
            errors.append(error)

    threads = [threading.Thread(target=client, args=(batches[i::CLIENT_THREADS],)) for i in range(CLIENT_THREADS)]
    before = cpu()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    used = None if before is None else cpu() - before
    if used is not None:
        used.elapsed = elapsed
    if errors:
        raise BenchmarkFailed(f"{len(errors)} uploads failed, the first: {errors[0]}")
    return len(files) / elapsed, used


def photo_cpu(files: list[bytes]) -> list[float]:
    """process_photo's CPU seconds on each of the files, in this (the client's) process."""
    cpu = []
    for data in files:
        started = time.process_time()
        process_photo(data)
        cpu.append(time.process_time() - started)
    return cpu


def sliced(port: int, world: World, files: list[bytes], cpu) -> tuple[float, Cpu, float]:
    """The uploads of `files` in SLICES slices, process_photo's CPU sampled before each slice and after the last:
    the uploads per second over the slices, the CPU they took (with their seconds) and the ceiling's CPU per photo
    (the median of every sample)."""
    per_slice = len(files) // SLICES
    samples, used = photo_cpu(files[:CEILING_SAMPLES]), []
    for n in range(SLICES):
        used.append(upload_rate(port, world, files[n * per_slice : (n + 1) * per_slice], cpu)[1])
        end = (n + 1) * per_slice
        samples += photo_cpu(files[max(0, end - CEILING_SAMPLES) : end])
    total = sum(used[1:], used[0])
    return SLICES * per_slice / total.elapsed, total, statistics.median(samples)


def where_the_cpu_went(used: Cpu, count: int, photo_s: float) -> str:
    """ms per upload by process; the ratio the machine would allow if nothing else ran on it."""
    parts = [("workers", used.workers), ("PostgreSQL", used.database), ("client", used.client)]
    parts = [(name, seconds / count) for name, seconds in parts if seconds is not None]
    spent = sum(seconds for _, seconds in parts)
    shares = ", ".join(f"{name} {seconds * 1000:.1f} ms" for name, seconds in parts)
    cores = os.cpu_count() or 1
    return (f"CPU per upload: {shares} (process_photo alone {photo_s * 1000:.1f} ms; "
            f"CPU-bound ratio {photo_s / spent:.2f}); the workers' shares {used.split}; cores busy "
            f"{(used.workers + (used.database or 0.0) + used.client) / used.elapsed:.2f}; other work used "
            f"{used.others / used.elapsed:.1f} of its {cores} cores meanwhile")  # fmt: skip


def run(world: World, backend: str, cfg) -> list[Result]:
    photos = load_photos()
    phone = [phone_upload(data) for data in photos]
    phone_files = [unique(phone[i % 3], i) for i in range(WARM_UP + SLICES * PHONE_UPLOADS)]
    original_files = [unique(photos[i % 3], i) for i in range(SLICES * ORIGINAL_UPLOADS)]
    postmaster = procfs.postmaster_pid(world.url)
    with serving(world) as (port, pid):
        upload_rate(port, world, phone_files[:WARM_UP])
        results = []
        for label, files in (("phone 1600 px", phone_files[WARM_UP:]), ("12 MP original", original_files)):
            rate, used, photo_s = sliced(port, world, files, lambda: Cpu.now(pid, postmaster))
            ceiling = (os.cpu_count() or 1) / photo_s
            results.append(
                Result(
                    backend=backend,
                    metric=f"{label} uploads/s through gunicorn (ratio = ours/CPU ceiling)",
                    ours=f"{rate:.1f}/s",
                    floor=f"{ceiling:.1f}/s (ceiling)",
                    ratio=rate / ceiling,
                    target=">= 0.60",
                    detail=(
                        f"{len(files)} distinct files ({sum(map(len, files)) / len(files) / 1024:.0f} KB average) "
                        f"in {SLICES} slices, {CLIENT_THREADS} client threads, "
                        f"gunicorn {served_by()} on {os.cpu_count()} cores, "
                        "photos on local disk; ceiling = cores / process_photo CPU per photo "
                        f"(the median of {(SLICES + 1) * CEILING_SAMPLES} samples around the slices); "
                        + where_the_cpu_went(used, len(files), photo_s)
                    ),
                )
            )
    return results
