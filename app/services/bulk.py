"""Bulk reads and writes on PostgreSQL, where the deadline job reads and writes tens of thousands of rows a run
(docs/benchmarks.md, "where we bypass a library for speed"). SQLite keeps SQLAlchemy's IN lists and executemany:
`among` and `insert_rows` choose by dialect, so their callers never do."""

from collections.abc import Iterator

from sqlalchemy import any_, bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement


def among(session: Session, column, values: list) -> Iterator[ColumnElement]:
    """`column IN values`, as conditions to run one query each: on PostgreSQL one `column = ANY(array)` for all
    of them (one parameter, one round trip), on SQLite an IN list per 900 (its limit on bound parameters). An IN
    list of 900 placeholders costs SQLAlchemy's rendering and psycopg's parsing in Python on every query: 91 such
    queries were 0.34 s of a deadline job's run at 20,000 findings due."""
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
        return
    for chunk in _chunks(list(values), 900):
        yield column.in_(chunk)


def insert_rows(session: Session, table, rows: list[dict], *, on_conflict=None, returning=()) -> list[tuple]:
    """Insert `rows` (all with the same keys), skipping those that clash on `on_conflict`'s columns when given, and
    return the `returning` columns of those written: one INSERT ... SELECT FROM unnest per 10,000 rows on
    PostgreSQL (insert_unnest), one executemany on SQLite (SQLAlchemy sends it as multi-row INSERTs)."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return insert_unnest(session, table, rows, on_conflict=on_conflict, returning=returning)
    statement = sqlite.insert(table) if on_conflict else insert(table)
    if on_conflict:
        statement = statement.on_conflict_do_nothing(index_elements=list(on_conflict))
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
        return [tuple(row) for row in session.execute(statement, rows)]
    session.execute(statement, rows)
    return []


def insert_unnest(session: Session, table, rows: list[dict], *, on_conflict=None, returning=()) -> list[tuple]:
    """INSERT ... SELECT FROM unnest(one array per column), in batches of 10,000 rows: one short statement whose
    arrays psycopg sends as a few parameters, instead of a statement with a placeholder per value that SQLAlchemy
    compiles and psycopg parses in Python (0.9 s of a 3.6 s deadline job at 9,500 notifications), or one
    statement per row (an executemany). Each array is bound with its column's own type (ARRAY of UTCDateTime,
    Uuid, JSON...), so the values are stored exactly as the ORM would store them. Every row has the same keys.

    A column with one value in every row of a batch (the run's moment, a status, NULL) is bound once, as a value
    of its column's type beside the arrays: SQLAlchemy would process and psycopg dump and quote it once per row
    (a run's created_at, read_at, next_attempt_at and most of an escalate event's columns)."""
    columns = list(rows[0])
    connection = session.connection()
    dialect = connection.dialect
    out = []
    for chunk in _chunks(rows, 10_000):
        first = chunk[0]
        same = {c for c in columns if _same(chunk, c, first[c])}
        arrays = [c for c in columns if c not in same] or columns[:1]  # unnest needs one array at least
        scalars = [c for c in columns if c not in arrays]
        params = {}
        for c in arrays:
            process = postgresql.ARRAY(table.c[c].type)._cached_bind_processor(dialect)
            values = [row[c] for row in chunk]
            params[c] = process(values) if process else values
        for c in scalars:
            process = table.c[c].type._cached_bind_processor(dialect)
            params[c] = process(first[c]) if process else first[c]
        binary = {c for c in arrays if any(v is not None for v in params[c])}
        sql = _unnest_sql(table, arrays, scalars, binary, on_conflict, returning)
        result = connection.exec_driver_sql(sql, params)
        if returning:
            out += [tuple(row) for row in result.all()]  # one fetchall, not a fetchone per row
    return out


def _same(chunk: list[dict], column: str, value) -> bool:
    kind = type(value)
    return all(row[column] == value and type(row[column]) is kind for row in chunk)


def _unnest_sql(table, arrays: list[str], scalars: list[str], binary: set[str], on_conflict, returning) -> str:
    """The statement as psycopg reads it: each array a %(name)b placeholder, sent in PostgreSQL's binary format
    (text format makes psycopg search every string, timestamp and uuid for characters to quote and escape them in
    Python: a third of a second for 42,000 notifications), a NULL-only array and the scalars %(name)s."""

    def sql_type(c: str) -> str:
        return table.c[c].type.compile(dialect=postgresql.dialect())

    casts = ", ".join(f"CAST(%({c}){'b' if c in binary else 's'} AS {sql_type(c)}[])" for c in arrays)
    values = "".join(f", CAST(%({c})s AS {sql_type(c)})" for c in scalars)
    sql = f"INSERT INTO {table.name} ({', '.join(arrays + scalars)}) SELECT u.*{values} FROM unnest({casts}) AS u"
    if on_conflict:
        sql += f" ON CONFLICT ({', '.join(on_conflict)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    return sql


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
