"""What the browser tests share besides fixtures: the PWA build, the shared photos, and a server-side view of the
data (through the real API, with a bearer token, on the app's own test client, so it works while the live server
is stopped)."""

import io
import random
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import factories as f
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from app.services.accounts import issue_token

ROOT = Path(__file__).resolve().parents[2]
PWA = ROOT / "pwa"
PHOTOS = ROOT.parent / "shared" / "photos"
SHARED_PHOTOS = ["real_boats_12mp.jpg", "real_forest_12mp.jpg", "synthetic_12mp.jpg"]
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = f.PASSWORD


def photo_path(name: str) -> Path:
    path = PHOTOS / name
    if not path.is_file():
        pytest.fail(f"missing test photo {path}: the shared photos (../shared/photos, see its README) are required")
    return path


# --- the PWA build -------------------------------------------------------------------------------------------------


def newest_source_mtime() -> float:
    newest = 0.0
    for path in PWA.rglob("*"):
        rel = path.relative_to(PWA).parts
        if rel[0] in {"node_modules", "dist", "placeholder", "test"} or not path.is_file():
            continue
        newest = max(newest, path.stat().st_mtime)
    return newest


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, cwd=PWA, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"`{' '.join(cmd)}` failed in {PWA} (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )


def build_pwa() -> Path:
    """`npm run build` into pwa/dist; `npm ci` first when node_modules is missing."""
    if not (PWA / "package.json").is_file():
        pytest.fail(f"{PWA / 'package.json'} is missing: the PWA must exist before the browser tests can run")
    if shutil.which("npm") is None:
        pytest.fail("npm is missing: the browser tests build the PWA (Node 20 and npm are required)")
    if not (PWA / "node_modules" / ".bin" / "vite").exists():
        _run(["npm", "ci", "--no-audit", "--no-fund"])
    _run(["npm", "run", "build"])
    dist = PWA / "dist"
    if not (dist / "index.html").is_file():
        pytest.fail(f"the PWA build left no {dist / 'index.html'}")
    return dist


# --- the server's view ---------------------------------------------------------------------------------------------


class ServerView:
    """Reads what the server holds through its API as a given user (a bearer token on the app's test client)."""

    def __init__(self, app, username: str):
        self.app = app
        with app.app_context():
            who = db.session.query(User).filter_by(username=username).one()
            self.headers = {"Authorization": f"Bearer {issue_token(db.session, who, now=f.NOW)}"}
            db.session.commit()
            db.session.remove()

    def get(self, url: str):
        response = self.app.test_client().get(url, headers=self.headers)
        return response.status_code, response.get_json(silent=True)

    def finding(self, finding_id) -> dict | None:
        status, body = self.get(f"/api/v1/findings/{finding_id}")
        if status == 404:
            return None
        assert status == 200, body
        return body

    def events(self, finding_id) -> list[dict]:
        status, body = self.get(f"/api/v1/findings/{finding_id}/events")
        assert status == 200, body
        return body["items"] if isinstance(body, dict) else body

    def findings(self, **query) -> list[dict]:
        items, cursor = [], None
        while True:
            params = {"limit": 200, **query, **({"cursor": cursor} if cursor else {})}
            status, body = self.get(f"/api/v1/findings?{urlencode(params)}")
            assert status == 200, body
            items += body["items"]
            cursor = body.get("next_cursor")
            if not cursor:
                return items

    def photo_bytes(self, photo_id, variant: str = "original") -> bytes:
        response = self.app.test_client().get(f"/api/v1/photos/{photo_id}/{variant}", headers=self.headers)
        assert response.status_code == 200, (response.status_code, response.get_data()[:200])
        return response.get_data()


# --- driving the PWA -----------------------------------------------------------------------------------------------

# Opens the app's IndexedDB as `db` inside an async function, without creating it if the app has not yet.
OPEN_APP_DB = """  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('closeloop');
    open.onupgradeneeded = () => open.transaction.abort(); // not made by the app yet: never make it here
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
"""

# Reads one key of the app's IndexedDB key/value store (pwa/src/lib/db.js) without the app's code.
KV_HAS = (
    """async (key) => {
"""
    + OPEN_APP_DB
    + """  try {
    if (!db.objectStoreNames.contains('kv')) return false;
    return await new Promise((resolve, reject) => {
      const get = db.transaction('kv').objectStore('kv').get(key);
      get.onsuccess = () => resolve(get.result !== undefined && get.result !== null);
      get.onerror = () => reject(get.error);
    });
  } finally {
    db.close();
  }
}"""
)

OUTBOX_COUNT = "() => window.__closeloop && window.__closeloop.outboxCount()"

# Playwright's wait_for_function does not await a predicate's promise, and IndexedDB only answers asynchronously:
# this polls an async predicate inside the page until it holds (or fails with what it last saw).
POLL = """async ([source, arg, timeout]) => {
  const predicate = eval(source);
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await predicate(arg); } catch (error) { last = String(error); }
    if (last === true) return true;
    if (Date.now() > end) return {timedOut: true, last};
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}"""


def wait_until(page, predicate: str, arg=None, timeout: float = 60_000) -> None:
    """Until the async JavaScript predicate(arg) returns true in the page."""
    result = page.evaluate(POLL, [predicate, arg, timeout])
    assert result is True, f"still not true after {timeout / 1000:.0f} s: {predicate} (last: {result['last']!r})"


def outbox_count(page) -> int:
    return page.evaluate(OUTBOX_COUNT)


def wait_outbox(page, count: int, timeout: float = 60_000) -> None:
    """Until the outbox holds exactly `count` items (sent ones leave it; refused ones stay, set aside)."""
    wait_until(page, f"async (n) => (await ({OUTBOX_COUNT})()) === n", count, timeout)


