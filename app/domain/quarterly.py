"""The quarterly 隐患排查治理情况统计分析表 (Order 16 Art. 14): the quarter, the cells and their rules.

Pure: the read side hands in each finding as it stood at the quarter's end (its state, its plan, its listing);
this module says which count it joins, per sector (行业和领域), and what the plans' funds add up to in 万元.

- A finding counts in the quarter its hazard was observed in (observed_at, Asia/Shanghai), as /stats does.
- Its state is the one it had at the quarter's end (截至季末, as regulators report it), read from its events:
  closed then is 已整改, whatever happened after; voided then is not counted; a grid worker's report still
  waiting for triage then is not counted either (it is not yet a confirmed hazard, and its level is only a
  suggestion), but the notes say how many there were.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from app.domain.calendar import SHANGHAI
from app.domain.sectors import BY_CODE

QUARTERS = (1, 2, 3, 4)
OTHER_SECTOR = "other"  # findings with no enterprise, or an enterprise of an unknown sector, go to 其他
TOTAL_NAME = "合计"
FIVE_ELEMENTS = ("measures", "responsible", "funds", "time_limit", "contingency")  # 措施、责任、资金、时限、预案
# A plan element that only says it is not settled yet is not 落实 (in place).
PLACEHOLDERS = frozenset({"待定", "未定", "待落实", "待核算", "暂无", "不详", "另定", "-", "/", "—", "无"})


# --- the quarter -------------------------------------------------------------------------------------------


def quarter_days(year: int, quarter: int) -> tuple[date, date]:
    """The first and the last day of the quarter (calendar days in Shanghai)."""
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(after.toordinal() - 1)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """[start, end) of the quarter as UTC moments: Q1 2026 is 2026-01-01 00:00 to 2026-04-01 00:00 +08:00."""
    first, last = quarter_days(year, quarter)
    start = datetime.combine(first, time(), SHANGHAI)
    end = datetime.combine(date.fromordinal(last.toordinal() + 1), time(), SHANGHAI)
    return start.astimezone(UTC), end.astimezone(UTC)


def quarter_of(moment: datetime) -> tuple[int, int]:
    """The (year, quarter) a moment falls in, in Shanghai."""
    local = moment.astimezone(SHANGHAI)
    return local.year, (local.month - 1) // 3 + 1


def period_label(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- 治理资金: the plan's funds text as 万元 --------------------------------------------------------------

_UNIT_WAN = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1),
             "千元": Decimal("0.1"), "元": Decimal("0.0001")}  # fmt: skip
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_TENS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_AMOUNT = re.compile(_NUMBER + r"\s*(亿元|亿|万元|万|千元|元)")
_RANGE = re.compile(r"\d\s*(?:[-~～至到]|—)\s*\d")


def _cn_number(text: str) -> Decimal | None:
    """十五 → 15, 三千五百 → 3500, 两 → 2: the small numbers people write in words; None if not one."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            if digit is not None:
                return None  # 二三: not a number as written
            digit = _CN_DIGITS[char]
        elif char in _CN_TENS:
            total += (1 if digit is None else digit) * _CN_TENS[char]
            digit = None
        else:
            return None
    return Decimal(total + (digit or 0))


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text[0].isdigit() else _cn_number(text)


def parse_funds(text: str | None) -> Decimal | None:
    """The plan's 经费 as 万元, or None when it names no single amount.

    "12万元" → 12, "5000元" → 0.5, "3.5万" → 3.5, "约2万元" → 2, "两万元" → 2, "1.2亿元" → 12000. Text with no
    amount, a range ("5-8万元") or several amounts ("设备3万元，人工5000元": a sum or a budget and its part?) is
    None: the report counts it as unknown and says so under the table, rather than guess.
    """
    if not text:
        return None
    normal = unicodedata.normalize("NFKC", text)
    normal = re.sub(r"(?<=\d)[,，](?=\d{3})", "", normal)  # 12,000元
    if _RANGE.search(normal):
        return None
    amounts = _AMOUNT.findall(normal)
    if len(amounts) != 1:
        return None
    number, unit = amounts[0]
    value = _number(number)
    return None if value is None else value * _UNIT_WAN[unit]


