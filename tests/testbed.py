"""What tests share besides fixtures: the settings of a test app, the database to run on, a client that isolates
each request. A module of its own, not conftest: tests/storage has a conftest too, and `from conftest import`
inside a test would get whichever was imported last."""

import contextvars
import os

from flask.testing import FlaskClient
from sqlalchemy import create_engine, inspect, text

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")
# What the migrations seed and every test starts from: kept by _truncate. The holiday calendar is among them
# (a test that edits it puts it back), and the issuing authorities migration 0011 seeds; the system user of
# `users` is made again, as migration 0006 made it.
REFERENCE_TABLES = {"categories", "major_criteria", "alembic_version", "holiday_years", "holiday_days",
                    "issuing_authorities"}  # fmt: skip

SYSTEM_USER = text(
    "INSERT INTO users (username, display_name, password_hash, role, active, created_at, must_change_password)"
    " VALUES ('system', '系统', '!', 'system', true, now() at time zone 'utc', false)"
)

FAST_SETTINGS = {
    "TESTING": True,
    "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # the real default is slow on purpose; tests need many users
    "LOGIN_RATE_LIMIT": "1000 per minute",
}


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, session and `g`, as in production, instead of
    borrowing the test's: otherwise Flask-Login's cached user and the test's session leak in."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _truncate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t not in REFERENCE_TABLES]
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(SYSTEM_USER)
    engine.dispose()
