"""The quarterly 隐患排查治理情况统计分析表 as PDF: A4 landscape, ruled cells, the Chinese font embedded as a subset
(so it reads the same on a machine without Chinese fonts), the headers again on every page it runs to.

The font is app/exports/fonts.py's: REPORT_FONT when set, else the Chinese font fontconfig knows.
"""

from fpdf import FPDF

from app.domain.quarterly import (
    COLUMNS,
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
from app.exports.fonts import FontFile

MARGIN = 12  # mm
WIDTHS = (36, 20, 20, 20, 20, 22, 20, 22, 22, 22, 22, 27)  # 273 mm: A4 landscape less the margins
ROW_H, GROUP_H, COLUMN_H = 7.0, 8.0, 12.0
BODY_PT, HEADER_PT = 9.5, 9
TOTAL_FILL, HEADER_FILL = (235, 235, 235), (245, 245, 245)
# COLUMNS broken where a reader would break them; the two 挂牌督办 levels share one heading above them
PDF_COLUMNS = ("排查", "已整改", "整改率", "排查", "已整改\n销号", "整改率", "列入\n治理计划", "其中\n“五落实”",
               "省级", "市级")  # fmt: skip
LISTING_LEVELS = ("省级", "市级")
PDF_FUNDS = "治理资金\n（万元）"


class _Document(FPDF):
    def footer(self):
        self.set_y(-9)
        self.set_font("cjk", size=8)
        self.cell(0, 5, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def _text(value, offset: int) -> str:
    if offset in RATE_COLUMNS:
        return "—" if value is None else f"{value * 100:.1f}%"
    if offset == len(COLUMNS):
        return f"{value:.2f}"
    return str(value)


class _Drawing:
    def __init__(self, font: FontFile):
        pdf = _Document(orientation="L", unit="mm", format="A4")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(False)
        pdf.add_font("cjk", "", font.path, collection_font_number=font.index)
        pdf.set_line_width(0.2)
        self.pdf = pdf

    def box(self, x: float, y: float, w: float, h: float, text: str, *, align="C", fill=None, size=BODY_PT):
        """A ruled cell with its text wrapped to the width and centred in the height."""
        pdf = self.pdf
        pdf.set_font("cjk", size=size)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.rect(x, y, w, h, style="DF" if fill else "D")
        lines = pdf.multi_cell(w - 1.6, 4, text, dry_run=True, output="LINES") or [""]
        top = y + (h - 4 * len(lines)) / 2
        for i, line in enumerate(lines):
            pdf.set_xy(x + 0.8, top + 4 * i)
            pdf.cell(w - 1.6, 4, line, align=align)

    def title(self, heading: Heading) -> None:
        pdf, width = self.pdf, sum(WIDTHS)
        pdf.add_page()
        pdf.set_font("cjk", size=18)
        pdf.set_xy(MARGIN, MARGIN)
        pdf.cell(width, 10, TITLE, align="C")
        pdf.set_font("cjk", size=11)
        pdf.set_xy(MARGIN, MARGIN + 11)
        pdf.cell(width, 6, heading.subtitle, align="C")
        pdf.set_font("cjk", size=10)
        pdf.set_xy(MARGIN, MARGIN + 19)
        pdf.cell(width * 0.7, 6, heading.scope_line)
        pdf.cell(width * 0.3, 6, "金额单位：万元", align="R")
        self.y = MARGIN + 26

    def headers(self) -> None:
        """行业和领域 | 一般隐患 (3) | 重大隐患 (7, its last two under one 挂牌督办) | 治理资金, ruled and merged."""
        x, y, full = MARGIN, self.y, GROUP_H + COLUMN_H
        self.box(x, y, WIDTHS[0], full, SECTOR_HEADER, fill=HEADER_FILL, size=HEADER_PT)
        column, x = 1, x + WIDTHS[0]
        for name, span in GROUPS:
            self.box(x, y, sum(WIDTHS[column : column + span]), GROUP_H, name, fill=HEADER_FILL, size=HEADER_PT)
            for _ in range(span):
                x += self.column_header(column, x, y + GROUP_H)
                column += 1
        self.box(x, y, WIDTHS[-1], full, PDF_FUNDS, fill=HEADER_FILL, size=HEADER_PT)
        self.y = y + full

    def column_header(self, column: int, x: float, y: float) -> float:
        w, label = WIDTHS[column], PDF_COLUMNS[column - 1]
        if label in LISTING_LEVELS:  # half height, under one 挂牌督办 drawn with the first of the two
            half = COLUMN_H / 2
            if label == LISTING_LEVELS[0]:
                self.box(x, y, w + WIDTHS[column + 1], half, "挂牌督办", fill=HEADER_FILL, size=HEADER_PT)
            self.box(x, y + half, w, half, label, fill=HEADER_FILL, size=HEADER_PT)
        else:
            self.box(x, y, w, COLUMN_H, label, fill=HEADER_FILL, size=HEADER_PT)
        return w

    def room(self, height: float) -> bool:
        return self.y + height <= self.pdf.h - MARGIN - 6

    def row(self, row: Row, total: bool = False) -> None:
        if not self.room(ROW_H):
            self.pdf.add_page()
            self.y = MARGIN
            self.headers()
        fill = TOTAL_FILL if total else None
        x = MARGIN
        self.box(x, self.y, WIDTHS[0], ROW_H, row.name, align="L", fill=fill)
        x += WIDTHS[0]
        for offset, value in enumerate(values(row)):
            self.box(x, self.y, WIDTHS[offset + 1], ROW_H, _text(value, offset), fill=fill)
            x += WIDTHS[offset + 1]
        self.y += ROW_H

    def footer_lines(self, table: Table, heading: Heading) -> None:
        pdf, width = self.pdf, sum(WIDTHS)
        lines = notes(table, heading)
        if not self.room(5 * (len(lines) + 1) + 18):
            pdf.add_page()
            self.y = MARGIN
        pdf.set_font("cjk", size=8.5)
        pdf.set_xy(MARGIN, self.y + 2)
        pdf.multi_cell(width, 4.5, "\n".join(["说明：", *lines]))
        signs = sign_lines(heading)
        y = pdf.get_y() + 8
        pdf.set_font("cjk", size=10.5)
        for i, line in enumerate(signs):
            pdf.set_xy(MARGIN + i * width / len(signs), y)
            pdf.cell(width / len(signs), 6, line)


def quarterly_pdf(heading: Heading, table: Table, font: FontFile) -> bytes:
    drawing = _Drawing(font)
    pdf = drawing.pdf
    pdf.set_title(f"{TITLE}（{heading.period}）")
    pdf.set_creator("隐患闭环 Closeloop")
    pdf.set_lang("zh-CN")
    drawing.title(heading)
    drawing.headers()
    for row in table.rows:
        drawing.row(row)
    drawing.row(table.total, total=True)
    drawing.footer_lines(table, heading)
    return bytes(pdf.output())
