"""The create's writes are one transaction, whatever it writes: on SQLite it is begun on the driver with the
write lock taken first (BEGIN IMMEDIATE: a deferred one would fail, not wait, when another writer came first) and
ends in one COMMIT, the notices of an order written inside it; on PostgreSQL it is one statement in autocommit.
What the driver was sent is traced, not inferred."""

import factories as f
import pytest
from helpers import jsonify
from sqlalchemy import event, func, select
from testbed import ON_POSTGRES

from app.extensions import db
from app.models import Finding, Notification

URL = "/api/v1/findings"


@pytest.fixture
def sent(monkeypatch):
    """What the database driver is sent during the test: SQL text, in order."""
    statements: list[str] = []
    if ON_POSTGRES:
        import psycopg

        original = psycopg.Cursor.execute  # RawCursor's too

        def execute(self, query, *args, **kwargs):
            statements.append(f"{'autocommit ' if self.connection.autocommit else ''}{query}")
            return original(self, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", execute)
        yield statements
        return

    def trace(dbapi_connection, _record, _proxy):
        dbapi_connection.set_trace_callback(statements.append)

    def untrace(dbapi_connection, _record):
        if dbapi_connection is not None:
            dbapi_connection.set_trace_callback(None)

    event.listen(db.engine.pool, "checkout", trace)
    event.listen(db.engine.pool, "checkin", untrace)
    yield statements
    event.remove(db.engine.pool, "checkout", trace)
    event.remove(db.engine.pool, "checkin", untrace)


def _transaction_of_the_create(statements: list[str]) -> list[str]:
    """From the first statement writing the finding back to its BEGIN, and on to the COMMIT."""
    write = next(i for i, s in enumerate(statements) if s.lstrip().upper().startswith(("INSERT INTO FINDINGS",
                                                                                       "WITH")))  # fmt: skip
    begin = max(i for i in range(write) if statements[i].upper().startswith("BEGIN"))
    end = next(i for i in range(write, len(statements)) if statements[i].upper() in ("COMMIT", "ROLLBACK"))
    return statements[begin : end + 1]


@pytest.mark.parametrize("officers", [0, 2], ids=["no one to tell", "an order its officers are told of"])
def test_a_create_is_one_transaction_that_takes_the_write_lock_first(client, session, sent, officers):
    world = f.World(session)
    for _ in range(officers):
        world.user("enterprise_officer")
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    body = jsonify(f.finding_data(world.enterprise))
    sent.clear()
    assert client.post(URL, json=body, headers=headers).status_code == 201
    assert session.scalar(select(func.count()).select_from(Notification)) == officers
    assert session.scalar(select(func.count()).select_from(Finding)) == 1
    if ON_POSTGRES:
        writes = [s for s in sent if "INSERT INTO findings" in s]
        assert len(writes) == 1 and writes[0].startswith("autocommit WITH")  # the finding, events and notices
        return
    transaction = _transaction_of_the_create(sent)
    assert transaction[0] == "BEGIN IMMEDIATE" and transaction[-1] == "COMMIT"
    inner = transaction[1:-1]
    assert not [s for s in inner if s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT"))]
    assert sum("INSERT INTO notifications" in s for s in inner) == (1 if officers else 0)


def test_a_new_finding_on_sqlite_makes_no_orm_session_and_on_postgresql_one(client, session, monkeypatch):
    """On SQLite the new finding is written on a connection of its own (services.create_sqlite): the request's
    scoped Session is not made only to ask it its engine. On PostgreSQL the statement runs on its connection."""
    world = f.World(session)
    headers = f.token_for(session, world.user("inspector"))
    session.commit()
    client.post(URL, json=jsonify(f.finding_data(world.enterprise)), headers=headers)  # the account remembered
    made = []
    factory = db.session.registry.createfunc
    monkeypatch.setattr(db.session.registry, "createfunc", lambda: made.append(1) or factory())
    db.session.remove()  # the test's own Session: the request's is counted from here
    assert client.post(URL, json=jsonify(f.finding_data(world.enterprise)), headers=headers).status_code == 201
    assert len(made) == (1 if ON_POSTGRES else 0)
    assert db.session.scalar(select(func.count()).select_from(Finding)) == 2
