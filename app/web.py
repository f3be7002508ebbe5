"""Serves the PWA build at / (its service worker needs the root scope), or a placeholder before a build."""

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory
from werkzeug.exceptions import NotFound

bp = Blueprint("web", __name__)
PLACEHOLDER = Path(__file__).resolve().parent.parent / "pwa" / "placeholder"


def _root() -> Path:
    dist = Path(current_app.config["PWA_DIST"])
    return dist if (dist / "index.html").exists() else PLACEHOLDER


@bp.route("/")
def index():
    return send_from_directory(_root(), "index.html", max_age=0)


@bp.route("/<path:path>")
def asset(path: str):
    try:
        return send_from_directory(_root(), path)
    except NotFound:
        return send_from_directory(_root(), "index.html", max_age=0)  # client-side routes
