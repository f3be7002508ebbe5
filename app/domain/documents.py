"""The enforcement documents (安全生产执法文书) of an inspection: what each is, its 文号, the facts it is drawn from,
and who may issue which.

A 文号 follows the forms' own pattern, （机关简称）类别代字〔年份〕第NNNN号: the issuing authority's short form (厦湖
for 厦门市湖里区应急管理局), the form's 代字 of the 应急管理部 安全生产执法文书 样式 (应急检记, 应急责改, 应急复查),
the year of issue in Asia/Shanghai and a serial counted per (authority, kind, year) without gaps.

A document is drawn once from its Facts and never changes. The Facts are kept with it (as JSON), so the copy the
enterprise signs for (签收) is the same order drawn again with its receipt, not a fresh view of findings that
may have moved on since.
"""

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from app.domain.actors import Actor
from app.domain.calendar import SHANGHAI
from app.domain.errors import Conflict, Forbidden, RuleViolation
from app.domain.terms import Role


class Kind(StrEnum):
    INSPECTION_RECORD = "inspection_record"  # 现场检查记录
    RECTIFICATION_ORDER = "rectification_order"  # 责令限期整改指令书
    REVIEW_OPINION = "review_opinion"  # 整改复查意见书


TITLES = {
    Kind.INSPECTION_RECORD: "现场检查记录",
    Kind.RECTIFICATION_ORDER: "责令限期整改指令书",
    Kind.REVIEW_OPINION: "整改复查意见书",
}
CODES = {Kind.INSPECTION_RECORD: "应急检记", Kind.RECTIFICATION_ORDER: "应急责改", Kind.REVIEW_OPINION: "应急复查"}
INSPECTION_KINDS = (Kind.INSPECTION_RECORD, Kind.RECTIFICATION_ORDER)  # POST /inspections/{id}/documents
FINDING_KINDS = (Kind.REVIEW_OPINION,)  # POST /findings/{id}/documents
ISSUERS = frozenset({Role.INSPECTOR, Role.SUPERVISOR})  # the enforcers; admins keep the system, not the seal
SHORT_NAME = re.compile(r"^[\u4e00-\u9fff]{1,6}$")

ISSUED, SIGNED = "issued", "signed"  # editions: as issued, and the copy the enterprise signed for (same 文号)


def document_number(short_name: str, kind: Kind, year: int, serial: int) -> str:
    """（厦湖）应急责改〔2026〕第0012号: full-width brackets as the printed forms have them, four digits at least."""
    return f"（{short_name}）{CODES[kind]}〔{year}〕第{serial:04d}号"


def short_name_problem(short_name: str) -> str | None:
    if not SHORT_NAME.match(short_name or ""):
        return "One to six Chinese characters, e.g. 厦湖."
    return None


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_moment(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分"


# --- the facts a document is drawn from --------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    name: str  # 厦门市湖里区应急管理局
    short_name: str  # 厦湖
    review_body: str  # 行政复议机关: 厦门市湖里区人民政府


@dataclass(frozen=True)
class Party:
    """被检查单位."""

    name: str
    credit_code: str
    address: str
    principal: str  # 法定代表人/主要负责人
    phone: str = ""


@dataclass(frozen=True)
class Officer:
    name: str
    cert_no: str | None = None  # 执法证号


@dataclass(frozen=True)
class ItemResult:
    """One line of the 现场检查记录: a checklist item and what was found."""

    content: str
    basis: str
    method: str  # 查资料, 现场查看, 询问
    result: str  # pass, fail, na
    note: str = ""
    finding_number: str | None = None


@dataclass(frozen=True)
class Hazard:
    """One line of the order's table: a finding and the day it must be fixed by."""

    number: str
    title: str
    description: str
    basis: str
    major: bool
    deadline: date | None


@dataclass(frozen=True)
class Review:
    approved: bool
    reviewed_on: date
    reviewer: str
    comment: str = ""
    on_site: bool = False
    deadline: date | None = None  # after a rejection: the day the work must now be done by


@dataclass(frozen=True)
class OrderRef:
    number: str
    issued_on: date


@dataclass(frozen=True)
class Receipt:
    """签收: the enterprise officer's acknowledgment of the order."""

    name: str
    at: datetime


@dataclass(frozen=True)
class Facts:
    kind: Kind
    number: str
    authority: Authority
    party: Party
    issued_on: date
    officers: tuple[Officer, ...]
    inspected_on: date | None = None
    checklist: str | None = None
    campaign: str | None = None
    results: tuple[ItemResult, ...] = ()
    hazards: tuple[Hazard, ...] = ()
    review: Review | None = None
    order: OrderRef | None = None
    receipt: Receipt | None = None
    notes: tuple[str, ...] = field(default=())  # later words on the inspection (检查记录 only)

    def signed(self, receipt: Receipt) -> "Facts":
        return replace(self, receipt=receipt)


def facts_to_json(facts: Facts) -> dict:
    def plain(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return plain(asdict(facts))


def facts_from_json(data: dict) -> Facts:
    def day(text):
        return date.fromisoformat(text) if text else None

    def maybe(cls, value, **dates):
        if value is None:
            return None
        return cls(**{**value, **{k: conv(value.get(k)) for k, conv in dates.items()}})

    return Facts(
        kind=Kind(data["kind"]),
        number=data["number"],
        authority=Authority(**data["authority"]),
        party=Party(**data["party"]),
        issued_on=day(data["issued_on"]),
        officers=tuple(Officer(**o) for o in data["officers"]),
        inspected_on=day(data.get("inspected_on")),
        checklist=data.get("checklist"),
        campaign=data.get("campaign"),
        results=tuple(ItemResult(**r) for r in data.get("results", ())),
        hazards=tuple(Hazard(**{**h, "deadline": day(h["deadline"])}) for h in data.get("hazards", ())),
        review=maybe(Review, data.get("review"), reviewed_on=day, deadline=day),
        order=maybe(OrderRef, data.get("order"), issued_on=day),
        receipt=maybe(Receipt, data.get("receipt"), at=datetime.fromisoformat),
        notes=tuple(data.get("notes", ())),
    )


# --- the rules of issuing -----------------------------------------------------------------------------------


def check_issuer(actor: Actor) -> None:
    if actor.role not in ISSUERS:
        raise Forbidden(f"A {actor.role.value} may not issue enforcement documents.")


def check_kind(kind: str, allowed: tuple[Kind, ...]) -> Kind:
    if kind not in {k.value for k in allowed}:
        raise RuleViolation("Not a document of this record.", {"kind": f"One of: {', '.join(allowed)}."})
    return Kind(kind)


def check_order_has_hazards(hazards: tuple[Hazard, ...]) -> None:
    if not hazards:
        raise RuleViolation(
            "The inspection found no hazard: there is nothing to order.",
            {"kind": "A rectification order lists the inspection's findings; it has none."},
        )


def check_supersedes(old_kind: Kind, kind: Kind, same_subject: bool, superseded: bool) -> None:
    """A correction replaces a document of the same kind about the same thing, and only the current one."""
    if old_kind is not kind or not same_subject:
        raise RuleViolation("A correction replaces a document of the same kind.", {"supersedes": "Not that one."})
    if superseded:
        raise Conflict("That document was already superseded.", {"supersedes": "Correct the current one."})
