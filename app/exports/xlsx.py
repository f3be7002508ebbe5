"""The 台账 as an XLSX workbook: one sheet 隐患台账, the header frozen and filterable, column widths, dates and
times as real date cells. xlsxwriter's constant_memory mode writes each row out when the next begins, so the
workbook of any length holds one row in memory; the file is written to disk, then sent with its length."""

from collections.abc import Iterable
from datetime import date, datetime

import xlsxwriter

from app.exports.ledger import COLUMNS, HEADER, LedgerContext, cells
from app.read.ledger import LedgerRow

SHEET = "隐患台账"
FORMATS = {"date": "yyyy-mm-dd", "moment": "yyyy-mm-dd hh:mm"}


def write_xlsx(rows: Iterable[LedgerRow], ctx: LedgerContext, path: str, tmpdir: str | None = None) -> int:
    """Write the workbook to `path`; returns the number of findings written."""
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "tmpdir": tmpdir,
            # text stays text: a description that starts with "=" or holds a URL is not a formula or a link
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        return _write_sheet(workbook, rows, ctx)
    finally:
        workbook.close()


def _write_sheet(workbook, rows: Iterable[LedgerRow], ctx: LedgerContext) -> int:
    sheet = workbook.add_worksheet(SHEET)
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "valign": "vcenter"})
    formats = {kind: workbook.add_format({"num_format": pattern}) for kind, pattern in FORMATS.items()}
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width, formats.get(column.kind))
    sheet.freeze_panes(1, 0)
    # printed, as ledgers are: A3 landscape, every column on the page's width, the header on every page
    sheet.set_paper(8)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.write_row(0, 0, HEADER, header)
    kinds = [formats.get(column.kind) for column in COLUMNS]
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(cells(row.finding, row.approved, ctx)):
            _write_cell(sheet, count, index, value, kinds[index])
    sheet.autofilter(0, 0, count, len(COLUMNS) - 1)
    return count


def _write_cell(sheet, row: int, column: int, value, cell_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, column, value, cell_format)
    else:
        sheet.write_number(row, column, value)
