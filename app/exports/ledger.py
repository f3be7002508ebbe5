"""The 台账's columns, in the regulators' order, and how one finding becomes its cells: the one definition every
format writes (CSV, XLSX; GeoJSON takes its properties from the same row). Pure: no database, no Flask.

A cell is a str, an int, a date, a datetime in Asia/Shanghai (naive: a spreadsheet has no zones) or None (empty).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.actors import Actor
from app.domain.calendar import SHANGHAI, days_overdue
from app.domain.sectors import BY_CODE
from app.domain.statistics import STATE_NAMES
from app.domain.terms import Level, Nature, Role, State, SupervisionLevel
from app.read.presenting import person

STATE_WORDS = STATE_NAMES  # the statistics' names: one word for each state on every sheet
LEVEL_WORDS = {Level.GENERAL: "一般", Level.MAJOR: "重大"}
NATURE_WORDS = {
    Nature.UNSAFE_CONDITION: "物的不安全状态",
    Nature.UNSAFE_ACT: "人的不安全行为",
    Nature.MANAGEMENT_DEFECT: "管理缺陷",
}
LISTING_WORDS = {SupervisionLevel.PROVINCE: "省级", SupervisionLevel.CITY: "市级", SupervisionLevel.COUNTY: "县级"}
ROLE_WORDS = {
    Role.INSPECTOR: "检查员",
    Role.GRID_WORKER: "网格员",
    Role.ENTERPRISE_OFFICER: "企业安全员",
    Role.SUPERVISOR: "审核人",
    Role.ADMIN: "管理员",
    Role.SYSTEM: "系统",
}
# A rectification's date stands for the fix being looked at or accepted; after a rejection it is the refused one.
RECTIFIED_STATES = frozenset({State.PENDING_REVIEW.value, State.CLOSED.value})


@dataclass(frozen=True)
class Column:
    title: str
    kind: str  # text, date, moment (date and time), number
    width: int  # in characters, for the spreadsheet


# fmt: off
COLUMNS: tuple[Column, ...] = (
    Column("隐患编号", "text", 24), Column("企业名称", "text", 28), Column("统一社会信用代码", "text", 21),
    Column("所在区域", "text", 32), Column("行业", "text", 16), Column("隐患类别", "text", 20),
    Column("隐患等级", "text", 9), Column("隐患性质", "text", 15), Column("判定依据", "text", 40),
    Column("隐患描述", "text", 48), Column("发现人", "text", 24), Column("发现时间", "moment", 17),
    Column("整改期限", "date", 11), Column("延期至", "date", 11), Column("状态", "text", 9),
    Column("整改完成日期", "date", 13), Column("验收人", "text", 12), Column("现场核验", "text", 9),
    Column("销号时间", "moment", 17), Column("逾期天数", "number", 9), Column("挂牌督办", "text", 9),
)
# fmt: on
HEADER: tuple[str, ...] = tuple(column.title for column in COLUMNS)


@dataclass(frozen=True)
class LedgerContext:
    """What every row of one export shares: who reads it, the day it is judged on, and the small lists its
    codes are names in."""

    viewer: Actor
    today: date
    categories: Mapping[int, Mapping]  # id -> {code, name_zh, name_en}
    criteria: Mapping[int, Mapping]  # id -> {criterion, title, document_number}
    area_names: Mapping[str, str]  # area code -> name
    _labels: dict = field(default_factory=dict, compare=False, repr=False)  # path -> area_label, as rows come

    def area(self, path: str) -> str:
        label = self._labels.get(path)
        if label is None:
            label = self._labels[path] = area_label(path, self.area_names)
        return label


def extension_dates(deadline: date | None, approved: list[tuple[date | None, date]]) -> tuple[date | None, date | None]:
    """(整改期限, 延期至) of a finding whose deadline is `deadline` now, from its approved extensions
    (previous deadline, granted deadline), oldest first.

    延期至 is the deadline in force when approved extensions set it: the current deadline, if the latest
    extension granted exactly it. 整改期限 is then the deadline those extensions moved: followed back through
    extensions granted one on the other, to the term an order (the confirm, a rejection, a reopening) set. A
    deadline that a rejection or a reopening set after an extension is a new term, not an extension."""
    term = deadline
    for previous, granted in reversed(approved):
        if term is None or granted != term:
            break
        term = previous
    if term == deadline:
        return deadline, None
    return term, deadline


def area_label(path: str, names: Mapping[str, str]) -> str:
    """The finding's place from its district down, as Chinese writes it: 湖里区殿前街道高殿社区第一网格. A name
    that already begins with its parent's (湖里区第1街道) replaces it instead of repeating it."""
    codes = [code for code in path.strip("/").split("/") if code]
    label = ""
    for code in codes[1:] if len(codes) > 1 else codes:
        name = names.get(code, code)
        label = name if label and name.startswith(label) else label + name
    return label


