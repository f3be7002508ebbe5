"""The quarterly 隐患排查治理情况统计分析表 as XLSX: what a bureau files, printed on one A4 landscape page.

Counts are numbers, 整改率 a percentage (a fraction formatted 0.0%; — when nothing was found), 治理资金 万元 with two
decimals, so the sheet sums and charts as it is. The table is a few dozen rows: an ordinary (not write-only)
workbook, which merges cells, freezes panes and sets up the page.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from app.domain.quarterly import (
    COLUMNS,
    FUNDS_HEADER,
    GROUPS,
    RATE_COLUMNS,
    SECTOR_HEADER,
    TITLE,
    Heading,
    Row,
    Table,
    notes,
    sign_lines,
    values,
)

WIDTHS = (18, 8, 8, 9, 8, 11, 9, 13, 13, 13, 13, 16)  # characters: the sector, ten counts and rates, the funds
LAST = len(WIDTHS)
HEADER_TOP = 4  # the two header rows are 4 and 5; the sectors start at 6
FIRST_DATA = HEADER_TOP + 2
THIN = Side(style="thin")
RULED = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FONT = "宋体"


def _merged(ws, row: int, first: int, last: int, text: str, **style) -> None:
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row, first, text)
    for name, value in style.items():
        setattr(cell, name, value)


def _heading(ws, heading: Heading) -> None:
    _merged(ws, 1, 1, LAST, TITLE, font=Font(name=FONT, size=16, bold=True), alignment=CENTRED)
    _merged(ws, 2, 1, LAST, heading.subtitle, font=Font(name=FONT, size=11), alignment=CENTRED)
    _merged(ws, 3, 1, LAST - 2, heading.scope_line, font=Font(name=FONT, size=10), alignment=LEFT)
    _merged(ws, 3, LAST - 1, LAST, "金额单位：万元", font=Font(name=FONT, size=10),
            alignment=Alignment(horizontal="right", vertical="center"))  # fmt: skip
    ws.row_dimensions[1].height = 30


def _header_rows(ws) -> None:
    top, below = HEADER_TOP, HEADER_TOP + 1
    spans = [(1, 1, SECTOR_HEADER, True)]
    column = 2
    for name, width in GROUPS:
        spans.append((column, column + width - 1, name, False))
        column += width
    spans.append((LAST, LAST, FUNDS_HEADER, True))
    for first, last, text, both_rows in spans:
        ws.merge_cells(start_row=top, start_column=first, end_row=below if both_rows else top, end_column=last)
        ws.cell(top, first, text)
    for offset, text in enumerate(COLUMNS):
        ws.cell(below, 2 + offset, text)
    for r in (top, below):
        ws.row_dimensions[r].height = 30
        for c in range(1, LAST + 1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = Font(name=FONT, size=10, bold=True), CENTRED, RULED


def _data_row(ws, r: int, row: Row, bold: bool = False) -> None:
    ws.cell(r, 1, row.name)
    for offset, value in enumerate(values(row)):
        cell = ws.cell(r, 2 + offset)
        if offset in RATE_COLUMNS:
            cell.value = "—" if value is None else value
            cell.number_format = "0.0%"
        elif offset == len(COLUMNS):  # the funds, 万元
            cell.value = float(value)
            cell.number_format = "0.00"
        else:
            cell.value = value
    for c in range(1, LAST + 1):
        cell = ws.cell(r, c)
        cell.border, cell.font = RULED, Font(name=FONT, size=10, bold=bold)
        cell.alignment = LEFT if c == 1 else CENTRED


def _footer(ws, r: int, table: Table, heading: Heading) -> None:
    for line in ["说明：", *notes(table, heading)]:
        _merged(ws, r, 1, LAST, line, font=Font(name=FONT, size=9), alignment=LEFT)
        ws.row_dimensions[r].height = 28 if len(line) > 80 else 16  # a long line wraps to two
        r += 1
    r += 1
    signs = sign_lines(heading)
    width = LAST // len(signs)
    for i, line in enumerate(signs):
        first = 1 + i * width
        last = LAST if i == len(signs) - 1 else first + width - 1
        _merged(ws, r, first, last, line, font=Font(name=FONT, size=10), alignment=LEFT)
    ws.row_dimensions[r].height = 24


def _page(ws, last_table_row: int) -> None:
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(FIRST_DATA, 2)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_title_rows = f"{HEADER_TOP}:{HEADER_TOP + 1}"  # the headers again on every printed page
    ws.print_area = f"A1:{get_column_letter(LAST)}{last_table_row}"


def quarterly_xlsx(heading: Heading, table: Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{heading.year}Q{heading.quarter}"
    _heading(ws, heading)
    _header_rows(ws)
    r = FIRST_DATA
    for row in table.rows:
        _data_row(ws, r, row)
        r += 1
    _data_row(ws, r, table.total, bold=True)
    footer_from = r + 2
    _footer(ws, footer_from, table, heading)
    _page(ws, ws.max_row)
    wb.properties.title = f"{TITLE}（{heading.period}）"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