# --- one finding, and the cells ----------------------------------------------------------------------------


def present(value) -> bool:
    """An element of the plan is in place: written, and not a placeholder such as 待定."""
    if value is None:
        return False
    text = str(value).strip()
    return bool(text) and text not in PLACEHOLDERS


def five_in_place(plan: dict | None) -> bool:
    """其中"五落实": the plan has its measures, responsible, funds, time limit and contingency, each in place."""
    return plan is not None and all(present(plan.get(name)) for name in FIVE_ELEMENTS)


def rate(done: int, found: int) -> float | None:
    """整改率 as a fraction 0..1, 4 places; None when nothing was found (shown as —, never 0% or 100%)."""
    return None if found == 0 else round(done / found, 4)


@dataclass(frozen=True)
class Hazard:
    """One finding as the table counts it (or `count` findings alike): its state, plan and listing as they were
    at the quarter's end."""

    number: str | None
    sector: str | None  # the enterprise's sector code; None without an enterprise
    level: str  # general | major
    state: str  # at the quarter's end
    plan: dict | None = None  # the six elements of its latest plan submitted by then
    listed: str | None = None  # province | city | county: its latest listing made by then
    count: int = 1  # findings alike in all of the above (the read side counts them per cell)


@dataclass
class Row:
    sector: str  # the code, "" for the 合计 row
    name: str
    general_found: int = 0
    general_closed: int = 0
    major_found: int = 0
    major_closed: int = 0
    planned: int = 0  # 列入治理计划
    five_in_place: int = 0  # 其中"五落实"
    province: int = 0  # 挂牌督办 省级
    city: int = 0  # 挂牌督办 市级
    funds: Decimal = Decimal(0)  # 治理资金, 万元, of the amounts that could be read
    funds_unknown: int = 0  # plans whose funds name no amount

    @property
    def general_rate(self) -> float | None:
        return rate(self.general_closed, self.general_found)

    @property
    def major_rate(self) -> float | None:
        return rate(self.major_closed, self.major_found)

    def add(self, h: Hazard) -> None:
        n, closed = h.count, h.state == "closed"
        if h.level == "general":
            self.general_found += n
            self.general_closed += n * closed
            return
        self.major_found += n
        self.major_closed += n * closed
        self.province += n * (h.listed == "province")
        self.city += n * (h.listed == "city")
        if h.plan is None:
            return
        self.planned += n
        self.five_in_place += n * five_in_place(h.plan)
        amount = parse_funds(h.plan.get("funds"))
        if amount is None:
            self.funds_unknown += n
        else:
            self.funds += n * amount


@dataclass
class Table:
    rows: list[Row]
    total: Row
    unknown_funds: list[str] = field(default_factory=list)  # the numbers of the findings whose funds are unknown
    awaiting_triage: int = 0  # reports still waiting for triage at the quarter's end: not counted
    voided: int = 0  # voided by the quarter's end: not counted


def sector_of(code: str | None) -> str:
    return code if code in BY_CODE else OTHER_SECTOR


def tabulate(hazards: list[Hazard]) -> Table:
    """One row per sector that has a counted finding, in the sectors' own order (其他 last), and the 合计."""
    rows: dict[str, Row] = {}
    total = Row("", TOTAL_NAME)
    table = Table([], total)
    for h in hazards:
        if h.state == "voided":
            table.voided += h.count
            continue
        if h.state == "reported":
            table.awaiting_triage += h.count
            continue
        code = sector_of(h.sector)
        row = rows.setdefault(code, Row(code, BY_CODE[code].name_zh))
        row.add(h)
        total.add(h)
        if h.level == "major" and h.plan is not None and parse_funds(h.plan.get("funds")) is None:
            table.unknown_funds.extend([h.number or ""] * h.count)
    order = list(BY_CODE)
    table.rows = sorted(rows.values(), key=lambda r: order.index(r.sector))
    table.unknown_funds.sort()
    return table


