"""The load generator of bench/load.py: signed-in phones and the requests they make, over keep-alive HTTP on
loopback, round-robin over the hosts (each request to the next host: no stickiness, so every credential, cursor
and retry must hold on any host).

A phone is one user signed in from an address of its own (X-Forwarded-For; the hosts trust one proxy hop, as
behind a load balancer): half with a bearer token (POST /auth/token), half with a cookie session and its CSRF
token (POST /auth/login), as the PWA does. It keeps its sync cursor and the findings it has seen (lists, syncs,
its own creates); what it does next comes from the shared pools of work the run itself made: reports waiting for
an inspector's confirm, orders waiting for their officer's acknowledge, new findings waiting for their photos.
"""

import http.client
import json
import random
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

from app.read.sync import BEFORE_ANY_ID, Cursor, Position, encode_cursor
from bench.uploads import unique
from bench.world import PASSWORD

TIMEOUT_S = 60
SEEN = 200  # finding ids a phone remembers for its detail reads and comments


@dataclass
class Phone:
    username: str
    role: str
    district: str | None
    enterprise_id: int | None
    address: str
    enterprises: list[int]  # those it may report at
    headers: dict = field(default_factory=dict)
    csrf: str | None = None
    cursor: str = ""
    seen: deque = field(default_factory=lambda: deque(maxlen=SEEN))
    list_cursor: str | None = None


class Failed(Exception):
    """An answer other than the one expected (the status, and the start of the body)."""


