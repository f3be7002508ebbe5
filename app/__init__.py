"""Closeloop: the application factory."""

import os
from pathlib import Path

from flask import Flask

from app.config import load_config
from app.cookie_session import CookieSessionInterface
from app.database import configure_engine
from app.extensions import db, limiter, login_manager, migrate
from app.json_provider import FastJSONProvider
from app.storage import storage_from_url

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    app.config.update(overrides or {})
    # UTF-8 (Chinese text not \u-escaped: a third of the bytes), schema order, written by orjson
    app.json = FastJSONProvider(app)
    app.session_interface = CookieSessionInterface()  # no signer built for a request with no cookie

    from app import models, throttle  # noqa: F401  (every table on the metadata; the sqlite:// counter store)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), compare_type=True)
    login_manager.init_app(app)
    limiter.init_app(app)
    throttle.check_only_limited_routes(app, limiter)  # the create and its kin have no limit to resolve
    with app.app_context():
        configure_engine(db.engine)
    app.extensions["storage"] = storage_from_url(app.config["STORAGE_URL"], dict(os.environ))

    from app.api import init_api
    from app.cli import register_cli
    from app.edge import init_edge
    from app.web import bp as web

    init_edge(app)  # first: a refused query string is answered before anything reads a credential
    init_api(app)
    app.register_blueprint(web)
    register_cli(app)
    return app
