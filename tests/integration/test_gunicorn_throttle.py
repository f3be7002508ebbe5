"""The real server, as `make run` starts it (gunicorn.conf.py: 2 workers x 4 threads): login throttling holds
across its workers, per username whatever the client address and per address whatever the username; what
gunicorn itself refuses is JSON; a chunked body over the limit is 413 through it as well.

Client addresses are real: every 127.0.0.0/8 address is this machine's, so each attempt can come from its own
source address (no X-Forwarded-For, which is not believed without PROXY_HOPS).
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import factories as f
import pytest
from chunked import put_chunked
from gunicorn_support import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]



@pytest.fixture
def server(database_url, tmp_path, session):
    """gunicorn with the project's config on a free loopback port and this test's database; the counters in a
    file of this test's (where `make run` would use instance/ratelimit.sqlite)."""
    world = f.World(session)
    user = world.user("inspector")
    headers = f.token_for(session, user)
    finding = f.report(session, user, f.finding_data(world.enterprise))
    session.commit()
    port, log = free_port(), tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "LOGIN_RATE_LIMIT": "10 per minute",
        "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'ratelimit.sqlite'}",
        "STORAGE_URL": f"file://{tmp_path / 'photos'}",
        "PWA_DIST": str(tmp_path / "dist"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    env.pop("REDIS_URL", None)
    command = [*GUNICORN, "--access-logfile", str(log), "--access-logformat", "%(p)s %(h)s %(s)s %(r)s", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port, process)
        yield {"port": port, "log": log, "user": user, "headers": headers, "finding": finding,
               "photos": tmp_path / "photos"}  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=30)



def login(port: int, username: str, password: str = "wrong password", source: str = "127.0.0.1") -> int:
    """One attempt on a connection of its own, from `source`, so the kernel may hand it to either worker."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    body = json.dumps({"username": username, "password": password})
    conn.request("POST", "/api/v1/auth/login", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def workers_that_answered(log: Path, sources: set[str]) -> set[str]:
    """The pids of the workers whose access-log lines came from these client addresses."""
    time.sleep(0.3)  # the access log is written after the answer
    lines = [line.split() for line in log.read_text().splitlines()]
    return {line[0] for line in lines if line[1] in sources and line[4] == "/api/v1/auth/login"}


def in_parallel(attempts: list[tuple]) -> list[int]:
    """All at once, each on its own connection: an idle gthread worker that has just answered tends to win the
    next accept, so attempts one after another may all go to one worker; at once, both workers take some."""
    barrier = threading.Barrier(len(attempts))

    def one(args):
        barrier.wait()
        return login(*args)

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(one, attempts))


def spread_over_both_workers(server, make_attempts) -> tuple[list[int], list[tuple]]:
    """Ten attempts at once, again (with fresh names and addresses) until both workers answered some of them:
    the kernel decides which worker accepts, and a round one worker took all of proves nothing."""
    for round_ in range(8):
        attempts = make_attempts(round_)
        statuses = in_parallel(attempts)
        if len(workers_that_answered(server["log"], {a[3] for a in attempts})) == 2:
            return statuses, attempts
    raise AssertionError("eight rounds of ten attempts at once, each answered by one worker only")


def test_the_eleventh_bad_password_for_one_username_is_429_across_workers_and_addresses(server):
    port = server["port"]

    def attempts(round_):
        username = server["user"].username if round_ == 0 else f"{server['user'].username}-{round_}"
        return [(port, username, "wrong password", f"127.0.{round_ + 1}.{10 + i}") for i in range(10)]

    statuses, tried = spread_over_both_workers(server, attempts)
    assert statuses == [401] * 10  # ten bad passwords from ten addresses, answered by both workers
    username = tried[0][1]
    assert login(port, username, source="127.0.100.1") == 429  # the eleventh, whichever worker takes it
    assert login(port, username, source="127.0.100.2") == 429
    if username == server["user"].username:
        assert login(port, username, f.PASSWORD, source="127.0.100.3") == 429  # held for the rest of the minute
    assert login(port, "somebody-else", source="127.0.100.4") == 401


def test_the_eleventh_attempt_from_one_address_is_429_across_workers(server):
    port = server["port"]

    def attempts(round_):
        return [(port, f"nobody{round_}-{i}", "wrong password", f"127.0.{round_ + 1}.50") for i in range(10)]

    statuses, tried = spread_over_both_workers(server, attempts)
    assert statuses == [401] * 10
    address = tried[0][3]
    assert login(port, "nobody-else", source=address) == 429
    assert login(port, "nobody-else", source="127.0.200.51") == 401  # another address is not held up


def raw(port: int, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def test_what_gunicorn_refuses_itself_is_json(server):
    port = server["port"]
    status, headers, body = raw(port, b"GET /api/v1/findings?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 414 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "uri_too_long"
    many = b"".join(b"X-Header-%d: v\r\n" % i for i in range(120))
    status, headers, body = raw(port, b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert status == 431 and json.loads(body)["error"]["code"] == "request_header_fields_too_large"
    status, headers, body = raw(port, b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n")
    assert status == 431 and headers["Content-Type"] == "application/json"
    status, headers, body = raw(port, b"NOT A REQUEST\r\n\r\n")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_request"


def test_a_query_gunicorn_lets_through_is_refused_by_the_app_in_json(server):
    port = server["port"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/api/v1/findings?q=" + "x" * 6000, headers=server["headers"])
    response = conn.getresponse()
    assert response.status == 414 and json.loads(response.read())["error"]["code"] == "uri_too_long"


def test_a_chunked_upload_over_the_limit_is_413_through_gunicorn(server):
    port, finding = server["port"], server["finding"]
    path = f"/api/v1/findings/{finding.id}/photos/{uuid.uuid4()}?kind=evidence"
    status, payload, _ = put_chunked(port, path, server["headers"], f.jpeg() + bytes(21 * 1024 * 1024))
    assert status == 413 and payload["error"]["code"] == "payload_too_large"
    photos = server["photos"]
    assert not photos.exists() or [p for p in photos.rglob("*") if p.is_file()] == []  # nothing stored