@dataclass(frozen=True)
class Heading:
    """Who the table is for, and the lines under it: an enterprise's signature, or the regulator's unit."""

    year: int
    quarter: int
    as_of: datetime  # the quarter's end, or now while the quarter is still running
    filed_on: date
    scope: str  # what the table covers: 厦门市, 全部区域, or the enterprise's name
    filer: str  # the caller's name
    unit: str | None = None  # 填报单位 of a regulator's table (the home area's name); None: written by hand
    enterprise: str | None = None  # set for an enterprise officer's table
    principal: str | None = None  # the enterprise's 主要负责人 (contact_name)

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def span(self) -> str:
        first, last = quarter_days(self.year, self.quarter)
        return f"{cn_date(first)}至{cn_date(last)}"

    @property
    def subtitle(self) -> str:
        return f"{self.period}（{self.span}）"

    @property
    def scope_line(self) -> str:
        if self.enterprise is None:
            return f"统计范围：{self.scope}"
        return f"企业名称：{self.enterprise}" + (f"　　主要负责人：{self.principal}" if self.principal else "")

    @property
    def running(self) -> bool:
        return self.as_of < quarter_bounds(self.year, self.quarter)[1]


TITLE = "隐患排查治理情况统计分析表"
GROUPS = (("一般隐患", 3), ("重大隐患", 7))
COLUMNS = ("排查", "已整改", "整改率", "排查", "已整改销号", "整改率", "列入治理计划", "其中“五落实”",
           "省级挂牌督办", "市级挂牌督办")  # fmt: skip
SECTOR_HEADER = "行业和领域"
FUNDS_HEADER = "治理资金（万元）"
RATE_COLUMNS = (2, 5)  # among the row's values: the two 整改率


def values(row: Row) -> list:
    """The row's cells after its name, in the columns' order: counts, rates (a fraction or None), funds."""
    return [
        row.general_found, row.general_closed, row.general_rate,
        row.major_found, row.major_closed, row.major_rate, row.planned, row.five_in_place, row.province, row.city,
        row.funds,
    ]  # fmt: skip


def notes(table: Table, heading: Heading) -> list[str]:
    """The 说明 under the table, numbered: what was counted, as of when, and what could not be."""
    moment = heading.as_of.astimezone(SHANGHAI)
    when = f"{cn_date(moment.date())} {moment:%H:%M}" if heading.running else "季末"
    running = "（本季度尚未结束）" if heading.running else ""
    lines = [
        f"本表统计{heading.span}发现的隐患，状态截至{when}{running}；已撤销的不计入；整改率＝已整改÷排查。",
        "列入治理计划指已提交治理方案的重大隐患；“五落实”指整改措施、责任、资金、时限和应急预案均已落实；"
        f"挂牌督办按截至{when}的挂牌级别统计（含已摘牌）。",
    ]
    if table.awaiting_triage:
        lines.append(f"另有{table.awaiting_triage}项网格员上报的隐患截至{when}尚待确认，未计入。")
    if table.unknown_funds:
        shown = "、".join(n for n in table.unknown_funds[:10] if n)
        more = "等" if len(table.unknown_funds) > 10 else ""
        lines.append(
            f"{len(table.unknown_funds)}项治理方案的经费未写明单一金额，未计入治理资金"
            + (f"（{shown}{more}）。" if shown else "。")
        )
    return [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


def sign_lines(heading: Heading) -> list[str]:
    """The lines to sign: the enterprise's 主要负责人, or the regulator's 填报单位 / 填报人 / 审核人 / 填报日期."""
    if heading.enterprise is not None:
        return [f"填报人：{heading.filer}", "主要负责人（签字）：__________", "日期：____年__月__日"]
    return [f"填报单位：{heading.unit or '__________'}", f"填报人：{heading.filer}", "审核人：__________",
            f"填报日期：{cn_date(heading.filed_on)}"]  # fmt: skip