def open_app(page, path: str = "/") -> None:
    page.goto(path)
    expect(page.get_by_test_id("app-ready")).to_be_visible()


def login(page, username: str, *, offline_ready: bool = True) -> None:
    """Sign in through the form; with offline_ready, also wait until the app could work with no network:
    the service worker controls the page and the reference lists and the read cache are on the device."""
    open_app(page)
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("sync-status")).to_be_visible()
    if offline_ready:
        wait_offline_ready(page)


def wait_offline_ready(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    for key in ("ref:categories", "ref:enterprises", "synced_at"):
        wait_until(page, KV_HAS, key)


def report_finding(
    page,
    *,
    title: str,
    enterprise_id: int | None,
    photos: list[Path],
    category: str = "fire",
    description: str = "",
    nature: str | None = "unsafe_condition",
) -> str:
    """Fill the new-finding form as an inspector (or, with nature=None and maybe no enterprise, a grid worker) would
    and save it; returns the finding's id (made on the device). Photos are files (Path) or generated ones (dict with
    name, mimeType, buffer). A report without a photo answers the app's "save without a photo?" question with yes."""
    page.evaluate("location.hash = '#/'")
    page.get_by_test_id("new-finding").click()
    form = page.locator("form.new-finding")
    expect(form).to_be_visible()
    if photos:
        page.get_by_test_id("finding-photo-input").set_input_files(_files(photos))
        expect(form.locator(".thumbs img")).to_have_count(len(photos), timeout=60_000)
    expect(page.get_by_test_id("gps-accuracy")).to_contain_text("8")
    page.get_by_test_id("finding-title").fill(title)
    if description:
        page.get_by_test_id("finding-description").fill(description)
    if nature:
        choose_nature(page, nature)
    if enterprise_id is not None:
        pick_enterprise(page, enterprise_id)
    page.get_by_test_id("finding-category").select_option(category)
    page.get_by_test_id("finding-save").click()
    if not photos:
        page.get_by_test_id("save-without-photo").click()
    page.wait_for_url("**/#/f/*")
    return page.url.rsplit("/", 1)[-1]


def choose_nature(page, nature: str, testid: str = "finding-nature") -> None:
    page.get_by_test_id(testid).locator(f'input[value="{nature}"]').check()


def pick_enterprise(page, enterprise_id: int, search: str | None = None) -> None:
    """Choose an enterprise in the app's picker (nearest first), searching first when asked to."""
    if search is not None:
        page.get_by_test_id("enterprise-search").fill(search)
    option = page.locator(f'[data-testid="enterprise-option"][data-enterprise-id="{enterprise_id}"]')
    option.locator("input").check()
    expect(option.locator("input")).to_be_checked()


def _files(photos: list) -> list[dict]:
    """As payloads: Playwright takes paths or buffers in one call, not both."""
    return [
        {"name": p.name, "mimeType": "image/jpeg", "buffer": p.read_bytes()} if isinstance(p, Path) else p
        for p in photos
    ]


def generated_photo(n: int, size: tuple[int, int] = (800, 600)) -> dict:
    """A small camera-like JPEG, different for every n (so no two are deduplicated into one blob)."""
    rng = random.Random(n)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 200)), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return {"name": f"photo-{n}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def open_finding(page, finding_id: str) -> None:
    item = page.locator(f'[data-testid="finding-item"][data-finding-id="{finding_id}"]')
    expect(item).to_be_visible()
    item.locator("a").click()
    expect(page.locator(f'article[data-finding-id="{finding_id}"]')).to_be_visible()


def take_action(page, action: str, *, fill: dict | None = None, photos: list[Path] | None = None) -> None:
    """Open the action's form on the finding's page, fill it, submit: the action is queued and drained."""
    page.get_by_test_id(f"action-{action}").click()
    form = page.get_by_test_id("action-form")
    expect(form).to_be_visible()
    for testid, value in (fill or {}).items():
        page.get_by_test_id(testid).fill(value)
    if photos:
        page.get_by_test_id("rectification-photo-input").set_input_files(_files(photos))
        expect(form.locator(".thumbs li")).to_have_count(len(photos), timeout=60_000)
    page.get_by_test_id("action-submit").click()
    expect(form).to_be_hidden()


@contextmanager
def server_data(app):
    """The server's database, to set up what a test starts from through the real services (tests/factories.py);
    committed at the end."""
    with app.app_context():
        try:
            yield db.session
            db.session.commit()
        finally:
            db.session.remove()


def user_named(session, username: str) -> User:
    return session.query(User).filter_by(username=username).one()


# The outbox as stored (pwa/src/lib/outbox.js): [{seq, type, attempts, state}], read without the app's code.
OUTBOX_ITEMS = (
    """async () => {
"""
    + OPEN_APP_DB
    + """  try {
    return await new Promise((resolve, reject) => {
      const all = db.transaction('outbox').objectStore('outbox').getAll();
      all.onsuccess = () => resolve(all.result.map((i) => ({
        seq: i.seq, type: i.type, attempts: i.attempts || 0, state: i.state, lastError: i.lastError || null,
      })));
      all.onerror = () => reject(all.error);
    });
  } finally {
    db.close();
  }
}"""
)


def outbox_items(page) -> list[dict]:
    return page.evaluate(OUTBOX_ITEMS)


def wait_failed_attempt(page, timeout: float = 60_000) -> None:
    """Until the sync loop has tried and failed once more than it had when this was called."""
    before = {item["seq"]: item["attempts"] for item in outbox_items(page)}
    wait_until(
        page,
        f"async (before) => (await ({OUTBOX_ITEMS})()).some((i) => i.attempts > (before[i.seq] || 0))",
        {str(k): v for k, v in before.items()},
        timeout,
    )
