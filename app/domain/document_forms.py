"""The layout of each enforcement form as data: title, 文号, parties, paragraphs, the table, the signature and seal
boxes, the enterprise's 签收 box. The renderer (app/exports/documents_pdf.py) only draws what this says, so the
wording of a form is read and tested here, without a PDF.

The wording follows the 应急管理部 安全生产执法文书 样式 of each form; the order cites 《中华人民共和国安全生产法》
第六十五条第一款第（三）项 (a hazard found in an inspection is ordered removed, a major one with the work in the
danger zone stopped), and its remedies are those of 行政复议法 (60 days, to the review body of the authority) and
行政诉讼法 (6 months).
"""

from dataclasses import dataclass

from app.domain.documents import TITLES, Facts, Kind, cn_date, cn_moment

RESULT_WORDS = {"pass": "符合", "fail": "不符合", "na": "不适用"}
LEGAL_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"
BLANK = "　" * 6  # room left for a hand to write in
NO_CERT = "________"


@dataclass(frozen=True)
class Fields:
    """Ruled label/value rows; a row holds one or two pairs."""

    rows: tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True  # the first line indented by two characters, as Chinese prose is


@dataclass(frozen=True)
class Column:
    header: str
    weight: float  # share of the text width
    align: str = "L"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signatures:
    officers_label: str
    officers: tuple[str, ...]  # 王五（执法证号：35020600012）
    seal: str  # the authority, over its 印章
    seal_date: str
    receipt_label: str
    receipt: str | None  # who signed for it and when; None leaves the box to be signed by hand


@dataclass(frozen=True)
class Form:
    kind: Kind
    title: str
    number: str
    authority: str
    addressee: str | None
    blocks: tuple


def layout(facts: Facts) -> Form:
    blocks = {
        Kind.INSPECTION_RECORD: _record_blocks,
        Kind.RECTIFICATION_ORDER: _order_blocks,
        Kind.REVIEW_OPINION: _review_blocks,
    }[facts.kind](facts)
    addressee = None if facts.kind is Kind.INSPECTION_RECORD else f"{facts.party.name}："
    return Form(facts.kind, TITLES[facts.kind], facts.number, facts.authority.name, addressee, tuple(blocks))


def _officer(o) -> str:
    return f"{o.name}（执法证号：{o.cert_no or NO_CERT}）"


def _party_fields(facts: Facts, first_label: str) -> Fields:
    p = facts.party
    return Fields(
        (
            ((first_label, p.name),),
            (("统一社会信用代码", p.credit_code), ("联系电话", p.phone or "—")),
            (("地址", p.address or "—"),),
            (("法定代表人\n（主要负责人）", p.principal or "—"),),
        )
    )


def _signatures(facts: Facts, officers_label: str, receipt_label: str, with_receipt: bool) -> Signatures:
    receipt = None
    if with_receipt and facts.receipt is not None:
        receipt = f"{facts.receipt.name}　{cn_moment(facts.receipt.at)}（在线签收）"
    return Signatures(
        officers_label=officers_label,
        officers=tuple(_officer(o) for o in facts.officers),
        seal=facts.authority.name,
        seal_date=cn_date(facts.issued_on),
        receipt_label=receipt_label,
        receipt=receipt,
    )


def _record_blocks(facts: Facts) -> list:
    counts = {word: sum(1 for r in facts.results if r.result == code) for code, word in RESULT_WORDS.items()}
    names = "、".join(o.name for o in facts.officers)
    certs = "、".join(o.cert_no or NO_CERT for o in facts.officers)
    inspected = cn_date(facts.inspected_on) if facts.inspected_on else "—"
    rows = tuple(
        (str(i), r.content, r.basis, r.method, RESULT_WORDS[r.result], _record_note(r))
        for i, r in enumerate(facts.results, 1)
    )
    found = counts["不符合"]
    summary = f"共检查{len(facts.results)}项：符合{counts['符合']}项，不符合{found}项，不适用{counts['不适用']}项。" + (
        f"发现事故隐患{found}项，依法责令整改。" if found else "未发现事故隐患。"
    )
    blocks = [
        _party_fields(facts, "被检查单位"),
        Fields(
            (
                (("检查场所", facts.party.address or "—"), ("检查时间", inspected)),
                (("检查清单", facts.checklist or "—"), ("专项行动", facts.campaign or "—")),
            )
        ),
        Paragraph(
            f"我们是{facts.authority.name}的执法人员{names}，证件号码为{certs}，已出示证件。"
            "现依法对你单位进行现场检查，请予以配合。"
        ),
        Paragraph("检查情况：", indent=False),
        Table(
            (
                Column("序号", 6, "C"),
                Column("检查内容", 29),
                Column("依据", 23),
                Column("检查方式", 10, "C"),
                Column("结果", 8, "C"),
                Column("说明", 24),
            ),
            rows,
        ),
        Paragraph(summary),
    ]
    blocks += [Paragraph(f"补充记录：{note}") for note in facts.notes]
    blocks.append(_signatures(facts, "检查人员（签名）", "被检查单位现场负责人（签名）", with_receipt=False))
    return blocks


