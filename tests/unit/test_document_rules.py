"""The enforcement documents' pure parts: the 文号, the facts kept with a document, each form's layout and wording,
the line breaking of Chinese text, and the PDF drawn from a layout (read back with poppler's pdftotext and
pdffonts, and its PDF/A-4 identification with pypdf)."""

import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from app.domain.actors import Actor
from app.domain.document_forms import LEGAL_BASIS, Fields, Paragraph, Signatures, Table, layout
from app.domain.documents import (
    Authority,
    Facts,
    Hazard,
    ItemResult,
    Kind,
    Officer,
    OrderRef,
    Party,
    Receipt,
    Review,
    check_issuer,
    check_kind,
    check_supersedes,
    cn_moment,
    document_number,
    facts_from_json,
    facts_to_json,
    short_name_problem,
)
from app.domain.errors import Conflict, Forbidden, RuleViolation
from app.domain.terms import Role
from app.exports.cjk_wrap import NO_END, NO_START, wrap
from app.exports.documents_pdf import document_pdf
from app.exports.fonts import find_font

AUTHORITY = Authority("厦门市湖里区应急管理局", "厦湖", "厦门市湖里区人民政府")
PARTY = Party("厦门鹭岛精密机械有限公司", "91350206MA2XK4L71K", "厦门市湖里区高殿路88号", "陈建国", "0592-5551234")
OFFICERS = (Officer("王建华", "35020600012"), Officer("李明"))
DEADLINE = date(2026, 12, 8)
ISSUED_AT = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)


def hazards(n: int, *, major_every: int = 0) -> tuple[Hazard, ...]:
    return tuple(
        Hazard(
            number=f"YH-350206-2026-{i:06d}",
            title=f"第{i}号配电箱未做保护接地",
            description="二号车间东侧配电箱外壳无保护接地线，箱门无警示标识，箱内积尘。" * (1 + i % 3),
            basis="GB 50016-2014 第10.1.1条",
            major=bool(major_every) and i % major_every == 0,
            deadline=DEADLINE,
        )
        for i in range(1, n + 1)
    )


def order(n: int = 3, **changes) -> Facts:
    facts = Facts(
        kind=Kind.RECTIFICATION_ORDER,
        number=document_number("厦湖", Kind.RECTIFICATION_ORDER, 2026, 12),
        authority=AUTHORITY,
        party=PARTY,
        issued_on=date(2026, 12, 1),
        officers=OFFICERS,
        inspected_on=date(2026, 12, 1),
        hazards=hazards(n),
    )
    return replace(facts, **changes)


def blocks_of(form, cls):
    return [b for b in form.blocks if isinstance(b, cls)]


def prose(form) -> str:
    return "\n".join(b.text for b in blocks_of(form, Paragraph))


# --- the 文号 ------------------------------------------------------------------------------------------------


def test_the_number_of_each_form_follows_the_forms_pattern():
    assert document_number("厦湖", Kind.RECTIFICATION_ORDER, 2026, 12) == "（厦湖）应急责改〔2026〕第0012号"
    assert document_number("厦湖", Kind.INSPECTION_RECORD, 2026, 1) == "（厦湖）应急检记〔2026〕第0001号"
    assert document_number("厦思", Kind.REVIEW_OPINION, 2027, 345) == "（厦思）应急复查〔2027〕第0345号"
    assert document_number("厦", Kind.RECTIFICATION_ORDER, 2026, 12345) == "（厦）应急责改〔2026〕第12345号"


SHORT_FORMS = [("厦湖", True), ("厦", True), ("厦门市湖里区", True), ("", False), ("XM", False),
               ("厦门市湖里区应急", False), ("厦 湖", False)]  # fmt: skip


@pytest.mark.parametrize("short_name, ok", SHORT_FORMS)
def test_a_short_form_is_one_to_six_chinese_characters(short_name, ok):
    assert (short_name_problem(short_name) is None) is ok


def test_the_receipt_time_is_shanghai_wall_clock():
    assert cn_moment(datetime(2026, 12, 1, 16, 5, tzinfo=UTC)) == "2026年12月2日0时05分"


# --- the facts a document keeps --------------------------------------------------------------------------------


def test_facts_survive_their_json_unchanged():
    facts = replace(
        order(2),
        results=(ItemResult("消防通道畅通", "GB 55036-2022 第2.0.10条", "现场查看", "fail", "堆放纸箱", "YH-1"),),
        review=Review(False, date(2026, 12, 9), "赵六", "接地线未压接", True, date(2026, 12, 20)),
        order=OrderRef("（厦湖）应急责改〔2026〕第0012号", date(2026, 12, 1)),
        receipt=Receipt("张三", datetime(2026, 12, 1, 3, 5, tzinfo=UTC)),
        notes=("补记：现场负责人拒绝签字",),
        campaign="第四轮安全生产大检查",
        checklist="消防安全检查清单（第2版）",
    )
    assert facts_from_json(facts_to_json(facts)) == facts


# --- the layouts -------------------------------------------------------------------------------------------------


def test_the_order_lists_the_parties_every_hazard_its_deadline_the_basis_and_the_remedies():
    form = layout(order(3))
    assert form.title == "责令限期整改指令书" and form.number == "（厦湖）应急责改〔2026〕第0012号"
    assert form.addressee == "厦门鹭岛精密机械有限公司："
    parties = dict(pair for row in blocks_of(form, Fields)[0].rows for pair in row)
    assert parties["统一社会信用代码"] == "91350206MA2XK4L71K"
    assert parties["法定代表人\n（主要负责人）"] == "陈建国" and parties["地址"] == PARTY.address
    (table,) = blocks_of(form, Table)
    assert [c.header for c in table.columns] == ["序号", "事故隐患", "违反的规定", "级别", "整改期限"]
    assert [row[0] for row in table.rows] == ["1", "2", "3"]
    assert all(row[1].startswith(f"第{i}号配电箱未做保护接地。") for i, row in enumerate(table.rows, 1))
    assert {row[4] for row in table.rows} == {"2026年12月8日"}
    text = prose(form)
    assert f"依据{LEGAL_BASIS}的规定" in text and "第六十五条第一款第（三）项" in text
    assert "六十日内向厦门市湖里区人民政府申请行政复议" in text and "六个月内依法向人民法院提起行政诉讼" in text
    assert "撤出作业人员" not in text  # no major hazard, no stop-work paragraph


def test_a_major_hazard_brings_the_stop_work_paragraph():
    form = layout(order(3, hazards=hazards(3, major_every=2)))
    assert [row[3] for row in blocks_of(form, Table)[0].rows] == ["一般", "重大", "一般"]
    assert "从危险区域内撤出作业人员" in prose(form)


def test_the_orders_signature_boxes_and_its_receipt_before_and_after_signing():
    (unsigned,) = blocks_of(layout(order()), Signatures)
    assert unsigned.officers == ("王建华（执法证号：35020600012）", "李明（执法证号：________）")
    assert unsigned.seal == "厦门市湖里区应急管理局" and unsigned.seal_date == "2026年12月1日"
    assert unsigned.receipt_label == "被检查单位负责人（签收）" and unsigned.receipt is None
    signed = order().signed(Receipt("张三", datetime(2026, 12, 1, 3, 5, tzinfo=UTC)))
    (box,) = blocks_of(layout(signed), Signatures)
    assert box.receipt == "张三　2026年12月1日11时05分（在线签收）"


def test_the_inspection_record_tables_every_item_and_counts_them():
    results = (
        ItemResult("疏散通道畅通", "GB 55036-2022 第2.0.10条", "现场查看", "pass"),
        ItemResult("配电箱接地", "GB 50054-2011 第5.2.1条", "现场查看", "fail", "无接地线", "YH-350206-2026-000001"),
        ItemResult("动火作业审批", "GB 30871-2022 第5.2条", "查资料", "na"),
    )
    facts = replace(order(0), kind=Kind.INSPECTION_RECORD, results=results, checklist="消防（第1版）", notes=("补记",))
    form = layout(facts)
    assert form.title == "现场检查记录" and form.addressee is None
    (table,) = blocks_of(form, Table)
    assert [row[4] for row in table.rows] == ["符合", "不符合", "不适用"]
    assert table.rows[1][5] == "无接地线\n隐患编号：YH-350206-2026-000001"
    text = prose(form)
    assert "共检查3项：符合1项，不符合1项，不适用1项。发现事故隐患1项" in text
    assert "执法人员王建华、李明，证件号码为35020600012、________" in text and "补充记录：补记" in text
    assert blocks_of(form, Signatures)[0].receipt_label == "被检查单位现场负责人（签名）"


def test_the_review_opinion_cites_the_order_and_says_what_the_review_found():
    cited = OrderRef("（厦湖）应急责改〔2026〕第0012号", date(2026, 12, 1))
    approved = replace(order(1), kind=Kind.REVIEW_OPINION, order=cited,
                       review=Review(True, date(2026, 12, 9), "赵六", "已更换", on_site=True))  # fmt: skip
    form = layout(approved)
    assert form.title == "整改复查意见书"
    text = prose(form)
    assert "作出了《责令限期整改指令书》（厦湖）应急责改〔2026〕第0012号，并于2026年12月9日" in text
    assert "同意销号" in text and "现场核验" in text and "复查意见：已更换" in text and "行政复议" not in text
    assert blocks_of(form, Table)[0].rows[0][3] == "合格"
    rejected = replace(approved, order=None, review=Review(False, date(2026, 12, 9), "赵六", "", False, DEADLINE))
    text = prose(layout(rejected))
    assert "本机关于2026年12月9日对你单位下列事故隐患的整改情况进行了复查" in text
    assert "于2026年12月8日前继续整改" in text and "申请行政复议" in text


# --- the rules of issuing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_only_inspectors_and_supervisors_issue(role):
    actor = Actor(1, role, "/350200/")
    if role in (Role.INSPECTOR, Role.SUPERVISOR):
        check_issuer(actor)
    else:
        with pytest.raises(Forbidden):
            check_issuer(actor)


