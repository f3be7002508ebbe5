"""Statements run on the DB-API cursor itself, with SQLAlchemy's own type processing.

For the few statements every create (and every signed-in request) sends, SQLAlchemy's execution layer (the
execution context, the result object, the events) costs more than SQLite takes to run them. A Prepared
statement is compiled once per dialect; a call binds its parameters through the bind processors SQLAlchemy
itself would apply (uuids, UTC times, JSON, booleans), runs on the session's own DB-API connection inside the
session's transaction, and hands back rows whose columns went through their types' result processors. What it
skips is bookkeeping, never a conversion: tests/api/test_create_fast_path.py reads back what it wrote through
the ORM and compares what it read with SQLAlchemy's own execution of the same statement.
"""

import operator
import re
from collections import namedtuple
from collections.abc import Sequence

from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.types import TypeEngine


class Prepared:
    def __init__(self, statement: ClauseElement, result_types: Sequence[TypeEngine | None] | None = None):
        """`result_types`: one per result column (None: as the driver gives it); by default a SELECT's own."""
        self.statement = statement
        columns = getattr(statement, "selected_columns", None)
        if result_types is None and columns is not None:
            result_types = [c.type for c in columns]
        self.result_types = tuple(result_types or ())
        self.names = tuple(c.key for c in columns) if columns is not None else ()
        self._compiled: dict[str, tuple] = {}

    def compiled(self, dialect) -> tuple:
        """(sql with positional placeholders, (the parameters' values in their order, which to convert and how),
        the result processors, the values of the statement's own literals)."""
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            processors = compiled._bind_processors
            if compiled.positional:
                sql, names = compiled.string, compiled.positiontup
            else:
                sql, names = native_placeholders(compiled.string)
            # the values in the driver's order in one C call, then the few that need converting
            values = operator.itemgetter(*names) if len(names) > 1 else (lambda p, n=names: tuple(p[k] for k in n))
            convert = tuple((i, processors[name]) for i, name in enumerate(names) if processors.get(name))
            results = None  # made at the first run: some need the driver's type code of the column (a float)
            literals = {k: v for k, v in compiled.params.items() if v is not None}
            found = (sql, (values, convert), results, literals)
            self._compiled[dialect.name] = found
        return found

    def bind(self, dialect, params: dict):
        """The parameters as the driver takes them: a tuple in order (SQLite's qmark, PostgreSQL's $n)."""
        _sql, (values, convert), _results, literals = self.compiled(dialect)
        if literals:
            params = {**literals, **params}
        bound = values(params)
        if convert:
            bound = list(bound)
            for i, process in convert:
                bound[i] = process(bound[i])
        return bound

    def run(self, cursor, dialect, params: dict):
        cursor.execute(self.compiled(dialect)[0], self.bind(dialect, params))
        return cursor

    def rows(self, cursor, dialect, params: dict) -> list[tuple]:
        """Run and fetch every row, each column through its type's result processor."""
        fetched = self.run(cursor, dialect, params).fetchall()
        results = self._results(cursor, dialect)
        if not any(results):
            return fetched
        n = len(results)  # the columns past the typed ones come as the driver gives them
        return [(*(p(v) if p else v for p, v in zip(results, row[:n], strict=True)), *row[n:]) for row in fetched]

    def _results(self, cursor, dialect) -> tuple:
        """The result processors, as SQLAlchemy chooses them: by the column's type and the driver's type code for
        it (PostgreSQL's numeric and float processors read it; a statement's columns keep their codes)."""
        sql, binding, results, literals = self.compiled(dialect)
        if results is None:
            codes = [column[1] for column in cursor.description or ()]
            results = tuple(
                t._cached_result_processor(dialect, codes[i] if i < len(codes) else None) if t is not None else None
                for i, t in enumerate(self.result_types)
            )
            self._compiled[dialect.name] = (sql, binding, results, literals)
        return results

    def first(self, cursor, dialect, params: dict) -> tuple | None:
        found = self.rows(cursor, dialect, params)
        return found[0] if found else None

    def many(self, cursor, dialect, params: list[dict]) -> None:
        """executemany: the same statement for each parameter set (no rows back)."""
        if len(params) == 1:
            cursor.execute(self.compiled(dialect)[0], self.bind(dialect, params[0]))
        else:
            cursor.executemany(self.compiled(dialect)[0], [self.bind(dialect, p) for p in params])

    def record(self):
        """A named tuple type of the SELECT's columns (what Row attribute access gave its callers)."""
        if not hasattr(self, "_record"):
            self._record = namedtuple("Record", self.names, rename=True)
        return self._record


_PYFORMAT = re.compile(r"%\((\w+)\)s|%%")


def native_placeholders(sql: str) -> tuple[str, list[str]]:
    """SQLAlchemy's pyformat text for psycopg (%(name)s, and %% for a literal %) in PostgreSQL's own $n, each
    name numbered by its first place in the text (a name used twice keeps its number), and the names in that
    order. psycopg parses a pyformat query into $n on every execute, and caches that only for queries under
    4096 characters and 50 parameters: the create's one statement is 6.9 KB with 75, and parsing it cost about
    0.7 ms a create. A RawCursor (cursor_for) sends $n text as it is."""
    place: dict[str, str] = {}

    def numbered(match) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        return place.setdefault(name, f"${len(place) + 1}")

    return _PYFORMAT.sub(numbered, sql), list(place)


def cursor_for(raw, dialect):
    """The DB-API cursor a Prepared statement runs on: on PostgreSQL psycopg's RawCursor, which takes $n."""
    if dialect.positional:
        return raw.cursor()
    import psycopg  # only where the database is PostgreSQL

    return psycopg.RawCursor(raw)


def in_transaction(session) -> bool:
    """Whether `session` has a transaction open; a scoped session's Session is not made only to be asked."""
    if isinstance(session, scoped_session):
        return session.registry.has() and session().in_transaction()
    return session.in_transaction()


def driver_connection(session: Session):
    """(the DB-API connection the session's transaction runs on, its dialect). Taking it begins the session's
    transaction, as any statement would (on SQLite, BEGIN IMMEDIATE for a writing request). Kept for the rest of
    that transaction: asking the session again costs more than the statements it is asked for."""
    if isinstance(session, scoped_session):
        session = session()
    transaction = session.get_transaction()
    kept = session.info.get("driver_connection")
    if transaction is not None and kept is not None and kept[0] is transaction:
        return kept[1], kept[2]
    connection = session.connection()
    found = connection.connection.dbapi_connection, connection.dialect
    session.info["driver_connection"] = (session.get_transaction(), *found)
    return found


def fetch_one(session: Session, prepared: Prepared, params: dict):
    """One row of a prepared SELECT as a named tuple, or None: the Row a Core execution would have given."""
    raw, dialect = driver_connection(session)
    cursor = cursor_for(raw, dialect)
    try:
        found = prepared.first(cursor, dialect, params)
    finally:
        cursor.close()
    return None if found is None else prepared.record()._make(found)
