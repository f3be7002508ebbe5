"""The servers of the province-load benchmark (bench/load.py), each a process of ours with the CPU it has used.

- gunicorn, as `make run` starts it (`-c gunicorn.conf.py`: its workers and threads), on a port of its own; two of
  them are two "hosts" sharing the database, Redis and the object store.
- redis-server (the login limiter's counters across hosts, REDIS_URL) and moto's S3 server (STORAGE_URL=s3://...),
  both on loopback, both stopped at the end.
- CPU seconds of a process tree from /proc/<pid>/stat: its own utime + stime, the children it has reaped
  (cutime + cstime) and every live descendant's, so a backend that exits between two readings still counts (its
  time moves into the postmaster's cutime when it is reaped). PostgreSQL's tree is its postmaster's, found from a
  backend's parent: every backend, the WAL writer, the checkpointer, autovacuum.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import procfs
from bench.create import BenchmarkFailed
from bench.uploads import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-only-secret"  # the same on every host: a cookie signed by one is read by the other



@dataclass
class Host:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def workers(self) -> list[int]:
        return procfs.children(self.process.pid)

    def cpu(self) -> float:
        return procfs.tree_cpu(self.process.pid)

    def ready(self) -> None:
        wait_until_up(self.port, self.process, f"gunicorn {self.name}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(name: str, database_url: str, env: dict, log_dir: Path, *, wait: bool = True):
    """One host: gunicorn -c gunicorn.conf.py on a free port; its error log in log_dir. wait=False: the caller
    calls ready() (hosts start side by side: each takes seconds to import the app)."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
                   "GUNICORN_BIND": f"127.0.0.1:{port}", "PROXY_HOPS": "1", **env}  # fmt: skip
    environment.pop("GUNICORN_ACCESS_LOG", None)
    log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed below, after the server stops
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    host = Host(name, port, process)
    try:
        if wait:
            host.ready()
        yield host
    finally:
        _stop(process)
        log.close()


@contextmanager
def redis():
    """redis-server on a free loopback port, nothing saved; yields (url, its process)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise BenchmarkFailed("the two-host run needs redis-server (apt-get install -y redis-server; make bench-load)")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise BenchmarkFailed("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        _stop(process)


@dataclass
class S3Server:
    port: int
    process: subprocess.Popen
    bucket: str = "closeloop-load"

    @property
    def env(self) -> dict:
        """What the app reads (app/storage/s3.py)."""
        return {
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.port}",
            "AWS_ACCESS_KEY_ID": "load",
            "AWS_SECRET_ACCESS_KEY": "load",
            "AWS_REGION": "us-east-1",
            "STORAGE_URL": f"s3://{self.bucket}",
        }

    def ready(self) -> None:
        import boto3

        wait_until_up(self.port, self.process, "moto server", path="/")
        client = boto3.client("s3", endpoint_url=self.env["S3_ENDPOINT_URL"], region_name="us-east-1",
                              aws_access_key_id="load", aws_secret_access_key="load")  # fmt: skip
        client.create_bucket(Bucket=self.bucket)


@contextmanager
def s3_server():
    """moto's S3 server in a process of its own (not among this one's threads: the load generator needs them);
    the caller calls ready(), which makes the bucket."""
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield S3Server(port, process)
    finally:
        _stop(process)


@contextmanager
def one_host(database_url: str):
    """A single host as `make run` serves it: the limiter's counters in a SQLite file its workers share, photos on
    local disk."""
    with tempfile.TemporaryDirectory(prefix="closeloop-load-") as folder, ExitStack() as stack:
        folder = Path(folder)
        env = {"RATELIMIT_STORAGE_URI": f"sqlite:///{folder / 'ratelimit.sqlite'}",
               "STORAGE_URL": f"file://{folder / 'photos'}"}  # fmt: skip
        host = stack.enter_context(gunicorn("host1", database_url, env, folder))
        yield [host], {"photos": folder / "photos", "extra": {}}


@contextmanager
def two_hosts(database_url: str):
    """Two hosts sharing the database, Redis and the S3 server; yields ([host1, host2], what they share)."""
    with tempfile.TemporaryDirectory(prefix="closeloop-load-") as folder, ExitStack() as stack:
        folder = Path(folder)
        redis_url, redis_process = stack.enter_context(redis())
        s3 = stack.enter_context(s3_server())
        env = {"REDIS_URL": redis_url, **s3.env}
        hosts = [stack.enter_context(gunicorn(f"host{n}", database_url, env, folder, wait=False)) for n in (1, 2)]
        for server in (s3, *hosts):  # started side by side, each seconds to import
            server.ready()
        yield hosts, {"s3": s3.env, "extra": {"redis": redis_process.pid, "s3": s3.process.pid}}
