"""The quarterly table's pure rules (app/domain/quarterly.py): the quarter in Shanghai, the funds as 万元, the
整改率, the 五落实 rule and which row and cell each finding joins."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain.quarterly import (
    Hazard,
    Heading,
    five_in_place,
    notes,
    parse_funds,
    quarter_bounds,
    quarter_days,
    quarter_of,
    rate,
    sign_lines,
    tabulate,
    values,
)

CST = timezone(timedelta(hours=8))
PLAN = {"objective": "消除隐患", "measures": "更换防爆电机", "responsible": "李四", "funds": "12万元",
        "time_limit": "2026-09-15", "contingency": "停产检修并设置警戒"}  # fmt: skip


def test_the_last_half_hour_of_march_in_shanghai_is_in_q1():
    late = datetime(2026, 3, 31, 23, 30, tzinfo=CST)  # 15:30 UTC on the same day
    assert quarter_of(late) == (2026, 1)
    start, end = quarter_bounds(2026, 1)
    assert start <= late < end
    assert quarter_of(datetime(2026, 4, 1, 0, 0, tzinfo=CST)) == (2026, 2)
    assert quarter_of(datetime(2026, 3, 31, 16, 0, tzinfo=UTC)) == (2026, 2)  # 00:00 on 1 April in Shanghai


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [(1, date(2026, 1, 1), date(2026, 3, 31)), (2, date(2026, 4, 1), date(2026, 6, 30)),
     (3, date(2026, 7, 1), date(2026, 9, 30)), (4, date(2026, 10, 1), date(2026, 12, 31))],
)  # fmt: skip
def test_quarters_run_from_shanghai_midnight_to_shanghai_midnight(quarter, first, last):
    assert quarter_days(2026, quarter) == (first, last)
    start, end = quarter_bounds(2026, quarter)
    assert start == datetime(first.year, first.month, 1, tzinfo=CST)
    assert start.tzinfo is UTC and start.hour == 16  # 16:00 UTC the day before
    assert end == datetime.combine(last + timedelta(days=1), datetime.min.time(), CST)


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("12万元", Decimal(12)),
        ("5000元", Decimal("0.5")),
        ("3.5万", Decimal("3.5")),
        ("约2万元", Decimal(2)),
        ("12,000元", Decimal("1.2")),
        ("１２万元", Decimal(12)),  # full-width digits, as a Chinese IME types them
        ("预计投入资金8万元（企业自筹）", Decimal(8)),
        ("两万元", Decimal(2)),
        ("十五万元", Decimal(15)),
        ("三千五百元", Decimal("0.35")),
        ("1.2亿元", Decimal(12000)),
        ("2千元", Decimal("0.2")),
        ("0元", Decimal(0)),
    ],
)
def test_funds_are_read_as_wan_yuan(text, wan):
    assert parse_funds(text) == wan


@pytest.mark.parametrize(
    "text", ["", None, "企业自筹", "待定", "5-8万元", "5～8万元", "设备3万元，人工5000元", "50000", "二三万元"]
)
def test_funds_that_name_no_single_amount_are_unknown(text):
    assert parse_funds(text) is None


def test_the_rate_is_closed_over_found_and_none_when_nothing_was_found():
    assert rate(1, 3) == 0.3333
    assert rate(2, 3) == 0.6667
    assert rate(3, 3) == 1.0
    assert rate(0, 4) == 0.0
    assert rate(0, 0) is None


def test_five_in_place_needs_measures_responsible_funds_time_limit_and_contingency():
    assert five_in_place(PLAN)
    assert five_in_place({**PLAN, "objective": ""})  # the objective is not one of the five
    for name in ("measures", "responsible", "funds", "time_limit", "contingency"):
        assert not five_in_place({**PLAN, name: ""}), name
        assert not five_in_place({**PLAN, name: "  "}), name
        assert not five_in_place({**PLAN, name: "待定"}), name
        assert not five_in_place({k: v for k, v in PLAN.items() if k != name}), name
    assert five_in_place({**PLAN, "funds": "企业自筹"})  # written and settled, though no amount to add up
    assert not five_in_place(None)


def major(state="rectifying", plan=None, listed=None, sector="manufacturing", number="YH-1"):
    return Hazard(number, sector, "major", state, plan, listed)


def general(state="rectifying", sector="manufacturing", number="YH-2"):
    return Hazard(number, sector, "general", state)


def test_each_finding_joins_its_sector_row_and_the_total():
    table = tabulate([
        general("closed"), general(), general("voided"), general("reported"),
        major("closed", PLAN, "province"), major(plan={**PLAN, "funds": "5000元"}, listed="city"),
        major(plan={**PLAN, "funds": "待定"}, number="YH-9"), major(listed="county"),
        general("closed", sector="chemical"), general(sector=None), general(sector="no-such-sector"),
    ])  # fmt: skip
    assert [r.name for r in table.rows] == ["制造业", "化工/危险化学品", "其他"]
    making, chemical, other = table.rows
    assert values(making) == [2, 1, 0.5, 4, 1, 0.25, 3, 2, 1, 1, Decimal("12.5")]
    assert values(chemical) == [1, 1, 1.0, 0, 0, None, 0, 0, 0, 0, Decimal(0)]
    assert values(other) == [2, 0, 0.0, 0, 0, None, 0, 0, 0, 0, Decimal(0)]
    assert values(table.total) == [5, 2, 0.4, 4, 1, 0.25, 3, 2, 1, 1, Decimal("12.5")]
    assert table.total.name == "合计"
    assert (table.voided, table.awaiting_triage, table.unknown_funds) == (1, 1, ["YH-9"])
    assert making.funds_unknown == 1


def heading(**overrides):
    values = {"year": 2026, "quarter": 3, "as_of": datetime(2026, 9, 30, 16, tzinfo=UTC),
              "filed_on": date(2026, 10, 8), "scope": "湖里区", "filer": "王科长", "unit": "湖里区"}  # fmt: skip
    return Heading(**{**values, **overrides})


def test_the_notes_say_what_was_counted_and_what_could_not_be():
    table = tabulate([general("reported"), major(plan={**PLAN, "funds": "自筹"}, number="YH-350206-2026-000007")])
    lines = notes(table, heading())
    assert lines[0].startswith("1. 本表统计2026年7月1日至2026年9月30日发现的隐患，状态截至季末；")
    assert lines[2] == "3. 另有1项网格员上报的隐患截至季末尚待确认，未计入。"
    assert lines[3] == "4. 1项治理方案的经费未写明单一金额，未计入治理资金（YH-350206-2026-000007）。"
    running = notes(table, heading(quarter=4, as_of=datetime(2026, 12, 1, 16, 47, tzinfo=UTC)))
    assert "状态截至2026年12月2日 00:47（本季度尚未结束）" in running[0]


def test_a_regulator_signs_as_a_unit_and_an_enterprise_as_its_principal():
    assert sign_lines(heading()) == [
        "填报单位：湖里区", "填报人：王科长", "审核人：__________", "填报日期：2026年10月8日",
    ]  # fmt: skip
    assert sign_lines(heading(unit=None))[0] == "填报单位：__________"
    name = "厦门鹭岛精密机械有限公司"
    company = heading(scope=name, enterprise=name, principal="张三", unit=None)
    assert "主要负责人（签字）：__________" in sign_lines(company)
    assert company.scope_line == "企业名称：厦门鹭岛精密机械有限公司　　主要负责人：张三"
    assert heading().scope_line == "统计范围：湖里区"
    assert heading().subtitle == "2026年第3季度（2026年7月1日至2026年9月30日）"


def test_findings_counted_alike_in_sql_count_as_many():
    one_by_one = tabulate([general("closed")] * 3 + [major("closed", PLAN, "city")] * 2 + [general("voided")] * 4)
    grouped = tabulate([
        Hazard("YH-2", "manufacturing", "general", "closed", count=3),
        Hazard("YH-1", "manufacturing", "major", "closed", PLAN, "city", count=2),
        Hazard("YH-2", "manufacturing", "general", "voided", count=4),
    ])  # fmt: skip
    assert values(grouped.total) == values(one_by_one.total) == [3, 3, 1.0, 2, 2, 1.0, 2, 2, 0, 2, Decimal(24)]
    assert grouped.voided == one_by_one.voided == 4
