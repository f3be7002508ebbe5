"""app/services/prepared: a statement run on the DB-API cursor gives what SQLAlchemy's own execution gives, on
either database. On PostgreSQL the statement goes as PostgreSQL's own $n placeholders through psycopg's
RawCursor (psycopg re-parses a long pyformat query on every execute); a literal % and a parameter used twice
are where a rewrite of the placeholders could go wrong."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import bindparam, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import DateTime, Integer, String, Uuid
from testbed import ON_POSTGRES

from app.services.prepared import Prepared, cursor_for, driver_connection, native_placeholders

STATEMENT = text(
    "SELECT :name || '%' || :name AS twice, '100%' AS percent, :n + 1 AS next, :at AS at, :id AS id"
).bindparams(
    bindparam("name", type_=String),
    bindparam("n", type_=Integer),
    bindparam("at", type_=DateTime(timezone=True)),
    bindparam("id", type_=Uuid),
)
PARAMS = {"name": "甲", "n": 41, "at": datetime(2026, 12, 2, 8, 30, tzinfo=UTC), "id": uuid.UUID(int=7)}


def test_pyformat_becomes_numbered_placeholders_a_name_used_twice_keeps_its_number():
    sql = "SELECT %(a)s, %(b)s, %(a)s, 'x%%' FROM t WHERE c LIKE '%%' || %(b)s"
    assert native_placeholders(sql) == ("SELECT $1, $2, $1, 'x%' FROM t WHERE c LIKE '%' || $2", ["a", "b"])


def test_the_compiled_postgresql_statement_has_no_pyformat_left():
    sql, *_ = Prepared(STATEMENT).compiled(postgresql.psycopg.dialect())
    assert sql == (
        "SELECT $1::VARCHAR || '%' || $1::VARCHAR AS twice, '100%' AS percent, $2::INTEGER + 1 AS next, "
        "$3::TIMESTAMP WITH TIME ZONE AS at, $4::UUID AS id"
    )
    assert tuple(Prepared(STATEMENT).bind(postgresql.psycopg.dialect(), PARAMS))[:2] == ("甲", 41)  # a tuple, in order


def test_a_statement_on_the_driver_answers_as_sqlalchemy_does(session):
    raw, dialect = driver_connection(session)
    prepared = Prepared(STATEMENT, result_types=(String(), String(), Integer(), None, None))
    cursor = cursor_for(raw, dialect)
    try:
        twice, percent, following, _at, _id = prepared.first(cursor, dialect, PARAMS)
    finally:
        cursor.close()
    expected = session.execute(STATEMENT, PARAMS).one()
    assert (twice, percent, following) == tuple(expected[:3]) == ("甲%甲", "100%", 42)
    if ON_POSTGRES:
        import psycopg

        assert isinstance(cursor, psycopg.RawCursor)
