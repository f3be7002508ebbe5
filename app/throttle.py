"""Rate-limit counters in one SQLite file, for the workers of one host to share (RATELIMIT_STORAGE_URI=sqlite:///…).

Flask-Limiter keeps its counters in `memory://` unless told otherwise, and each gunicorn worker then counts on
its own: with 2 workers an attacker gets twice the attempts, with N workers N times. Redis (REDIS_URL) is the
answer for several hosts; for one host this file is, with nothing to install or run: every worker opens the same
file, and each increment is one atomic statement in an immediate transaction (WAL, so reads never wait).
A counter costs one row; expired rows are swept now and then.

The fixed-window strategy (Flask-Limiter's default) is what it serves: a window starts at a key's first hit and
lasts the limit's period.
"""

import os
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from limits.storage import Storage

_SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)"
_INCR = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires_at <= :now THEN :amount ELSE count + :amount END,
    expires_at = CASE WHEN expires_at <= :now THEN :now + :expiry ELSE expires_at END
RETURNING count
"""
SWEEP_EVERY = 1000  # increments between deletions of expired rows


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = urlsplit(uri).path
        if not path or path == "/":
            raise ValueError(f"give the counters' file: sqlite:///path/to/file, not {uri!r}")
        self.path = Path(path[1:])  # sqlite:///relative/file and sqlite:////absolute/file, as SQLAlchemy spells them
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._increments = 0
        # WAL is a property of the file, kept once set: set here, once per process, not by every new connection
        # (workers switching the journal mode at the same moment is how SQLite ends in "disk I/O error")
        setup = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            setup.execute("PRAGMA journal_mode=WAL")
            setup.execute(_SCHEMA)
        finally:
            setup.close()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        """One connection per thread (and per process: a forked worker must not reuse its parent's)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != _pid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.pid = conn, _pid()
        return _Transaction(conn)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._connection() as conn:
            count = conn.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()[0]
            self._increments += 1
            if self._increments % SWEEP_EVERY == 0:
                conn.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return count

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def _row(self, key: str):
        conn = self._connection().conn
        return conn.execute(
            "SELECT count, expires_at FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
        ).fetchone()

    def check(self) -> bool:
        try:
            self._connection().conn.execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        with self._connection() as conn:
            return conn.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM counters WHERE key = ?", (key,))


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT around a block: the increment reads and writes under the write lock."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _pid() -> int:
    return os.getpid()
