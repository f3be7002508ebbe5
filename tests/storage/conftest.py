"""Three real storage backends for the contract tests in test_storage.py.

- local:  LocalStorage in tmp_path.
- moto:   moto's ThreadedMotoServer on a free loopback port: real HTTP, in-process, fast. It checks neither
          signatures nor expiry, so it can prove a presigned URL works but never that a bad one is refused.
- s3rver: @20minutes/s3rver 4.0.4 under Node (tests/storage/s3rver). It verifies SigV4, so the tests that must
          see a tampered or expired presigned URL refused run against it. `npm ci` runs here when node_modules is
          missing; without node/npm the tests FAIL rather than skip, so a CI image without Node is noticed.

Every test gets its own bucket (S3) or folder (local), so tests never see each other's objects.
"""

import json
import os
import selectors
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.storage import Storage, storage_from_url
from app.storage.s3 import S3Storage

S3RVER_DIR = Path(__file__).parent / "s3rver"
S3RVER_VERSION = "4.0.4"
NPM_TIMEOUT_S = 240
START_TIMEOUT_S = 20


@dataclass
class Backend:
    name: str
    base_url: str  # file:///.../root or s3://bucket, without a trailing slash
    environ: dict = field(default_factory=dict)
    verifies_signatures: bool = False

    @property
    def is_s3(self) -> bool:
        return self.base_url.startswith("s3://")

    def storage(self, prefix: str = "") -> Storage:
        """The adapter app.storage.storage_from_url builds for this backend's STORAGE_URL (plus a prefix)."""
        return storage_from_url(f"{self.base_url}/{prefix}" if prefix else self.base_url, self.environ)


# ---- moto ------------------------------------------------------------------------------------------------------


# moto_endpoint (a ThreadedMotoServer for the session) lives in tests/conftest.py: the API tests use it too.


# ---- s3rver ----------------------------------------------------------------------------------------------------


def _s3rver_installed() -> bool:
    # npm writes node_modules/.package-lock.json last, so an interrupted install does not count as installed.
    manifest = S3RVER_DIR / "node_modules" / "@20minutes" / "s3rver" / "package.json"
    if not (S3RVER_DIR / "node_modules" / ".package-lock.json").is_file() or not manifest.is_file():
        return False
    return json.loads(manifest.read_text()).get("version") == S3RVER_VERSION


def _ensure_s3rver_installed() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail(
            "the storage tests need Node.js 20+ and npm on PATH to run the SigV4-checking S3 server "
            f"(@20minutes/s3rver@{S3RVER_VERSION} in {S3RVER_DIR}); found node={node!r} npm={npm!r}. "
            "Install Node rather than skipping: these are the only tests proving signed URLs are enforced.",
            pytrace=False,
        )
    if not _s3rver_installed():
        try:
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--silent"],
                cwd=S3RVER_DIR,
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"`npm ci` in {S3RVER_DIR} took longer than {NPM_TIMEOUT_S} s", pytrace=False)
        if result.returncode != 0 or not _s3rver_installed():
            pytest.fail(
                f"`npm ci` in {S3RVER_DIR} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
    return node


def _wait_for_port_line(proc: subprocess.Popen, log: Path) -> int:
    """server.js prints the port it bound (it asks the OS for a free one), then we wait until it answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        ready = sel.select(timeout=START_TIMEOUT_S)  # a line, or EOF if node died
    line = proc.stdout.readline().strip() if ready else ""
    if not line.isdigit():
        proc.kill()
        pytest.fail(f"s3rver did not start (printed {line!r}); its stderr:\n{log.read_text()}", pytrace=False)
    port = int(line)
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    pytest.fail(f"s3rver printed port {port} but never answered on it; stderr:\n{log.read_text()}", pytrace=False)


@pytest.fixture(scope="session")
def s3rver_endpoint(tmp_path_factory):
    node = _ensure_s3rver_installed()
    run = tmp_path_factory.mktemp("s3rver")
    log = run / "stderr.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [node, "server.js", str(run / "data"), "0"],
            cwd=S3RVER_DIR,
            stdin=subprocess.PIPE,  # server.js exits when this closes, even if pytest itself is killed
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        port = _wait_for_port_line(proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


# ---- the backends ----------------------------------------------------------------------------------------------


def _s3_backend(name: str, endpoint: str, key_id: str, secret: str, verifies: bool) -> Backend:
    environ = {
        "S3_ENDPOINT_URL": endpoint,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
    }
    backend = Backend(name, f"s3://t-{uuid.uuid4().hex[:16]}", environ, verifies_signatures=verifies)
    storage = backend.storage()
    assert isinstance(storage, S3Storage)
    storage.ensure_bucket()
    return backend


@pytest.fixture
def moto_backend(moto_endpoint) -> Backend:
    # moto accepts any credentials, any signature and any expiry.
    return _s3_backend("moto", moto_endpoint, "testing", "testing", verifies=False)


@pytest.fixture
def s3rver_backend(s3rver_endpoint) -> Backend:
    return _s3_backend("s3rver", s3rver_endpoint, "S3RVER", "S3RVER", verifies=True)


@pytest.fixture
def local_backend(tmp_path) -> Backend:
    return Backend("local", f"file://{tmp_path / 'photos'}")


@pytest.fixture(params=["local", "moto", "s3rver"])
def backend(request) -> Backend:
    """Each contract test runs once per backend; narrow it with parametrize("backend", [...], indirect=True)."""
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture
def storage(backend) -> Storage:
    return backend.storage()


@pytest.fixture(autouse=True)
def _no_aws_profile(monkeypatch):
    # Tests pass every setting through the environ dict; keep a developer's ~/.aws profile out of the picture.
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
