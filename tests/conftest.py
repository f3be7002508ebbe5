"""Test fixtures: a database built by the real migrations, fresh for every test, on SQLite or PostgreSQL.

TEST_DATABASE_URL=postgresql+psycopg://... runs the database tests on PostgreSQL; without it, SQLite.
"""

import shutil
from pathlib import Path

import factories
import pytest
from sqlalchemy import create_engine, text
from testbed import FAST_SETTINGS, ON_POSTGRES, PG_URL, IsolatedClient, _truncate

from app import create_app
from app.extensions import db


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + PG_URL.rsplit('@', 1)[-1] if ON_POSTGRES else 'SQLite (per-test file)'}"


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: make test runs it again with TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def migrate_to_head(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """The schema exactly as `flask db upgrade` builds it, made once per run."""
    if ON_POSTGRES:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        migrate_to_head(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(template_database, tmp_path):
    """A database of our own: a copy of the template (SQLite) or the emptied shared one (PostgreSQL)."""
    if ON_POSTGRES:
        _truncate(PG_URL)
        return PG_URL
    path = tmp_path / "test.db"
    shutil.copyfile(Path(template_database), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 over real HTTP on loopback, for the session. It checks no signatures: see tests/storage."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def storage_url(tmp_path):
    """Where the app under test keeps photos; tests that care run once per kind of storage."""
    return f"file://{tmp_path / 'photos'}"


@pytest.fixture
def engine_options() -> dict:
    """The engine's options for this test's app; a module whose requests each hold a connection at once (a crowd
    of twins) overrides this with a pool as wide as the crowd."""
    return {}


@pytest.fixture
def app(database_url, storage_url, tmp_path, engine_options):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "PWA_DIST": str(tmp_path / "dist"), "STORAGE_URL": storage_url}
    if engine_options and not database_url.startswith("sqlite"):
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    app = create_app({**FAST_SETTINGS, **settings})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


# --- the people the account tests start from (factories builds them; these fixtures only commit them) -------


@pytest.fixture
def world(session):
    """factories.World, committed: the small city, its areas and enterprises."""
    world = factories.World(session)
    session.commit()
    return world


@pytest.fixture
def inspector(world, session):
    """An inspector of the world's district, committed."""
    user = world.user("inspector")
    session.commit()
    return user
