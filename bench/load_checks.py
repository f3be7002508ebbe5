"""What must hold across two hosts (bench/load.py's two-host run), checked over HTTP against the real servers:
idempotent retries, tokens, cookie sessions, the login limiter and photos, each sent to one host and checked on
the other. These are checks the benchmark ran and prints as PASS/FAIL lines, not the pass/fail tests (those are
in tests/, on one process)."""

import hashlib
import http.client
import threading
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from bench.load_client import Client, Phone, finding_body
from bench.world import PASSWORD

TWINS = 20


def _phone(template: Phone, address: str, headers: dict) -> Phone:
    return Phone(template.username, template.role, template.district, template.enterprise_id, address,
                 template.enterprises, headers={"X-Forwarded-For": address, **headers})  # fmt: skip


def _rows(url: str, sql: str, **params) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def retried_create(client: Client, a: int, b: int, inspector: Phone, url: str) -> tuple[bool, str]:
    body = finding_body(inspector, inspector.enterprises[0])
    first = client.request("POST", "/api/v1/findings", inspector, body, port=a)
    again = client.request("POST", "/api/v1/findings", inspector, body, port=b)
    third = client.request("POST", "/api/v1/findings", inspector, body, port=a)
    statuses = (first[0], again[0], third[0])
    numbers = {_json(r[1]).get("number") for r in (first, again, third)}
    rows = _rows(url, "SELECT count(*) FROM findings WHERE id = :id", id=body["id"])
    events = _rows(url, "SELECT count(*) FROM finding_events WHERE finding_id = :id", id=body["id"])
    ok = statuses == (201, 200, 200) and len(numbers) == 1 and rows == 1 and events == 1
    return ok, f"host1 {first[0]}, host2 {again[0]}, host1 {third[0]}; numbers {sorted(map(str, numbers))}; " \
               f"{rows} finding row, {events} event"  # fmt: skip


