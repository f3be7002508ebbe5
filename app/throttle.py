"""Rate-limit counters in one SQLite file, for the workers of one host to share (RATELIMIT_STORAGE_URI=sqlite:///…).

Flask-Limiter keeps its counters in `memory://` unless told otherwise, and each gunicorn worker then counts on
its own: with 2 workers an attacker gets twice the attempts, with N workers N times. Redis (REDIS_URL) is the
answer for several hosts; for one host this file is, with nothing to install or run: every worker opens the same
file, and each increment is one atomic statement in an immediate transaction (WAL, so reads never wait).
A counter costs one row; expired rows are swept now and then.

The fixed-window strategy (Flask-Limiter's default) is what it serves: a window starts at a key's first hit and
lasts the limit's period.
"""

import fcntl
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
        _set_up(self.path)

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


def _set_up(path: Path) -> None:
    """WAL and the table, once per process, one process at a time.

    WAL is a property of the file, kept once set: set here, not by every new connection (workers switching the
    journal mode at the same moment is how SQLite ends in "disk I/O error"). gunicorn's workers all reach this at
    the same moment when they boot; on a new file SQLite answers a journal-mode change that meets another's lock
    with "database is locked" at once, without waiting out the timeout, and that worker failing to boot stops
    gunicorn. So the processes take turns on an flock of a file beside it."""
    with open(path.with_name(path.name + ".setup-lock"), "a") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)  # released when the file closes
        setup = sqlite3.connect(path, timeout=10, isolation_level=None)
        try:
            if setup.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                setup.execute("PRAGMA journal_mode=WAL")
            setup.execute(_SCHEMA)
        finally:
            setup.close()


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


def check_only_limited_routes(app, limiter) -> None:
    """Run Flask-Limiter's before_request check only for a request some limit could apply to.

    The extension checks every request: it resolves the route's limits (the view's qualified name, the blueprint
    chain, the exemptions) even where there are none, which was a tenth of a create. Here that hook is skipped
    when no application, default or meta limit is configured, no blueprint of the request carries one, and its
    view is neither decorated with a limit nor hinted at by one (Flask-Limiter records a hint when a decorated
    function serves another endpoint). A decorated view checks its own limits in its decorator anyway; this
    keeps the early check for it as well. The storage's in-memory fallback, when it is in use, is checked always.
    """
    hooks = app.before_request_funcs.get(None, [])
    check = limiter._check_request_limit
    if check not in hooks:
        return
    manager = limiter.limit_manager

    def check_if_limited():
        if _unlimited(app, limiter, manager):
            return None
        return check()

    hooks[hooks.index(check)] = check_if_limited
    _only_once_used(app, limiter)


def _only_once_used(app, limiter) -> None:
    """Its after_request (headers, conditional deductions) and teardown (resetting its per-request state) do
    nothing for a request whose per-request state Flask-Limiter never made (no check ran, no decorated limit):
    skipped then, and run as they are otherwise."""
    from flask_limiter._compat import request_context

    def unused() -> bool:
        return not hasattr(request_context(), "_limiter_request_context")

    after = app.after_request_funcs.get(None, [])
    for i, hook in enumerate(after):
        if getattr(hook, "args", None) == (limiter,) and "inject_headers" in getattr(hook.func, "__name__", ""):
            after[i] = _unless(unused, hook, passthrough=True)
    teardown = app.teardown_request_funcs.get(None, [])
    for i, hook in enumerate(teardown):
        if getattr(hook, "__self__", None) is limiter and "release_context" in getattr(hook, "__name__", ""):
            teardown[i] = _unless(unused, hook, passthrough=False)


def _unless(unused, hook, *, passthrough: bool):
    def run(value):
        if unused():
            return value if passthrough else None
        return hook(value)

    return run


def _unlimited(app, limiter, manager) -> bool:
    from flask import request

    if manager._application_limits or manager._default_limits or limiter._meta_limits or limiter._storage_dead:
        return False
    endpoint = request.endpoint or ""
    if manager.has_hints(endpoint):  # made while serving: asked every time
        return False
    return not _limited_route(app, limiter, manager, endpoint)


_routes: dict[tuple[int, str], bool] = {}  # (app, endpoint) -> whether its view or blueprints carry a limit


def _limited_route(app, limiter, manager, endpoint: str) -> bool:
    """Whether the endpoint's view is decorated with a limit or one of its blueprints has one: both are set when
    the routes are declared, so each endpoint is looked at once."""
    key = (id(app), endpoint)
    found = _routes.get(key)
    if found is None:
        from flask_limiter.util import get_qualified_name

        view = app.view_functions.get(endpoint)
        decorated = view is not None and get_qualified_name(view) in limiter._marked_for_limiting
        names = endpoint.split(".")[:-1]  # the blueprint chain: "api.findings.get" -> api, api.findings
        chain = {".".join(names[: i + 1]) for i in range(len(names))}
        found = _routes[key] = decorated or any(name in manager._blueprint_limits for name in chain)
    return found
