"""The 台账 as CSV that Excel opens as it is: UTF-8 with a BOM (without one Excel reads GBK and garbles every
Chinese cell), CRLF line ends, dates Excel recognises. Streamed in chunks of about CHUNK bytes."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from app.exports.ledger import HEADER, LedgerContext, cells
from app.read.ledger import LedgerRow

BOM = "\ufeff"
CHUNK = 64 * 1024
# A cell Excel would run as a formula (CSV injection, OWASP): what a reporter typed must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def csv_chunks(rows: Iterable[LedgerRow], ctx: LedgerContext) -> Iterator[bytes]:
    """The file's bytes: the BOM and the header first, then the rows, CHUNK bytes or so at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([csv_value(value) for value in cells(row.finding, row.approved, ctx)])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
