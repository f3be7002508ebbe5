"""The SQLite counter store the workers of one host share (app/throttle.py), and gunicorn.conf.py choosing it."""

import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

import app.throttle  # noqa: F401  (registers the sqlite:// scheme)

ROOT = Path(__file__).resolve().parents[2]


def store(tmp_path):
    return storage_from_string(f"sqlite:///{tmp_path / 'counters.sqlite'}")


def test_counters_count_expire_and_clear(tmp_path):
    counters = store(tmp_path)
    assert counters.check()
    assert [counters.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert counters.get("k") == 3 and counters.get("other") == 0
    assert time.time() + 55 < counters.get_expiry("k") <= time.time() + 60
    assert counters.incr("short", 1) == 1
    time.sleep(1.1)
    assert counters.get("short") == 0 and counters.incr("short", 1) == 1  # a new window
    counters.clear("k")
    assert counters.get("k") == 0
    counters.incr("k", 60)
    assert counters.reset() >= 1 and counters.get("k") == 0


def test_a_limiter_over_it_refuses_the_eleventh(tmp_path):
    limiter = FixedWindowRateLimiter(store(tmp_path))
    ten = parse("10 per minute")
    assert [limiter.hit(ten, "login", "wang") for _ in range(11)] == [True] * 10 + [False]
    assert limiter.hit(ten, "login", "li")


def _hits(path: str) -> list[int]:
    counters = storage_from_string(f"sqlite:///{path}")
    return [counters.incr("shared", 60) for _ in range(200)]


def test_processes_sharing_the_file_never_lose_an_increment(tmp_path):
    path = str(tmp_path / "counters.sqlite")
    store(tmp_path)  # the table, made once
    with ProcessPoolExecutor(4) as pool:
        seen = [n for counts in pool.map(_hits, [path] * 4) for n in counts]
    assert sorted(seen) == list(range(1, 801))  # each increment saw its own count: atomic across processes


def test_gunicorn_conf_shares_the_counters_of_its_workers_unless_redis_is_set(tmp_path):
    probe = (
        "import runpy, os; runpy.run_path('gunicorn.conf.py'); "
        "print(os.environ.get('RATELIMIT_STORAGE_URI', ''))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "RATELIMIT_STORAGE_URI"}}
    alone = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert alone.stdout.strip() == f"sqlite:///{ROOT / 'instance' / 'ratelimit.sqlite'}", alone.stderr
    with_redis = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env={**env, "REDIS_URL": "redis://127.0.0.1:6379"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert with_redis.stdout.strip() == ""  # app.config takes REDIS_URL first


def _open_when_released(path: str, start_at: float) -> str:
    while time.time() < start_at:  # every process opens the fresh file at the same instant, as workers boot
        pass
    try:
        storage_from_string(f"sqlite:///{path}").incr("boot", 60)
        return "ok"
    except Exception as error:  # reported below: one failed worker is gunicorn refusing to start
        return repr(error)


def test_workers_booting_at_once_on_a_new_file_all_open_it(tmp_path):
    """gunicorn's workers create their app at the same moment; on a fresh instance folder they all set up the new
    counters file at once, and one refused ("database is locked") stops gunicorn ("Worker failed to boot")."""
    outcomes = []
    with ProcessPoolExecutor(6) as pool:
        for n in range(8):
            path = str(tmp_path / f"fresh-{n}.sqlite")
            start_at = time.time() + 0.3
            outcomes += pool.map(_open_when_released, [path] * 6, [start_at] * 6)
    assert outcomes == ["ok"] * 48