def local(moment: datetime | None) -> datetime | None:
    """A stored moment as the wall-clock time in Shanghai, naive (spreadsheets and CSV readers have no zones)."""
    return None if moment is None else moment.astimezone(SHANGHAI).replace(tzinfo=None)


def reporter_name(row: Mapping, viewer: Actor) -> str:
    """发现人: the reporter's name, unless the viewer may not know it (举报人保密: an enterprise is never told which
    grid worker reported it): then the role and the reporting unit, as the finding's own page says it."""
    who = person(
        viewer,
        row["reporter_id"],
        row["reporter_username"],
        row["reporter_display_name"],
        row["reporter_role"],
        row["reporter_unit"],
    )
    if who["username"] is not None:
        return who["display_name"] or who["username"]
    role = _word(ROLE_WORDS, who["role"])
    return f"{role}（{who['unit']}）" if who["unit"] else role


def basis(row: Mapping, criteria: Mapping[int, Mapping]) -> str:
    """判定依据: the cited standard's title and the clause."""
    criterion = criteria.get(row["criterion_id"]) if row["criterion_id"] is not None else None
    if criterion is None:
        return ""
    return f"{criterion['title']} {row['major_clause'] or ''}".strip()


def description(row: Mapping) -> str:
    """隐患描述: the hazard's title, then what the reporter wrote about it."""
    title, text = (row["title"] or "").strip(), (row["description"] or "").strip()
    return f"{title}：{text}" if text and text != title else title


def _word(words: Mapping, value: str | None) -> str:
    """The Chinese word for a stored code (the StrEnum keys look up by their string); the code if it has none."""
    return "" if value is None else words.get(value, value)


def cells(row: Mapping, approved: list[tuple[date | None, date]], ctx: LedgerContext) -> tuple:
    """One finding's cells, in COLUMNS' order. `row` has finding_rows' columns plus enterprise_sector and
    reviewer_name; `approved` its approved extensions (previous, granted), oldest first."""
    status = row["status"]
    term, extended_to = extension_dates(row["deadline"], approved)
    closed = status == State.CLOSED.value
    sector = row["enterprise_sector"]
    category = ctx.categories.get(row["category_id"])
    return (
        row["number"] or "",
        row["enterprise_name"] or "",
        row["enterprise_credit_code"] or "",
        ctx.area(row["area_path"]),
        (BY_CODE[sector].name_zh if sector in BY_CODE else sector) or "",
        category["name_zh"] if category else "",
        _word(LEVEL_WORDS, row["level"]),
        _word(NATURE_WORDS, row["nature"]),
        basis(row, ctx.criteria),
        description(row),
        reporter_name(row, ctx.viewer),
        local(row["observed_at"]),
        term,
        extended_to,
        _word(STATE_WORDS, status),
        row["rectified_on"] if status in RECTIFIED_STATES else None,
        (row["reviewer_name"] or "") if closed else "",
        ("是" if row["review_on_site"] else "否") if closed else "",
        local(row["closed_at"]) if closed else None,
        days_overdue(State(status), row["deadline"], ctx.today),
        _word(LISTING_WORDS, row["supervision_level"]),
    )
