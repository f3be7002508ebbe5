"""Browser tests: the real app served over HTTP on loopback, the built PWA, Debian's Chromium driven by Playwright.

- Chromium is /usr/bin/chromium (or $CHROMIUM_PATH), installed with apt by scripts/e2e-setup.sh; Playwright's own
  browser download is never used.
- The PWA build (pwa/dist) is a precondition: when it is missing or older than its sources, it is built once per
  run (`npm ci` if needed, then `npm run build`). A failed build fails the tests; nothing is skipped.
- Every test gets its own database (a copy of the migrated template), photo folder, copy of the PWA build and
  server, which it can stop and start again on the same port.
"""

import contextlib
import os
import shutil
import socket
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import factories as f
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

from .support import PWA, ServerView, build_pwa, newest_source_mtime

VIEWPORT = {"width": 360, "height": 640}

expect.set_options(timeout=15_000)


# --- the browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).is_file():
        pytest.fail(f"{executable} is missing: run scripts/e2e-setup.sh (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _own_tmpdir(tmp_path_factory):
    """Chromium leaves profile folders in TMPDIR: give it one of this run's, removed with the run's tmp folders."""
    if os.environ.get("TMPDIR", "").startswith("/tmp/closeloop-test."):
        yield  # scripts/test.sh already made a folder per run
        return
    folder = tmp_path_factory.mktemp("chromium-tmp")
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    yield
    if old is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = old


# --- the PWA build -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pwa_dist() -> Path:
    """The built PWA: pwa/dist, built when it is missing or older than the PWA's sources (E2E_REBUILD_PWA=1
    forces it). E2E_PWA_DIST=<folder> tests a build made elsewhere instead, as it is."""
    if os.environ.get("E2E_PWA_DIST"):
        dist = Path(os.environ["E2E_PWA_DIST"])
    else:
        dist = PWA / "dist"
        index = dist / "index.html"
        stale = not index.is_file() or index.stat().st_mtime < newest_source_mtime()
        if os.environ.get("E2E_REBUILD_PWA") == "1" or stale:
            build_pwa()
    for name in ("index.html", "sw.js"):
        if not (dist / name).is_file():
            pytest.fail(f"{dist / name} is missing: the PWA build must produce it")
    return dist


# --- the server ----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app on 127.0.0.1:<port> in a thread. stop() also cuts open keep-alive connections, as a dead server
    would; start() again serves on the same port. With `api_down` set, the API answers 503 (a deploy or an
    overloaded gateway) while the PWA's files are still served."""

    def __init__(self, app, port: int):
        self.app = app
        self.api_down = False
        self.held: dict[str, threading.Event] = {}  # path -> released when set; a request for it waits until then
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._server = None
        self._thread = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        if self._server is not None:
            return
        server = make_server("127.0.0.1", self.port, self._wsgi, threaded=True)
        process_request, shutdown_request = server.process_request, server.shutdown_request

        def tracked_process_request(request, client_address):  # remember open connections, to cut them at stop()
            with self._lock:
                self._connections.add(request)
            process_request(request, client_address)

        def tracked_shutdown_request(request):
            with self._lock:
                self._connections.discard(request)
            shutdown_request(request)

        server.process_request, server.shutdown_request = tracked_process_request, tracked_shutdown_request
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _wsgi(self, environ, start_response):
        if self.api_down and environ.get("PATH_INFO", "").startswith("/api/"):
            body = b'{"error": {"code": "unavailable", "message": "Down for maintenance.", "fields": {}}}'
            start_response("503 Service Unavailable", [("Content-Type", "application/json"), ("Retry-After", "1")])
            return [body]
        held = self.held.get(environ.get("PATH_INFO", ""))
        if held is not None:
            held.wait(timeout=60)
        return self.app(environ, start_response)

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=10)
        self._server = self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class Seeded:
    """The people (usernames; every password is support.PASSWORD) and the enterprise every browser test starts
    with: one of each role, the officer belonging to the enterprise."""

    inspector: str
    officer: str
    supervisor: str
    grid_worker: str
    enterprise_id: int
    enterprise_lat: float
    enterprise_lng: float

    @property
    def phone(self) -> dict:
        """Where the phones are (their GPS fix): about 30 m from the enterprise's gate, ±8 m."""
        return {"latitude": round(self.enterprise_lat + 0.0003, 6), "longitude": self.enterprise_lng, "accuracy": 8}


@pytest.fixture
def pwa_copy(pwa_dist, tmp_path) -> Path:
    """This test's own copy of the build, so a test may change what is deployed without touching others."""
    copy = tmp_path / "dist"
    shutil.copytree(pwa_dist, copy)
    return copy


@pytest.fixture
def app(database_url, tmp_path, pwa_copy):
    """The real app on this test's database (migrated template copy), photo folder and PWA build."""
    settings = {
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # as tests/conftest.py: the real default is slow on purpose
        "SECRET_KEY": "e2e-" + uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "STORAGE_URL": f"file://{tmp_path / 'photos'}",
        "PWA_DIST": str(pwa_copy),
        "LOGIN_RATE_LIMIT": "10000 per minute",
    }
    app = create_app(settings)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def seeded(app) -> Seeded:
    with app.app_context():
        world = f.World(db.session)
        inspector = world.user("inspector")
        officer = world.user("enterprise_officer")
        supervisor = world.user("supervisor")
        grid_worker = world.user("grid_worker")
        people = Seeded(
            inspector=inspector.username,
            officer=officer.username,
            supervisor=supervisor.username,
            grid_worker=grid_worker.username,
            enterprise_id=world.enterprise.id,
            enterprise_lat=world.enterprise.lat,
            enterprise_lng=world.enterprise.lng,
        )
        db.session.commit()
        db.session.remove()
    return people


@pytest.fixture
def server_view(app):
    """server_view(username): what the server holds, read through its API as that user (a supervisor may also
    read the original photos)."""
    made: dict[str, ServerView] = {}

    def view(username: str) -> ServerView:
        if username not in made:
            made[username] = ServerView(app, username)
        return made[username]

    return view


@pytest.fixture
def live_server(app, seeded):
    server = LiveServer(app, free_port())
    server.start()
    yield server
    server.stop()


# --- browser contexts ----------------------------------------------------------------------------------------------


@pytest.fixture
def browser_context_args(browser_context_args, seeded, live_server):
    """Every context (pytest-playwright's context, page and new_context) talks to this test's server as a phone
    near the seeded enterprise would."""
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": VIEWPORT,
        "permissions": ["geolocation"],
        "geolocation": seeded.phone,
        "service_workers": "allow",
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }
