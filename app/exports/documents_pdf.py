"""An enforcement document (app/domain/document_forms.py's Form) drawn as PDF/A-4: A4 portrait, the Chinese font
embedded as a subset, ruled boxes, the table's header again on every page it runs to and a row too tall for the
rest of a page continued on the next, the 文号 and the page count on every page.

PDF/A-4 is fpdf2's enforce_compliance: PDF 2.0, XMP metadata with pdfaid:part 4 (rev 2020), the sRGB output
intent, every font embedded, no encryption, no transparency (only opaque strokes and fills are drawn here).
"""

from datetime import datetime

from fpdf import FPDF

from app.domain.document_forms import Fields, Form, Paragraph, Signatures, Table
from app.exports.cjk_wrap import wrap
from app.exports.fonts import FontFile

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20, 18, 20  # mm
WIDTH = 210 - 2 * MARGIN_X
TITLE_PT, NUMBER_PT, BODY_PT, CELL_PT = 20, 11.5, 11.5, 9.5
BODY_LH, CELL_LH, PAD = 6.6, 4.7, 1.3
LABEL_W = 36  # the label column of the parties' boxes
LABEL_FILL, HEADER_FILL = (242, 242, 242), (230, 230, 230)
SEAL_W, SEAL_H = 62, 34
RECEIPT_H = 15
INDENT = "　　"  # two full-width spaces: the first line of a Chinese paragraph


class _Pdf(FPDF):
    number = ""

    def header(self):
        if self.page_no() > 1:  # a loose page still says which document it belongs to
            self.set_font("cjk", size=8.5)
            self.set_xy(MARGIN_X, 9)
            self.cell(WIDTH, 5, self.number, align="R")

    def footer(self):
        self.set_y(-13)
        self.set_font("cjk", size=8.5)
        self.cell(0, 5, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def _blank(font: FontFile) -> _Pdf:
    """An empty A4 PDF/A-4 with the font loaded: most of a document's cost (fontTools reads the whole face)."""
    pdf = _Pdf(orientation="P", unit="mm", format="A4", enforce_compliance="PDF/A-4")
    pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", "", font.path, collection_font_number=font.index)
    pdf.set_line_width(0.25)
    return pdf


class _Drawing:
    def __init__(self, form: Form, pdf: _Pdf, issued_at: datetime):
        pdf.number = form.number
        pdf.set_title(f"{form.title} {form.number}")
        pdf.set_author(form.authority)
        pdf.set_subject(form.title)
        pdf.set_creator("隐患闭环 Closeloop")
        pdf.set_lang("zh-CN")
        pdf.set_creation_date(issued_at)
        self.pdf, self.form = pdf, form
        self.bottom = pdf.h - MARGIN_BOTTOM
        self.y = MARGIN_TOP

    # --- primitives -------------------------------------------------------------------------------------

    def lines(self, text: str, width: float, size: float) -> list[str]:
        self.pdf.set_font("cjk", size=size)
        return wrap(self.pdf.get_string_width, text, width)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = MARGIN_TOP if self.pdf.page_no() == 1 else MARGIN_TOP + 2

    def room(self, height: float) -> bool:
        return self.y + height <= self.bottom

    def text_at(self, x: float, y: float, w: float, text: str, *, size: float, align="L", h: float = CELL_LH):
        self.pdf.set_font("cjk", size=size)
        self.pdf.set_xy(x, y)
        self.pdf.cell(w, h, text, align=align)

    def cell_box(self, x, y, w, h, lines: list[str], *, align="L", fill=None, middle=True):
        """A ruled cell with its lines, centred in the height when `middle` (a short cell of a tall row)."""
        if fill:
            self.pdf.set_fill_color(*fill)
        self.pdf.rect(x, y, w, h, style="DF" if fill else "D")
        top = y + (h - CELL_LH * len(lines)) / 2 if middle else y + PAD
        for i, line in enumerate(lines):
            self.text_at(x + PAD, top + CELL_LH * i, w - 2 * PAD, line, size=CELL_PT, align=align)

    # --- blocks -----------------------------------------------------------------------------------------

    def heading(self) -> None:
        form = self.form
        self.new_page()
        self.text_at(MARGIN_X, self.y, WIDTH, form.authority, size=13, align="C", h=7)
        self.text_at(MARGIN_X, self.y + 9, WIDTH, form.title, size=TITLE_PT, align="C", h=10)
        self.text_at(MARGIN_X, self.y + 21, WIDTH, form.number, size=NUMBER_PT, align="C", h=6)
        self.y += 31
        if form.addressee:
            self.text_at(MARGIN_X, self.y, WIDTH, form.addressee, size=BODY_PT, h=BODY_LH)
            self.y += BODY_LH + 2

    def fields(self, block: Fields) -> None:
        for row in block.rows:
            value_w = (WIDTH - LABEL_W * len(row)) / len(row)
            cells = []
            for label, value in row:
                cells.append((LABEL_W, self.lines(label, LABEL_W - 2 * PAD, CELL_PT), LABEL_FILL, "C"))
                cells.append((value_w, self.lines(value, value_w - 2 * PAD, CELL_PT), None, "L"))
            height = max(len(c[1]) for c in cells) * CELL_LH + 2 * PAD + 1
            if not self.room(height):
                self.new_page()
            x = MARGIN_X
            for w, lines, fill, align in cells:
                self.cell_box(x, self.y, w, height, lines, align=align, fill=fill)
                x += w
            self.y += height
        self.y += 3

    def paragraph(self, block: Paragraph) -> None:
        text = (INDENT if block.indent else "") + block.text
        for line in self.lines(text, WIDTH, BODY_PT):
            if not self.room(BODY_LH):
                self.new_page()
            self.text_at(MARGIN_X, self.y, WIDTH, line, size=BODY_PT, h=BODY_LH)
            self.y += BODY_LH
        self.y += 1.5

    def table(self, block: Table) -> None:
        total = sum(c.weight for c in block.columns)
        widths = [WIDTH * c.weight / total for c in block.columns]
        self.table_header(block, widths)
        for row in block.rows:
            cells = [self.lines(text, w - 2 * PAD, CELL_PT) for text, w in zip(row, widths, strict=True)]
            self.table_row(block, widths, cells)
        self.y += 3

    def table_header(self, block: Table, widths: list[float]) -> None:
        heads = [self.lines(c.header, w - 2 * PAD, CELL_PT) for c, w in zip(block.columns, widths, strict=True)]
        height = self.header_h = max(len(h) for h in heads) * CELL_LH + 2 * PAD + 1
        if not self.room(height + CELL_LH * 2 + 2 * PAD):  # a header alone at the foot of a page helps no one
            self.new_page()
        x = MARGIN_X
        for w, lines in zip(widths, heads, strict=True):
            self.cell_box(x, self.y, w, height, lines, align="C", fill=HEADER_FILL)
            x += w
        self.y += height

    def lines_that_fit(self, y: float) -> int:
        return int((self.bottom - y - 2 * PAD - 1) // CELL_LH)

    def table_row(self, block: Table, widths: list[float], cells: list[list[str]]) -> None:
        """The row in one piece, on the next page if not on this one; only a row taller than a page is split, as
        many lines as the page holds and the rest after the header on the next (a long description is printed
        whole)."""
        tall, start = max(len(c) for c in cells), 0
        while start < tall:
            fits = self.lines_that_fit(self.y)
            whole_on_next = tall <= self.lines_that_fit(MARGIN_TOP + 2 + self.header_h)
            if fits < min(tall - start, 2) or (start == 0 and fits < tall and whole_on_next):
                self.new_page()
                self.table_header(block, widths)
                continue
            take = min(tall - start, fits)
            height, whole = take * CELL_LH + 2 * PAD + 1, start == 0 and take == tall
            x = MARGIN_X
            for w, column, lines in zip(widths, block.columns, cells, strict=True):
                self.cell_box(x, self.y, w, height, lines[start : start + take], align=column.align, middle=whole)
                x += w
            self.y += height
            start += take
            if start < tall:
                self.new_page()
                self.table_header(block, widths)

    def signatures(self, block: Signatures) -> None:
        officers = [block.officers_label, *block.officers]
        left_h = len(officers) * (BODY_LH + 1) + 2 * PAD
        height = max(left_h, SEAL_H) + 4 + RECEIPT_H
        if not self.room(height + 2):
            self.new_page()
        y = self.y + 2
        for i, line in enumerate(officers):
            self.text_at(MARGIN_X + (0 if i == 0 else 6), y + PAD + i * (BODY_LH + 1), WIDTH - SEAL_W - 6, line,
                         size=BODY_PT - 0.5, h=BODY_LH)  # fmt: skip
        seal_x = MARGIN_X + WIDTH - SEAL_W
        self.pdf.rect(seal_x, y, SEAL_W, SEAL_H)
        self.text_at(seal_x, y + 6, SEAL_W, block.seal, size=10.5, align="C")
        self.text_at(seal_x, y + 13, SEAL_W, "（印章）", size=10.5, align="C")
        self.text_at(seal_x, y + SEAL_H - 9, SEAL_W, block.seal_date, size=10.5, align="C")
        y += max(left_h, SEAL_H) + 4
        self.receipt(block, y)
        self.y = y + RECEIPT_H

    def receipt(self, block: Signatures, y: float) -> None:
        label_w = 64
        self.pdf.set_fill_color(*LABEL_FILL)
        self.pdf.rect(MARGIN_X, y, label_w, RECEIPT_H, style="DF")
        self.pdf.rect(MARGIN_X + label_w, y, WIDTH - label_w, RECEIPT_H)
        self.text_at(MARGIN_X, y + (RECEIPT_H - CELL_LH) / 2, label_w, block.receipt_label, size=10, align="C")
        signed = block.receipt or f"签名：{'　' * 8}　　年　　月　　日"
        self.text_at(MARGIN_X + label_w + PAD * 2, y + (RECEIPT_H - CELL_LH) / 2, WIDTH - label_w - 4 * PAD,
                     signed, size=10)  # fmt: skip


DRAW = {Fields: _Drawing.fields, Paragraph: _Drawing.paragraph, Table: _Drawing.table, Signatures: _Drawing.signatures}


class DocumentPen:
    """One document's PDF, its font loaded up front: the issuing transaction loads it before it takes the 文号, so
    the counter's lock is held only while the document itself is drawn."""

    def __init__(self, font: FontFile):
        self._pdf: _Pdf | None = _blank(font)

    def draw(self, form: Form, *, issued_at: datetime) -> bytes:
        pdf, self._pdf = self._pdf, None
        if pdf is None:
            raise RuntimeError("A DocumentPen draws one document.")
        drawing = _Drawing(form, pdf, issued_at)
        drawing.heading()
        for block in form.blocks:
            DRAW[type(block)](drawing, block)
        return bytes(pdf.output())


def document_pdf(form: Form, font: FontFile, *, issued_at: datetime) -> bytes:
    return DocumentPen(font).draw(form, issued_at=issued_at)
