"""Engine set-up that differs by database: SQLite needs WAL, foreign keys and up-front write locks."""

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_FIRST = frozenset({"photos.upload", "admin_enterprises.import_enterprise_file"})


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control from the driver so BEGIN below is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
        # another writer committed in between; a writing request takes the lock first and waits
        # its turn instead. Reads, and commands run outside a request, begin deferred.
        if connection.connection.dbapi_connection.in_transaction:
            return  # begun on the driver (services.create_sqlite): SQLAlchemy's transaction joins it
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def _writing_request() -> bool:
    if not has_request_context() or request.method in SAFE_METHODS:
        return False
    # A request that reads, then does slow work with no transaction open, then writes (a photo upload decodes
    # a 12 MP image) takes the write lock only for its writing transaction.
    return request.endpoint not in READ_FIRST or g.get("write_phase", False)


def write_phase() -> None:
    """From here on this request's transactions take SQLite's write lock up front (see READ_FIRST)."""
    g.write_phase = True
