"""Issue 15: under gunicorn the upload's body is read by gunicorn's own length reader, not through werkzeug's stream
(app/api/photos.py, _read_exactly). The two must give the same bytes and the same refusals: here both read real
gunicorn Body objects over a socket, at sizes around gunicorn's 1 KB and 8 KB steps and a 12 MP original's; then
real gunicorn stores what a client sent, byte for byte."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import factories as f
import pytest
from gunicorn.http.body import Body, LengthReader
from gunicorn.http.unreader import SocketUnreader
from gunicorn_support import free_port, wait_until_up
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from app.api import photos as api
from app.services.photos import digest

ROOT = Path(__file__).resolve().parents[2]
SIZES = [0, 1, 1023, 1024, 1025, 8191, 8192, 8193, 65537, 470_123, 4_400_017]


def gunicorn_body(sent: bytes, declared: int):
    """gunicorn's wsgi.input for a request declaring `declared` bytes, of which the client sends `sent` and then
    closes its side (a request cut short when it sends fewer)."""
    client, server = socket.socketpair()

    def send():
        try:
            client.sendall(sent)
            client.shutdown(socket.SHUT_WR)
        except OSError:  # the test is over and closed the sockets: what is left unread stays unsent
            pass

    threading.Thread(target=send, daemon=True).start()
    return Body(LengthReader(SocketUnreader(server), declared)), (client, server)


def read(app, sent: bytes, declared: int, through_werkzeug: bool):
    """The body as _read_body reads it from gunicorn's Body, or (through_werkzeug) from werkzeug's stream over
    the same kind of Body, as it reads any other server's."""
    body, sockets = gunicorn_body(sent, declared)
    wrapped = Wrapped(body) if through_werkzeug else body
    environ = {"wsgi.input": wrapped, "wsgi.input_terminated": True, "CONTENT_LENGTH": str(declared)}
    try:
        with app.test_request_context("/", method="PUT", environ_overrides=environ):
            return api._read_body()
    finally:
        for s in sockets:
            s.close()


class Wrapped:
    """gunicorn's Body as a server that is not gunicorn hands it over: a stream with no `reader` to take."""

    def __init__(self, body):
        self.read, self.readline = body.read, body.readline


@pytest.mark.parametrize("size", SIZES)
def test_gunicorns_reader_gives_the_bytes_werkzeug_gives(app, size):
    data = os.urandom(size)
    assert read(app, data, size, through_werkzeug=False) == data == read(app, data, size, through_werkzeug=True)


def test_what_follows_the_body_on_the_connection_is_left_for_the_next_request(app):
    """The body is read in large chunks (up to 256 KB, not gunicorn's 8 KB): a chunk may run past the body into a
    pipelined next request, which must be left to gunicorn whole, with its reader's chunk size as it was."""
    data, following = os.urandom(470_123), b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n"
    body, sockets = gunicorn_body(data + following, len(data))
    environ = {"wsgi.input": body, "wsgi.input_terminated": True, "CONTENT_LENGTH": str(len(data))}
    try:
        with app.test_request_context("/", method="PUT", environ_overrides=environ):
            assert api._read_body() == data
        unreader = body.reader.unreader
        assert unreader.mxchunk == 8192
        assert unreader.read(len(following)) == following and unreader.read(1) == b""
    finally:
        for s in sockets:
            s.close()


def test_a_body_cut_short_is_refused_either_way(app):
    data = os.urandom(100_000)
    for through_werkzeug in (True, False):
        with pytest.raises(ClientDisconnected):
            read(app, data[:40_000], len(data), through_werkzeug)


def test_a_declared_length_over_the_limit_is_413_before_a_byte_is_read(app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body, sockets = gunicorn_body(b"x" * 1000, limit + 1)
    environ = {"wsgi.input": body, "wsgi.input_terminated": True, "CONTENT_LENGTH": str(limit + 1)}
    try:
        context = app.test_request_context("/", method="PUT", environ_overrides=environ)
        with context, pytest.raises(RequestEntityTooLarge):
            api._read_body()
        assert body.reader.length == limit + 1  # nothing was read
    finally:
        for s in sockets:
            s.close()


def test_real_gunicorn_stores_what_the_client_sent(database_url, tmp_path, session):
    world = f.World(session)
    user = world.user("inspector")
    headers = f.token_for(session, user)
    finding = f.report(session, user, f.finding_data(world.enterprise))
    session.commit()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test", "STORAGE_URL":
           f"file://{tmp_path / 'photos'}", "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}",
           "GUNICORN_BIND": f"127.0.0.1:{port}", "PWA_DIST": str(tmp_path / "dist")}  # fmt: skip
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port, server)
        shared = ROOT.parent / "shared" / "photos" / "real_boats_12mp.jpg"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # one keep-alive connection
        for data in (f.jpeg(), shared.read_bytes(), f.jpeg(64, 40)):
            connection.request("PUT", f"/api/v1/findings/{finding.id}/photos/{uuid.uuid4()}?kind=evidence",
                               body=data, headers={**headers, "Content-Type": "image/jpeg"})  # fmt: skip
            response = connection.getresponse()
            answer = json.loads(response.read())
            assert response.status == 201, answer
            assert answer["sha256"] == digest(data) and answer["byte_size"] == len(data)
            [original] = (tmp_path / "photos" / "originals").rglob(f"{answer['sha256']}.*")
            assert original.read_bytes() == data
        connection.request("GET", "/api/v1/me", headers=headers)  # the connection still reads requests whole
        me = connection.getresponse()
        assert me.status == 200 and json.loads(me.read())["user"]["username"] == user.username
    finally:
        server.terminate()
        server.wait(timeout=30)