def _record_note(r) -> str:
    """The inspector's note, and on its own line the number of the finding a failed item made."""
    parts = [r.note] if r.note else []
    if r.finding_number:
        parts.append(f"隐患编号：{r.finding_number}")
    return "\n".join(parts)


def _hazard_text(h) -> str:
    text = h.title if not h.description else f"{h.title}。{h.description}"
    return text.replace("。。", "。")


def _order_blocks(facts: Facts) -> list:
    inspected = cn_date(facts.inspected_on) if facts.inspected_on else cn_date(facts.issued_on)
    rows = tuple(
        (
            str(i),
            _hazard_text(h),
            h.basis or "—",
            "重大" if h.major else "一般",
            cn_date(h.deadline) if h.deadline else "—",
        )
        for i, h in enumerate(facts.hazards, 1)
    )
    blocks = [
        _party_fields(facts, "被检查单位"),
        Paragraph(f"本机关执法人员于{inspected}对你单位进行现场检查，发现你单位存在下列事故隐患："),
        Table(
            (
                Column("序号", 6, "C"),
                Column("事故隐患", 43),
                Column("违反的规定", 25),
                Column("级别", 7, "C"),
                Column("整改期限", 19, "C"),
            ),
            rows,
        ),
        Paragraph(
            f"依据{LEGAL_BASIS}的规定，现责令你单位对上述事故隐患于表列整改期限前整改完毕，达到有关法律法规规章和"
            "标准规定的要求。由此造成事故的，依法追究有关人员的责任。"
        ),
        Paragraph("整改期间，你单位应当采取措施，确保安全生产。对安全生产违法行为，将依法予以行政处罚。"),
    ]
    if any(h.major for h in facts.hazards):
        blocks.append(
            Paragraph(
                "重大事故隐患排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员，暂时停产停业或者"
                "停止使用相关设施、设备；重大事故隐患排除后，经审查同意，方可恢复生产经营和使用。"
            )
        )
    blocks.append(_remedies(facts, "指令"))
    blocks.append(_signatures(facts, "安全生产执法人员（签名）", "被检查单位负责人（签收）", with_receipt=True))
    return blocks


def _remedies(facts: Facts, what: str) -> Paragraph:
    return Paragraph(
        f"如果不服本{what}，可以依法在六十日内向{facts.authority.review_body}申请行政复议，或者在六个月内依法向"
        f"人民法院提起行政诉讼，但本{what}不停止执行，法律另有规定的除外。"
    )


def _review_blocks(facts: Facts) -> list:
    review = facts.review
    reviewed = cn_date(review.reviewed_on)
    if facts.order is not None:
        cited = (
            f"本机关于{cn_date(facts.order.issued_on)}作出了《责令限期整改指令书》{facts.order.number}，"
            f"并于{reviewed}对你单位的整改情况进行了复查，现提出如下意见："
        )
    else:
        cited = f"本机关于{reviewed}对你单位下列事故隐患的整改情况进行了复查，现提出如下意见："
    rows = tuple(
        (h.number, _hazard_text(h), cn_date(h.deadline) if h.deadline else "—", "合格" if review.approved else "不合格")
        for h in facts.hazards
    )
    if review.approved:
        opinion = "经复查，上述事故隐患已整改完毕，达到规定要求，同意销号。"
    else:
        until = f"于{cn_date(review.deadline)}前" if review.deadline else "立即"
        opinion = (
            f"经复查，上述事故隐患整改未达到规定要求，责令你单位{until}继续整改，整改期间应当采取措施，确保安全生产。"
        )
    blocks = [
        _party_fields(facts, "被复查单位"),
        Paragraph(cited),
        Table(
            (Column("隐患编号", 24), Column("事故隐患", 46), Column("整改期限", 16, "C"), Column("复查结论", 14, "C")),
            rows,
        ),
        Paragraph(opinion),
    ]
    if review.on_site:
        blocks.append(Paragraph("复查方式：现场核验。"))
    if review.comment:
        blocks.append(Paragraph(f"复查意见：{review.comment}"))
    if not review.approved:
        blocks.append(_remedies(facts, "意见"))
    blocks.append(_signatures(facts, "安全生产执法人员（签名）", "被复查单位负责人（签收）", with_receipt=False))
    return blocks