def twin_creates(ports: list[int], turn, inspector: Phone, url: str) -> tuple[bool, str]:
    """TWINS copies of one create at once, alternating hosts: one 201, the rest 200, one row."""
    body = finding_body(inspector, inspector.enterprises[0])
    statuses, start = [], threading.Barrier(TWINS)

    def send(n):
        client = Client([ports[n % 2]], turn)
        start.wait()
        statuses.append(client.request("POST", "/api/v1/findings", inspector, body)[0])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(TWINS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = _rows(url, "SELECT count(*) FROM findings WHERE id = :id", id=body["id"])
    ok = sorted(statuses) == [200] * (TWINS - 1) + [201] and rows == 1
    return (
        ok,
        f"{statuses.count(201)} x 201, {statuses.count(200)} x 200, "
        f"other {TWINS - statuses.count(201) - statuses.count(200)}; {rows} row",
    )


def retried_event(client: Client, a: int, b: int, inspector: Phone, url: str) -> tuple[bool, str]:
    created = _json(client.request("POST", "/api/v1/findings", inspector,
                                   finding_body(inspector, inspector.enterprises[0]), port=a)[1])  # fmt: skip
    event = {"id": str(uuid.uuid4()), "action": "comment", "text": "两台主机上各发一次"}
    path = f"/api/v1/findings/{created['id']}/events"
    first, again = (client.request("POST", path, inspector, event, port=p)[0] for p in (a, b))
    events = _rows(url, "SELECT count(*) FROM finding_events WHERE finding_id = :id", id=created["id"])
    return (first, again, events) == (201, 200, 2), f"host1 {first}, host2 {again}; {events} events (report + comment)"


def token_across(client: Client, a: int, b: int, user: Phone) -> tuple[bool, str]:
    phone = _phone(user, "10.250.0.1", {})
    made = client.request("POST", "/api/v1/auth/token", phone, {"username": user.username, "password": PASSWORD,
                                                                "label": "two hosts"}, port=a)  # fmt: skip
    phone.headers["Authorization"] = f"Bearer {_json(made[1]).get('token')}"
    me = client.request("GET", "/api/v1/me", phone, port=b)
    out = client.request("POST", "/api/v1/auth/logout", phone, port=b)
    after = client.request("GET", "/api/v1/me", phone, port=a)
    name = _json(me[1]).get("user", {}).get("username")
    ok = (made[0], me[0], out[0], after[0]) == (201, 200, 204, 401) and name == user.username
    return ok, f"made on host1 {made[0]}; /me on host2 {me[0]} ({name}); revoked on host2 {out[0]}; /me on host1 " \
               f"after {after[0]}"  # fmt: skip


def cookie_across(client: Client, a: int, b: int, user: Phone, finding: str) -> tuple[bool, str]:
    phone = _phone(user, "10.250.0.2", {})
    login = client.request("POST", "/api/v1/auth/login", phone, {"username": user.username, "password": PASSWORD},
                           port=a)  # fmt: skip
    jar = SimpleCookie()
    jar.load(login[2].getheader("Set-Cookie") or "")
    cookie = f"session={jar['session'].value}" if "session" in jar else ""
    phone.headers["Cookie"], phone.csrf = cookie, _json(login[1]).get("csrf_token")
    me = client.request("GET", "/api/v1/me", phone, port=b)
    comment = {"id": str(uuid.uuid4()), "action": "comment", "text": "另一台主机上写"}
    wrote = client.request("POST", f"/api/v1/findings/{finding}/events", phone, comment, port=b)
    out = client.request("POST", "/api/v1/auth/logout", phone, port=a)
    phone.headers["Cookie"] = cookie  # the copy of the cookie a thief would keep
    after = client.request("GET", "/api/v1/me", phone, port=b)
    ok = (login[0], me[0], wrote[0], out[0], after[0]) == (200, 200, 201, 204, 401)
    return ok, f"login on host1 {login[0]}; /me on host2 {me[0]}; a comment with the CSRF token on host2 " \
               f"{wrote[0]}; logout on host1 {out[0]}; the old cookie on host2 {after[0]}"  # fmt: skip


def login_limit(client: Client, ports: list[int], username: str, limit: int) -> tuple[bool, str]:
    """`limit` wrong passwords for one username from `limit` addresses, alternating hosts, then one more: 429.
    Then `limit` wrong logins from one address with other usernames, alternating hosts, then one more: 429."""
    by_user = [client.request("POST", "/api/v1/auth/login", None, {"username": username, "password": "wrong"},
                              headers={"X-Forwarded-For": f"10.251.0.{n + 1}"}, port=ports[n % 2])[0]
               for n in range(limit + 1)]  # fmt: skip
    by_address = [client.request("POST", "/api/v1/auth/login", None, {"username": f"nobody{n}", "password": "x"},
                                 headers={"X-Forwarded-For": "10.252.0.1"}, port=ports[n % 2])[0]
                  for n in range(limit + 1)]  # fmt: skip
    ok = by_user == [401] * limit + [429] and by_address == [401] * limit + [429]
    return ok, f"one username from {limit + 1} addresses: {_runs(by_user)}; one address, {limit + 1} usernames: " \
               f"{_runs(by_address)} (limit {limit} a minute, the counters in Redis)"  # fmt: skip


def photo_across(client: Client, a: int, b: int, inspector: Phone, upload: bytes) -> tuple[bool, str]:
    created = _json(client.request("POST", "/api/v1/findings", inspector,
                                   finding_body(inspector, inspector.enterprises[0]), port=a)[1])  # fmt: skip
    photo = uuid.uuid4()
    put = client.request("PUT", f"/api/v1/findings/{created['id']}/photos/{photo}?kind=evidence", inspector, upload,
                         headers={"Content-Type": "application/octet-stream"}, port=a)  # fmt: skip
    fetched = [_follow(client, inspector, f"/api/v1/photos/{photo}/display", p) for p in (b, a)]
    digests = {hashlib.sha256(body).hexdigest()[:12] for _, body in fetched}
    jpeg = all(body[:2] == b"\xff\xd8" for _, body in fetched)
    ok = put[0] == 201 and [s for s, _ in fetched] == [200, 200] and len(digests) == 1 and jpeg
    return ok, f"PUT on host1 {put[0]}; display from host2 {fetched[0][0]} ({len(fetched[0][1]):,} bytes, through " \
               f"its signed S3 URL), from host1 {fetched[1][0]}; the same bytes: {len(digests) == 1}"  # fmt: skip


def _follow(client: Client, phone: Phone, path: str, port: int) -> tuple[int, bytes]:
    status, body, response = client.request("GET", path, phone, port=port)
    if status != 302:
        return status, body
    target = urlsplit(response.getheader("Location"))
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    connection.request("GET", f"{target.path}?{target.query}")
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer.status, data


def _runs(statuses: list[int]) -> str:
    out, last, n = [], None, 0
    for s in [*statuses, None]:
        if s == last:
            n += 1
            continue
        if last is not None:
            out.append(f"{n} x {last}")
        last, n = s, 1
    return ", ".join(out)


def _json(payload: bytes) -> dict:
    import json

    try:
        value = json.loads(payload)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def run_checks(hosts, turn, phones: list[Phone], url: str, upload: bytes, limit: int) -> list[tuple[str, bool, str]]:
    a, b = hosts[0].port, hosts[1].port
    client = Client([a, b], turn)
    inspector = next(p for p in phones if p.role == "inspector" and p.enterprises)
    users = [p for p in phones if p.role == "inspector" and p is not inspector]
    finding = _json(client.request("POST", "/api/v1/findings", inspector,
                                   finding_body(inspector, inspector.enterprises[0]), port=a)[1])["id"]  # fmt: skip
    cookie_user = next(u for u in users if u.district == inspector.district)  # may see the finding it comments on
    token_user = next(u for u in users if u is not cookie_user)
    limited = next(p for p in phones if p.role == "grid_worker")
    return [
        ("a create retried on the other host answers 200, once", *retried_create(client, a, b, inspector, url)),
        (f"{TWINS} twins of one create sent to both hosts at once: one 201", *twin_creates([a, b], turn, inspector,
                                                                                              url)),
        ("an event retried on the other host answers 200, once", *retried_event(client, a, b, inspector, url)),
        ("a token made on host 1 works on host 2, and its revocation holds on both", *token_across(client, a, b,
                                                                                                   token_user)),
        ("a session cookie made on host 1 works on host 2, and its logout holds on both",
         *cookie_across(client, a, b, cookie_user, finding)),
        ("the login rate limit counts across both hosts", *login_limit(client, [a, b], limited.username, limit)),
        ("a photo uploaded on host 1 is served by host 2", *photo_across(client, a, b, inspector, upload)),
    ]  # fmt: skip
