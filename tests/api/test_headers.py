"""What every answer carries at the edge: a strict CSP (pages: no inline script; data: nothing runs), no framing,
same-origin referrers, HSTS behind HTTPS, no-store on private JSON, private photos that vary by credentials; a
query string too long is JSON 414; logins are throttled per address and per username, X-Forwarded-For believed
only when configured."""

import base64
import hashlib
import re
import uuid
from pathlib import Path

import factories as f
import pytest
from helpers import inspectors_finding

from app import create_app

ROOT = Path(__file__).resolve().parents[2]
PWA_DIST = ROOT / "pwa" / "dist"
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_page_policy(response):
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
    assert csp["connect-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "blob:"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert all("unsafe" not in s for sources in csp.values() for s in sources)
    assert_frame_and_referrer(response)
    return csp


def assert_data_policy(response):
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert_frame_and_referrer(response)


def assert_frame_and_referrer(response):
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP (SESSION_COOKIE_SECURE off)


@pytest.fixture
def scene(app, session):
    return inspectors_finding(session)


def test_the_pwa_page_runs_under_the_strict_policy(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_page_policy(response)


def test_an_inline_style_of_a_static_page_is_allowed_by_its_hash_only(app, client, tmp_path):
    dist = Path(app.config["PWA_DIST"])
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "index.html").write_text('<!doctype html><script type="module" src="/assets/a.js"></script>')
    (dist / "offline.html").write_text("<!doctype html><style>body{color:#111}</style><p>离线</p>")
    offline = client.get("/offline.html")
    csp = assert_page_policy(offline)
    digest = base64.b64encode(hashlib.sha256(b"body{color:#111}").digest()).decode()
    assert csp["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert client.get("/sw.js").status_code == 404  # (no worker in this fake build)
    assert assert_page_policy(client.get("/")).get("style-src") == ["'self'"]


def test_the_built_pwa_has_no_inline_script():
    pages = sorted(PWA_DIST.glob("*.html"))
    assert pages, "pwa/dist is not built: make test builds it before the suite (cd pwa && npm run build)"
    for page in pages:
        assert not INLINE_SCRIPT.search(page.read_bytes()), f"{page.name} has an inline <script>: the CSP blocks it"


def test_the_api_docs_page_works_under_the_policy(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert_page_policy(page)
    assert not INLINE_SCRIPT.search(page.data) and b"<style" not in page.data
    assert b'<script src="/api/v1/docs/docs.js"' in page.data
    script = client.get("/api/v1/docs/docs.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript" and b"openapi.json" in script.data
    assert b"innerHTML" not in script.data  # the spec's text goes in as text
    assert client.get("/api/v1/docs/docs.css").mimetype == "text/css"
    assert client.get("/api/v1/docs/secret.py").status_code == 404


def test_private_api_json_is_no_store(client, scene):
    headers, _ = scene
    for response in (client.get("/api/v1/findings", headers=headers), client.get("/api/v1/findings")):
        assert response.is_json and response.headers["Cache-Control"] == "no-store"
        assert_data_policy(response)
    assert client.get("/api/v1/findings", headers=headers).status_code == 200
    assert "no-store" not in client.get("/api/v1/openapi.json").headers.get("Cache-Control", "")  # public


def test_photo_variants_are_private_and_vary_by_credentials(client, scene):
    headers, finding = scene
    photo_id = uuid.uuid4()
    upload = client.put(
        f"/api/v1/findings/{finding.id}/photos/{photo_id}?kind=evidence",
        data=f.jpeg(),
        headers={**headers, "Content-Type": "image/jpeg"},
    )
    assert upload.status_code == 201
    for variant in ("display", "thumb"):
        response = client.get(f"/api/v1/photos/{photo_id}/{variant}", headers=headers)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        cache = response.headers["Cache-Control"]
        assert "private" in cache and "max-age=3600" in cache and "public" not in cache
        assert {"Authorization", "Cookie"} <= {v.strip() for v in response.headers["Vary"].split(",")}
        assert_data_policy(response)
        again = client.get(
            f"/api/v1/photos/{photo_id}/{variant}", headers={**headers, "If-None-Match": response.headers["ETag"]}
        )
        assert again.status_code == 304 and "public" not in again.headers["Cache-Control"]


def test_hsts_only_behind_https(database_url, tmp_path):
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": True})
    for path in ("/", "/api/v1/findings", "/api/v1/docs"):
        assert secure.test_client().get(path).headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_remember_cookie_setting_follows_the_session_cookie(monkeypatch, tmp_path):
    from app.config import load_config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert load_config(str(tmp_path))["REMEMBER_COOKIE_SECURE"] is False


def test_an_over_long_query_string_is_json_414(client, scene):
    headers, _ = scene
    response = client.get("/api/v1/findings?q=" + "x" * 5000, headers=headers)
    assert response.status_code == 414 and response.is_json
    assert response.json["error"]["code"] == "uri_too_long"
    shorter = client.get("/api/v1/findings?q=" + "x" * 4000, headers=headers)
    assert shorter.status_code == 422 and "q" in shorter.json["error"]["fields"]  # read, and judged by the API
    assert client.get("/?" + "y" * 5000).status_code == 414  # the app's own pages too: never an HTML error


# --- login throttling: per address and per username ----------------------------------------------------------


def limited_app(database_url, **settings):
    from testbed import IsolatedClient

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "LOGIN_RATE_LIMIT": "10 per minute",
            **settings,
        }
    )
    app.test_client_class = IsolatedClient
    return app


def attempt(client, username, password="wrong password", address="10.0.0.1", path="login", forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        f"/api/v1/auth/{path}",
        json={"username": username, "password": password},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_the_eleventh_bad_password_for_one_username_is_429_from_any_address(database_url, inspector):
    client = limited_app(database_url).test_client()
    statuses = [attempt(client, inspector.username, address=f"10.0.0.{i}") for i in range(1, 12)]
    assert statuses == [401] * 10 + [429]
    assert attempt(client, inspector.username, f.PASSWORD, address="10.0.9.9") == 429  # even the right one, for now
    assert attempt(client, inspector.username.upper(), address="10.0.9.8") == 429  # case does not make a new counter
    assert attempt(client, "someone-else", address="10.0.9.7") == 401  # other usernames are not held up


def test_the_eleventh_attempt_from_one_address_is_429_whatever_the_username(database_url):
    client = limited_app(database_url).test_client()
    statuses = [attempt(client, f"user{i}", address="10.0.0.1") for i in range(11)]
    assert statuses == [401] * 10 + [429]
    assert attempt(client, "user99", address="10.0.0.2") == 401


def test_login_and_token_share_their_counters(database_url, inspector):
    client = limited_app(database_url).test_client()
    statuses = [
        attempt(client, inspector.username, address=f"10.0.1.{i}", path=p) for i, p in enumerate(["login", "token"] * 5)
    ]
    assert statuses == [401] * 10
    assert attempt(client, inspector.username, address="10.0.1.99", path="token") == 429


def test_x_forwarded_for_is_not_believed_unless_configured(database_url):
    client = limited_app(database_url).test_client()
    spoofed = [attempt(client, f"user{i}", forwarded=f"203.0.113.{i}") for i in range(11)]
    assert spoofed[-1] == 429  # ten "addresses" from one real one are one address
    trusting = limited_app(database_url, PROXY_HOPS=1).test_client()  # behind one reverse proxy
    behind = [attempt(trusting, f"user{i}", forwarded=f"203.0.113.{i}") for i in range(11)]
    assert behind == [401] * 11  # the proxy says who each client is
    same = [attempt(trusting, f"other{i}", forwarded="198.51.100.7") for i in range(11)]
    assert same[-1] == 429
