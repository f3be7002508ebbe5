"""A finding's local day in SQL: the one piece of period arithmetic the database does (the rest is
domain.periods). Each dialect shifts the stored UTC instant by SHANGHAI_OFFSET and takes the date."""

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.domain.periods import SHANGHAI_OFFSET

_HOURS = int(SHANGHAI_OFFSET.total_seconds() // 3600)


class local_day(FunctionElement):  # an SQL function, named as one
    """The Asia/Shanghai date of a UTC timestamp column, as a Python date on both databases."""

    type = Date()
    name = "local_day"
    inherit_cache = True


@compiles(local_day, "postgresql")
def _postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} + INTERVAL '{_HOURS} hours') AS DATE)"


@compiles(local_day, "sqlite")
def _sqlite(element, compiler, **kw):
    # SQLite's date() reads the stored 'YYYY-MM-DD HH:MM:SS.ffffff' text; the Date type parses what it returns
    return f"date({compiler.process(element.clauses, **kw)}, '+{_HOURS} hours')"
