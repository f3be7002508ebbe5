"""Spreadsheets in: XLSX (read-only, streamed) or CSV (UTF-8 with or without BOM, or GB18030 as Excel on a
Chinese Windows saves it), a header row of named columns, then one record per row.

Rows are numbered as the person sees them in Excel: the header is row 1 (or wherever the first non-empty row
is), blank rows are skipped but still counted. Every problem is {row, column, message}, with the column named
as its header says, so a report can be read beside the file.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from app.domain.enterprises import as_text
from app.domain.errors import ImportRejected

MAX_ROWS = 100_000
MAX_ERRORS = 10_000  # listed in the answer; error_count says how many there were
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # an XLSX whose parts claim more is refused unread (a zip bomb)
_HEADER_NOISE = re.compile(r"[\s*＊]|[（(][^）)]*[）)]$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the canonical header, as the sample files and the reports name it
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be in the file


@dataclass
class Problems:
    """Every problem found, in the order found, and what the import would have done."""

    items: list[dict] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append({"row": row, "column": column, "message": message})

    def __bool__(self) -> bool:
        return self.count > 0


def report(*, rows: int, created: int = 0, updated: int = 0, unchanged: int = 0, dry_run: bool, problems=None):
    problems = problems or Problems()
    items = sorted(problems.items, key=lambda p: (p["row"], p["column"]))
    return {"rows": rows, "created": created, "updated": updated, "unchanged": unchanged, "dry_run": dry_run,
            "errors": items, "error_count": problems.count}  # fmt: skip


def reject(problems: Problems, *, rows: int, dry_run: bool, what: str = "rows"):
    """Raise the all-or-nothing refusal: every problem listed, nothing written."""
    in_rows = len({p["row"] for p in problems.items})
    message = f"{problems.count} problem(s) in {in_rows} row(s); nothing was imported: fix them and send it again."
    raise ImportRejected(message, {"file": message}, detail=report(rows=rows, dry_run=dry_run, problems=problems))


def _normalise_header(value) -> str:
    return _HEADER_NOISE.sub("", as_text(value)).lower()


class Table:
    """The file's records as (row number, {column key: cell value}); header problems land in `problems`."""

    def __init__(self, raw_rows: Iterator[tuple[int, Sequence]], columns: Sequence[Column], problems: Problems):
        self.problems = problems
        self.header_row = 0
        self.data_rows = 0
        self._raw = raw_rows
        self._columns = columns
        self._index: dict[str, int] = {}
        self.headers: dict[str, str] = {c.key: c.header for c in columns}
        self._read_header()

    def _read_header(self) -> None:
        for number, cells in self._raw:
            if any(as_text(c) for c in cells):
                self.header_row = number
                break
        else:
            self.problems.add(1, "", "The file is empty: the first row names the columns.")
            return
        words = {}
        for column in self._columns:
            for word in (column.header, column.key, *column.aliases):
                words[_normalise_header(word)] = column
        for i, cell in enumerate(cells):
            column = words.get(_normalise_header(cell))
            if column is None:
                continue  # 序号 and other columns of the bureau's own are left alone
            if column.key in self._index:
                self.problems.add(number, as_text(cell), "This column appears twice.")
            self._index[column.key] = i
            self.headers[column.key] = as_text(cell)
        for column in self._columns:
            if column.required and column.key not in self._index:
                self.problems.add(number, column.header, "Missing column.")

    def has(self, key: str) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        if not self.header_row:
            return
        index = self._index
        for number, cells in self._raw:
            if not any(as_text(c) for c in cells):
                continue
            self.data_rows += 1
            if self.data_rows > MAX_ROWS:
                self.problems.add(number, "", f"At most {MAX_ROWS:,} rows in one file: split it.")
                return
            width = len(cells)
            yield number, {key: (cells[i] if i < width else None) for key, i in index.items()}


def estimate_rows(data: bytes) -> int:
    """Roughly how many data rows the file holds, cheaply (for a progress bar): a CSV's line count, an XLSX
    sheet's stated dimension."""
    if data[:4] != b"PK\x03\x04":
        return max(data.count(b"\n") - 1, 1)
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return max((workbook.worksheets[0].max_row or 2) - 1, 1)
        finally:
            workbook.close()
    except Exception:
        return 1


def open_table(data: bytes, columns: Sequence[Column], problems: Problems) -> Table:
    """The table in `data`, an XLSX or a CSV told apart by their bytes (the file's name is not trusted)."""
    if data[:4] == b"PK\x03\x04":
        raw = _xlsx_rows(data, problems)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        problems.add(1, "", "An old .xls workbook: save it as .xlsx (Excel 2007 or later) or as CSV.")
        raw = iter(())
    else:
        raw = _csv_rows(data, problems)
    return Table(raw, columns, problems)


def _csv_rows(data: bytes, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    text = decode_text(data)
    if text is None:
        problems.add(1, "", "Not text in UTF-8 or GB18030: save the sheet as CSV UTF-8 or as .xlsx.")
        return
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as error:
        problems.add(number + 1, "", f"Not readable as CSV: {error}.")


def decode_text(data: bytes) -> str | None:
    """UTF-8 (a BOM is dropped), else GB18030 (a superset of GBK and GB2312), else None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _xlsx_rows(data: bytes, problems: Problems) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            problems.add(1, "", "The workbook unpacks to more than 400 MB: send a CSV instead.")
            return
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken or foreign zip
        problems.add(1, "", "Not a readable .xlsx workbook.")
        return
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except Exception:
        problems.add(1, "", "The workbook is damaged: open it in Excel and save it again.")
    finally:
        workbook.close()
