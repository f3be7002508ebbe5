"""The migrations and the models agree, there is one head, and the schema builds from empty and back."""

import os
import shutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import FAST_SETTINGS, ON_POSTGRES, PG_URL
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import MIGRATIONS, create_app
from app.extensions import db


def test_there_is_a_single_head():
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1


def test_models_and_migrations_agree(app):
    """No pending autogenerate diff: the same check `flask db check` makes."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@pytest.fixture
def empty_database_url(tmp_path):
    if ON_POSTGRES:
        url = PG_URL.rsplit("/", 1)[0] + "/postgres"
        name = f"mig_{os.getpid()}"
        admin = create_engine(url.replace("app:app@", "postgres@"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name} OWNER app"))
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_upgrade_from_empty_downgrade_to_base_and_up_again(empty_database_url):
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"findings", "finding_events", "areas", "enterprises", "users", "api_tokens"} <= tables
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM categories")).scalar() == 11
            assert conn.execute(text("SELECT count(*) FROM major_criteria")).scalar() == 8
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "findings" in inspect(db.engine).get_table_names()
        db.engine.dispose()
