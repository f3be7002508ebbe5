"""Serves the PWA build at / (its service worker needs the root scope), or a placeholder before a build.

Caching follows the build: the worker and index.html are revalidated on every load (so an update is seen at
once), content-hashed files under assets/ are cached for a year, and paths under /api/ never fall back to the
page (the API answers its own 404s in JSON).

Pages run under the strict Content-Security-Policy of app.edge: no inline script, ever. A static page with an
inline <style> block (offline.html, which must work with nothing else cached) has that block allowed by its
SHA-256 in the page's own policy, read from the file.
"""

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.exceptions import NotFound

from app.edge import page_csp

bp = Blueprint("web", __name__)
PLACEHOLDER = Path(__file__).resolve().parent.parent / "pwa" / "placeholder"

YEAR = 365 * 24 * 3600
DAY = 24 * 3600
NO_CACHE = {"index.html", "sw.js", "offline.html", "manifest.webmanifest"}
MEDIA_TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
}


def _root() -> Path:
    dist = Path(current_app.config["PWA_DIST"])
    return dist if (dist / "index.html").exists() else PLACEHOLDER


def _send(path: str):
    response = send_from_directory(_root(), path, max_age=0)
    suffix = Path(path).suffix
    if suffix in MEDIA_TYPES:
        response.headers["Content-Type"] = MEDIA_TYPES[suffix]
    if path.startswith("assets/"):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    elif path in NO_CACHE:
        response.headers["Cache-Control"] = "no-cache"
    else:
        response.headers["Cache-Control"] = f"public, max-age={DAY}"
    if path == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    if suffix == ".html":
        file = _root() / path
        response.headers["Content-Security-Policy"] = page_csp(_style_hashes(str(file), file.stat().st_mtime_ns))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


_STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


@lru_cache(maxsize=64)
def _style_hashes(path: str, _mtime_ns: int) -> tuple[str, ...]:
    """The CSP sources of the page's inline <style> blocks (the modification time makes a new build miss)."""
    blocks = _STYLE.findall(Path(path).read_bytes())
    return tuple(f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'" for block in blocks)


@bp.route("/")
def index():
    return _send("index.html")


@bp.route("/<path:path>")
def asset(path: str):
    if path == "api" or path.startswith("api/"):
        abort(404)  # never the page for an API path
    try:
        return _send(path)
    except NotFound:
        if path.startswith("assets/") or "." in Path(path).name:
            raise  # a missing file is a 404, not the page under a script's name
        return _send("index.html")  # client-side routes
