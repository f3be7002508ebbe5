"""Bulk writes on PostgreSQL, where the deadline job writes tens of thousands of rows a run (docs/benchmarks.md,
"where we bypass a library for speed"). SQLite keeps SQLAlchemy's executemany: its callers choose by dialect."""

from sqlalchemy import bindparam, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session


def insert_unnest(session: Session, table, rows: list[dict], *, on_conflict=None, returning=()) -> list[tuple]:
    """INSERT ... SELECT FROM unnest(one array per column), in batches of 10,000 rows: one short statement whose
    arrays psycopg sends as a few parameters, instead of a statement with a placeholder per value that SQLAlchemy
    compiles and psycopg parses in Python (0.9 s of a 3.6 s deadline job at 9,500 notifications), or one
    statement per row (an executemany). Each array is bound with its column's own type (ARRAY of UTCDateTime,
    Uuid, JSON...), so the values are stored exactly as the ORM would store them. Every row has the same keys."""
    columns = list(rows[0])
    casts = ", ".join(f"CAST(:{c} AS {table.c[c].type.compile(dialect=postgresql.dialect())}[])" for c in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({casts})"
    if on_conflict:
        sql += f" ON CONFLICT ({', '.join(on_conflict)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    statement = text(sql).bindparams(*(bindparam(c, type_=postgresql.ARRAY(table.c[c].type)) for c in columns))
    out = []
    for chunk in _chunks(rows, 10_000):
        result = session.execute(statement, {c: [row[c] for row in chunk] for c in columns})
        if returning:
            out += [tuple(row) for row in result]
    return out


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
