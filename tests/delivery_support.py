"""Real receivers for the delivery tests: an SMTP server (aiosmtpd, on a thread) and a group-robot webhook receiver
(http.server, on a thread), both on loopback, each recording what it took; and the data a delivery needs."""

import asyncio
import email
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import factories as f
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import Delivery
from app.services.notifications import write_notifications

ROOT = Path(__file__).resolve().parents[1]
REPORTED = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
DEADLINE = date(2026, 12, 8)
DUE = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, 3 working days before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, seconds: float = 60.0) -> None:
    """Poll until `condition()` holds; the bound is generous, only a hang reaches it."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.05)


class Mailbox:
    """aiosmtpd handler. mode: accept (record), refuse (550 at RCPT), stall (hold DATA until `release`, then 451:
    the message was never accepted, as when the sender dies before the server says 250)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.mode = "accept"
        self.delay = 0.0
        self.in_data = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "stall":
            self.in_data.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for m in self.messages]


class SmtpServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.mailbox.release.set()
        self.controller.stop()


class Robot:
    """A group robot's webhook: records each POST (path, query, JSON) and answers `answer` (status, JSON)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answer = (200, {"errcode": 0, "errmsg": "ok"})
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                parts = urlsplit(self.path)
                seen = {"path": parts.path, "query": parse_qs(parts.query), "json": json.loads(body),
                        "content_type": self.headers["Content-Type"]}  # fmt: skip
                robot.requests.append(seen)
                status, answer = robot.answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/robot/send?access_token=t0ken") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def recipient(world: f.World, session, *, channels=("email",), email_address="zhang.san@example.cn", **kw):
    """An enterprise officer who chose these channels."""
    person = world.user("enterprise_officer", **kw)
    person.display_name = "张三"
    person.email = email_address
    person.channels = list(channels)
    session.flush()
    return person


def due_finding(session, world: f.World):
    """A finding in rectifying, its deadline DEADLINE, reported at REPORTED by an inspector of the district."""
    inspector = world.user("inspector")
    data = f.finding_data(world.enterprise, observed_at=REPORTED - timedelta(minutes=5), deadline=DEADLINE)
    return f.report(session, inspector, data, now=REPORTED)


def notify(session, finding, people, now: datetime = DUE, rule: str = "deadline_in_3_days") -> int:
    """One notification per person about `finding`, as the deadline job writes it; their deliveries are queued."""
    rows = [{"recipient_id": p.id, "finding_id": finding.id, "rule": rule, "kind": "reminder", "due_at": now,
             "title": f"隐患 {finding.number} 将于 2026年12月8日 到期",
             "body": f"「{finding.title}」的整改期限是 2026年12月8日。请按期完成整改。",
             "created_at": now, "read_at": None} for p in people]  # fmt: skip
    return write_notifications(session, rows, now)


def deliveries(session) -> list[Delivery]:
    session.rollback()  # see what another process or the command committed
    session.expire_all()
    return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def process_env(database_url: str, tmp_path: Path, **extra) -> dict:
    """The environment of a `flask jobs ...` subprocess on this test's database."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "delivery-test",
           "STORAGE_URL": f"file://{tmp_path / 'photos'}", "PWA_DIST": str(tmp_path / "dist"),
           "MAIL_FROM": "隐患闭环 <noreply@closeloop.test>", **extra}  # fmt: skip
    for name in ("SMTP_URL", "WEBHOOK_URL", "REDIS_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


def flask_jobs(*args: str, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