class Pools:
    """Work the run made for later requests, shared by every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reports = {}  # district -> deque of (finding id, version): grid workers' reports to confirm
        self.orders = {}  # enterprise id -> deque of (finding id, version): orders for its officer to acknowledge
        self.unphotographed = deque()  # (phone, finding id, photos so far)

    def put(self, name: str, key, item) -> None:
        with self.lock:
            getattr(self, name).setdefault(key, deque(maxlen=5000)).append(item)

    def take(self, name: str, key):
        with self.lock:
            queue = getattr(self, name).get(key)
            return queue.popleft() if queue else None


class Client:
    """Per thread: one keep-alive connection per host; the next host in turn for every request."""

    def __init__(self, ports: list[int], turn):
        self.ports, self.turn, self.connections = ports, turn, {}

    def request(self, method: str, path: str, phone: Phone | None, body=None, headers=None, port=None):
        port = port or self.ports[next(self.turn) % len(self.ports)]
        sent = {**(phone.headers if phone else {}), **(headers or {})}
        if phone and phone.csrf and method != "GET":
            sent["X-CSRF-Token"] = phone.csrf
        if isinstance(body, dict):
            body, sent["Content-Type"] = json.dumps(body, ensure_ascii=False).encode(), "application/json"
        for attempt in (1, 2):  # a keep-alive connection the server closed: once more on a new one
            connection = self.connections.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
            self.connections[port] = connection
            try:
                connection.request(method, path, body=body, headers=sent)
                response = connection.getresponse()
                payload = response.read()
                if phone and (cookie := response.getheader("Set-Cookie")) and "Cookie" in phone.headers:
                    _keep_cookie(phone, cookie)
                return response.status, payload, response
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                self.connections.pop(port, None)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def expect(self, status: int, method: str, path: str, phone: Phone | None, body=None, headers=None, port=None):
        got, payload, _ = self.request(method, path, phone, body, headers, port)
        if got != status:
            raise Failed(f"{method} {_route(path)} -> {got}: {payload[:200]!r}")
        return json.loads(payload) if payload else None


def _route(path: str) -> str:
    """The path with its ids and query left out, so failures of one kind read alike."""
    parts = path.split("?")[0].split("/")
    return "/".join("{id}" if len(part) == 36 and part.count("-") == 4 else part for part in parts)


def _keep_cookie(phone: Phone, header: str) -> None:
    jar = SimpleCookie()
    jar.load(header)
    if "session" in jar and jar["session"].value:
        phone.headers = {**phone.headers, "Cookie": f"session={jar['session'].value}"}


def sign_in(client: Client, phone: Phone, n: int) -> None:
    """A bearer token for even n, a cookie session (with its CSRF token) for odd n; the first sync cursor is
    where a phone that synced two minutes ago would be."""
    phone.headers = {"X-Forwarded-For": phone.address, "User-Agent": "closeloop-load"}
    credentials = {"username": phone.username, "password": PASSWORD}
    if n % 2 == 0:
        answer = client.expect(201, "POST", "/api/v1/auth/token", phone, {**credentials, "label": "load"})
        phone.headers["Authorization"] = f"Bearer {answer['token']}"
    else:
        status, payload, response = client.request("POST", "/api/v1/auth/login", phone, credentials)
        if status != 200:
            raise Failed(f"login {phone.username} -> {status}: {payload[:200]!r}")
        phone.headers["Cookie"] = ""
        _keep_cookie(phone, response.getheader("Set-Cookie") or "")
        phone.csrf = json.loads(payload)["csrf_token"]
    moment = datetime.now(UTC) - timedelta(minutes=2)
    phone.cursor = encode_cursor(Cursor(Position(moment, BEFORE_ANY_ID), None))


class Workload:
    """The requests, by kind: each takes a client and a random source and raises Failed on a wrong answer."""

    def __init__(self, phones: list[Phone], uploads: list[bytes], seed: int = 15):
        self.phones, self.uploads, self.pools = phones, uploads, Pools()
        self.reporters = [p for p in phones if p.role in ("inspector", "grid_worker") and p.enterprises]
        self.inspectors = [p for p in phones if p.role == "inspector"]
        self.officers = {p.enterprise_id: p for p in phones if p.role == "enterprise_officer"}
        self.counter = iter(range(10**9))
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.events = {"confirm": 0, "acknowledge": 0, "comment": 0}

    def pick(self, rng: random.Random, phones=None) -> Phone:
        return rng.choice(phones or self.phones)

    def _remember(self, phone: Phone, items) -> None:
        phone.seen.extend(item["id"] for item in items)

    def sync(self, client: Client, rng: random.Random) -> None:
        phone = self.pick(rng)
        answer = client.expect(200, "GET", f"/api/v1/sync?cursor={phone.cursor}", phone)
        phone.cursor = answer["next_cursor"]
        self._remember(phone, answer["findings"])

    def list(self, client: Client, rng: random.Random) -> None:
        phone = self.pick(rng)
        after = f"&cursor={phone.list_cursor}" if phone.list_cursor and rng.random() < 0.2 else ""
        answer = client.expect(200, "GET", f"/api/v1/findings?limit=50{after}", phone)
        phone.list_cursor = answer["next_cursor"]
        self._remember(phone, answer["items"])

    def _seen(self, rng: random.Random) -> tuple[Phone, str]:
        for _ in range(20):
            phone = self.pick(rng)
            if phone.seen:
                return phone, rng.choice(phone.seen)
        raise Failed("no phone has seen a finding yet (the warm-up lists every phone's first page)")

    def detail(self, client: Client, rng: random.Random) -> None:
        phone, finding = self._seen(rng)
        client.expect(200, "GET", f"/api/v1/findings/{finding}", phone)

    def history(self, client: Client, rng: random.Random) -> None:
        phone, finding = self._seen(rng)
        client.expect(200, "GET", f"/api/v1/findings/{finding}/events", phone)

    def create(self, client: Client, rng: random.Random) -> None:
        phone = self.pick(rng, self.reporters)
        watched = [e for e in phone.enterprises if e in self.officers]  # an officer signed in to acknowledge
        enterprise = rng.choice(watched if watched and rng.random() < 0.5 else phone.enterprises)
        body = finding_body(phone, enterprise)
        answer = client.expect(201, "POST", "/api/v1/findings", phone, body)
        phone.seen.append(answer["id"])
        if answer["status"] == "reported":
            self.pools.put("reports", phone.district, (answer["id"], answer["version"]))
        elif enterprise in self.officers:
            self.pools.put("orders", enterprise, (answer["id"], answer["version"]))
        with self.pools.lock:
            self.pools.unphotographed.append((phone, answer["id"], 0))

    def event(self, client: Client, rng: random.Random) -> None:
        """A confirm of a waiting report (an inspector of its district), else an acknowledge of a waiting order
        (its officer), else a comment by any phone on a finding it has seen."""
        body = {"id": str(uuid.uuid4())}
        roll, job = rng.random(), None
        if roll < 0.4:
            phone = self.pick(rng, self.inspectors)
            if (job := self.pools.take("reports", phone.district)) is not None:
                today = datetime.now(UTC).date()
                body.update(action="confirm", version=job[1], level="general", deadline=str(today + timedelta(days=14)))
                finding = job[0]
        elif roll < 0.7:
            officer = self.pick(rng, list(self.officers.values()))
            if (job := self.pools.take("orders", officer.enterprise_id)) is not None:
                phone, finding = officer, job[0]
                body.update(action="acknowledge", version=job[1])
        if job is None:
            phone, finding = self._seen(rng)
            body.update(action="comment", text="已电话告知企业负责人，请按期整改。")
        client.expect(201, "POST", f"/api/v1/findings/{finding}/events", phone, body)
        with self.lock:
            self.events[body["action"]] += 1

    def upload(self, client: Client, rng: random.Random) -> None:
        """A 1600 px photo of one of the run's new findings, by its reporter (three at most each)."""
        with self.pools.lock:
            job = self.pools.unphotographed.popleft() if self.pools.unphotographed else None
        if job is None:
            raise Failed("no new finding to photograph yet (creates run before uploads)")
        phone, finding, count = job
        with self.lock:
            n = next(self.counter)
        data = unique(self.uploads[n % len(self.uploads)], n)
        headers = {"Content-Type": "application/octet-stream"}
        client.expect(201, "PUT", f"/api/v1/findings/{finding}/photos/{uuid.uuid4()}?kind=evidence", phone, data,
                      headers)  # fmt: skip
        if count + 1 < 3:
            with self.pools.lock:
                self.pools.unphotographed.append((phone, finding, count + 1))


def finding_body(phone: Phone, enterprise_id: int) -> dict:
    """What a phone sends to report a finding: an inspector sets the terms (an order), a grid worker does not."""
    now = datetime.now(UTC)
    body = {
        "id": str(uuid.uuid4()),
        "enterprise_id": enterprise_id,
        "category": "fire",
        "level": "general",
        "nature": "unsafe_condition",
        "title": "二号仓库东侧消防通道被货物堵塞",
        "description": "二号仓库东侧消防通道堆放纸箱约二十件，宽度不足一米，疏散指示标志被遮挡。",
        "location": {"lat": 24.5101, "lng": 118.1203, "accuracy_m": 8.0, "source": "gps"},
        "address": "厦门市湖里区测速路12号二号仓库",
        "observed_at": (now - timedelta(minutes=5)).isoformat(),
    }
    if phone.role == "inspector":
        local_today = (now + timedelta(hours=8)).date()
        body.update(rectify_mode="deadline", deadline=str(local_today + timedelta(days=7)))
    return body