def test_the_kinds_of_each_record_and_what_a_correction_may_replace():
    assert (
        check_kind("rectification_order", (Kind.INSPECTION_RECORD, Kind.RECTIFICATION_ORDER))
        is Kind.RECTIFICATION_ORDER
    )
    with pytest.raises(RuleViolation) as refused:
        check_kind("review_opinion", (Kind.INSPECTION_RECORD, Kind.RECTIFICATION_ORDER))
    assert "kind" in refused.value.fields
    check_supersedes(Kind.RECTIFICATION_ORDER, Kind.RECTIFICATION_ORDER, same_subject=True, superseded=False)
    with pytest.raises(RuleViolation):
        check_supersedes(Kind.INSPECTION_RECORD, Kind.RECTIFICATION_ORDER, same_subject=True, superseded=False)
    with pytest.raises(RuleViolation):
        check_supersedes(Kind.RECTIFICATION_ORDER, Kind.RECTIFICATION_ORDER, same_subject=False, superseded=False)
    with pytest.raises(Conflict):
        check_supersedes(Kind.RECTIFICATION_ORDER, Kind.RECTIFICATION_ORDER, same_subject=True, superseded=True)


# --- breaking Chinese lines ----------------------------------------------------------------------------------------


def width(text: str) -> float:  # a monospace stand-in: a Chinese character 2, anything else 1
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def test_lines_keep_to_the_width_and_never_start_with_a_closing_mark():
    text = "经查，你单位二号车间（东侧）配电箱未做保护接地。依据《中华人民共和国安全生产法》第六十五条，" * 4
    lines = wrap(width, text, 21)
    assert "".join(lines) == text
    assert all(width(line) <= 21 for line in lines)
    assert not any(line[0] in NO_START for line in lines[1:])
    assert not any(line[-1] in NO_END for line in lines)


def test_a_latin_run_stays_whole_when_it_fits_and_newlines_are_kept():
    lines = wrap(width, "隐患编号YH-350206-2026-000123已登记\n第二行", 24)
    assert "YH-350206-2026-000123" in lines[1] and lines[-1] == "第二行"
    assert all(width(line) <= 24 for line in lines)
    assert "".join(wrap(width, "A" * 50, 10)) == "A" * 50  # longer than a line: broken where it must be
    assert wrap(width, "编号YH-350206-2026-000123", 16) == ["编号YH-350206-", "2026-000123"]  # after a hyphen
    assert wrap(width, "", 10) == [""]


# --- the PDF ----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def font():
    return find_font()


def pdftotext(pdf: bytes, *pages: int) -> str:
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    done = subprocess.run(["pdftotext", "-layout", *first_last, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_order_pdf_says_who_what_and_by_when_in_an_embedded_font(font):
    facts = order(4)
    pdf = document_pdf(layout(facts), font, issued_at=ISSUED_AT)
    text = flat(pdftotext(pdf))
    wanted = ("厦门鹭岛精密机械有限公司", "91350206MA2XK4L71K", "（厦湖）应急责改〔2026〕第0012号", "2026年12月8日",
              "第六十五条第一款第（三）项", "被检查单位负责人（签收）", "（印章）")  # fmt: skip
    for needed in wanted:
        assert needed in text, needed
    for h in facts.hazards:
        assert flat(h.title) in text
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), fonts  # emb, sub, uni


def test_the_pdf_identifies_itself_as_pdf_a_4(font):
    pdf = document_pdf(layout(order()), font, issued_at=ISSUED_AT)
    assert pdf.startswith(b"%PDF-2.0")
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>4</pdfaid:part>" in xmp and "<pdfaid:rev>2020</pdfaid:rev>" in xmp
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    # PDF 2.0 keeps the document's metadata in XMP (the Info dictionary is deprecated, and fpdf2 writes none)
    assert '<rdf:li xml:lang="x-default">责令限期整改指令书 （厦湖）应急责改〔2026〕第0012号</rdf:li>' in xmp
    assert "<rdf:li>厦门市湖里区应急管理局</rdf:li>" in xmp and reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_long_order_repeats_the_table_header_and_the_number_on_every_page(font):
    pdf = document_pdf(layout(order(20)), font, issued_at=ISSUED_AT)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 3  # 3 with WenQuanYi Micro Hei
    for page in range(1, pages + 1):
        text = flat(pdftotext(pdf, page))
        assert "序号事故隐患违反的规定级别整改期限" in text or page == pages
        assert "（厦湖）应急责改〔2026〕第0012号" in text and f"第{page}页共{pages}页" in text
    whole = flat(pdftotext(pdf))
    assert all(f"第{i}号配电箱未做保护接地" in whole for i in range(1, 21))


def test_a_description_longer_than_a_page_is_printed_whole(font):
    long = replace(hazards(1)[0], description="很长的描述，" * 700)
    pdf = document_pdf(layout(order(hazards=(long,))), font, issued_at=ISSUED_AT)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 3
    assert pdftotext(pdf).count("很") == 700  # every character, though pages (and their headers) cut the text
