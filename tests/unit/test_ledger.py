"""The 台账's columns and cells (app/exports/ledger.py), the CSV cell text, the GeoJSON stream and the file's name:
pure functions, no database."""

import json
import uuid
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest

from app.domain.actors import Actor
from app.domain.terms import Role
from app.exports.csv import csv_chunks, csv_value
from app.exports.filenames import content_disposition, ledger_filename
from app.exports.geojson import geojson_chunks
from app.exports.ledger import COLUMNS, HEADER, LedgerContext, area_label, cells, extension_dates
from app.read.ledger import LedgerRow

D = date(2026, 12, 1)
SUPERVISOR = Actor(1, Role.SUPERVISOR, "/350200/")
OFFICER = Actor(2, Role.ENTERPRISE_OFFICER, None, enterprise_id=7)
AREAS = {"350200": "厦门市", "350206": "湖里区", "350206002": "殿前街道", "350206002001": "高殿社区"}
CATEGORIES = {3: {"code": "fire", "name_zh": "消防安全", "name_en": "Fire"}}
CRITERIA = {5: {"criterion": "gongmao_2023", "title": "工贸企业重大事故隐患判定标准", "document_number": "令第10号"}}


def context(viewer=SUPERVISOR, today=D) -> LedgerContext:
    return LedgerContext(viewer, today, CATEGORIES, CRITERIA, AREAS)


def finding(**overrides) -> dict:
    row = {
        "id": uuid.UUID(int=1),
        "number": "YH-350206-2026-000001",
        "enterprise_name": "厦门测试有限公司",
        "enterprise_credit_code": "91350200MA00000001",
        "enterprise_sector": "chemical",
        "area_path": "/350200/350206/350206002/350206002001/",
        "area_name": "高殿社区",
        "category_id": 3,
        "level": "major",
        "nature": "unsafe_condition",
        "criterion_id": 5,
        "major_clause": "第四条(一)",
        "title": "消防通道被堵塞",
        "description": "二号仓库东侧堆放纸箱。",
        "reporter_id": 9,
        "reporter_username": "gw9",
        "reporter_display_name": "李网格",
        "reporter_role": "grid_worker",
        "reporter_unit": "高殿社区第一网格",
        "observed_at": datetime(2026, 11, 20, 16, 30, tzinfo=UTC),  # 21 Nov 00:30 in Shanghai
        "deadline": date(2026, 11, 25),
        "status": "rectifying",
        "rectified_on": date(2026, 11, 24),
        "reviewer_name": "王审核",
        "review_on_site": True,
        "closed_at": None,
        "supervision_level": "province",
        "lat": 24.5,
        "lng": 118.1,
    }
    return {**row, **overrides}


def test_the_header_is_the_regulators_columns_in_their_order():
    assert HEADER == (
        "隐患编号", "企业名称", "统一社会信用代码", "所在区域", "行业", "隐患类别", "隐患等级", "隐患性质", "判定依据",
        "隐患描述", "发现人", "发现时间", "整改期限", "延期至", "状态", "整改完成日期", "验收人", "现场核验",
        "销号时间", "逾期天数", "挂牌督办",
    )  # fmt: skip
    assert all(column.width >= len(column.title) * 2 - 1 for column in COLUMNS)  # a Chinese title fits its column
    assert {column.kind for column in COLUMNS} == {"text", "date", "moment", "number"}


def test_a_rectifying_major_finding_as_cells():
    got = dict(zip(HEADER, cells(finding(), [(date(2026, 11, 20), date(2026, 11, 25))], context()), strict=True))
    assert got == {
        "隐患编号": "YH-350206-2026-000001",
        "企业名称": "厦门测试有限公司",
        "统一社会信用代码": "91350200MA00000001",
        "所在区域": "湖里区殿前街道高殿社区",
        "行业": "化工/危险化学品",
        "隐患类别": "消防安全",
        "隐患等级": "重大",
        "隐患性质": "物的不安全状态",
        "判定依据": "工贸企业重大事故隐患判定标准 第四条(一)",
        "隐患描述": "消防通道被堵塞：二号仓库东侧堆放纸箱。",
        "发现人": "李网格",
        "发现时间": datetime(2026, 11, 21, 0, 30),  # Shanghai wall-clock time, naive
        "整改期限": date(2026, 11, 20),
        "延期至": date(2026, 11, 25),
        "状态": "整改中",
        "整改完成日期": None,  # a rectification only counts once handed in
        "验收人": "",
        "现场核验": "",
        "销号时间": None,
        "逾期天数": 6,
        "挂牌督办": "省级",
    }


def test_a_closed_general_finding_as_cells():
    row = finding(
        status="closed", level="general", nature=None, criterion_id=None, major_clause=None, supervision_level=None,
        closed_at=datetime(2026, 11, 30, 2, 5, tzinfo=UTC), review_on_site=False, enterprise_sector="no_such",
        description="",
    )  # fmt: skip
    got = dict(zip(HEADER, cells(row, [], context()), strict=True))
    assert (got["状态"], got["隐患等级"], got["隐患性质"], got["判定依据"]) == ("已销号", "一般", "", "")
    assert (got["验收人"], got["现场核验"], got["销号时间"]) == ("王审核", "否", datetime(2026, 11, 30, 10, 5))
    assert (got["整改期限"], got["延期至"], got["整改完成日期"]) == (date(2026, 11, 25), None, date(2026, 11, 24))
    assert (got["逾期天数"], got["挂牌督办"], got["行业"], got["隐患描述"]) == (0, "", "no_such", "消防通道被堵塞")


def test_an_enterprise_is_never_told_which_grid_worker_reported():
    assert cells(finding(), [], context(OFFICER))[HEADER.index("发现人")] == "网格员（高殿社区第一网格）"
    assert cells(finding(reporter_unit=None), [], context(OFFICER))[HEADER.index("发现人")] == "网格员"
    inspector = finding(reporter_role="inspector", reporter_display_name="")
    assert cells(inspector, [], context(OFFICER))[HEADER.index("发现人")] == "gw9"  # an inspector is named


@pytest.mark.parametrize(
    ("deadline", "approved", "expected"),
    [
        (D, [], (D, None)),
        (None, [], (None, None)),
        (date(2026, 12, 20), [(D, date(2026, 12, 20))], (D, date(2026, 12, 20))),
        # two extensions one on the other: the term the first one moved
        (date(2026, 12, 30), [(D, date(2026, 12, 20)), (date(2026, 12, 20), date(2026, 12, 30))],
         (D, date(2026, 12, 30))),
        # a rejection set a new deadline after the extension: a new term, not extended
        (date(2027, 1, 5), [(D, date(2026, 12, 20))], (date(2027, 1, 5), None)),
        # extended, a new term set by a reopening, extended again: only the last extension counts
        (date(2027, 1, 9), [(D, date(2026, 12, 20)), (date(2027, 1, 2), date(2027, 1, 9))],
         (date(2027, 1, 2), date(2027, 1, 9))),
    ],
)  # fmt: skip
def test_the_deadline_and_what_it_was_extended_to(deadline, approved, expected):
    assert extension_dates(deadline, approved) == expected


def test_the_area_is_written_from_the_district_down():
    assert area_label("/350200/350206/350206002/", AREAS) == "湖里区殿前街道"
    assert area_label("/350200/", AREAS) == "厦门市"
    names = {"350206": "湖里区", "350206001": "湖里区第1街道", "35020600101101": "湖里区第1街道第1网格"}
    assert area_label("/350200/350206/350206001/35020600101101/", names) == "湖里区第1街道第1网格"
    assert area_label("/350200/350299/", {}) == "350299"  # a name not known: its code


def test_csv_cells_are_excel_text_dates_and_numbers():
    assert csv_value(None) == "" and csv_value(3) == "3" and csv_value("湖里区") == "湖里区"
    assert csv_value(date(2026, 3, 1)) == "2026-03-01"
    assert csv_value(datetime(2026, 3, 1, 9, 5)) == "2026-03-01 09:05"
    for formula in ("=1+1", "+86", "-2", "@SUM(A1)", "\tx"):
        assert csv_value(formula) == "'" + formula  # never run as a formula


def test_the_csv_stream_is_one_file_in_chunks():
    rows = [LedgerRow(finding(number=f"YH-{n}", description="长" * 300), ()) for n in range(400)]
    chunks = list(csv_chunks(rows, context()))
    assert len(chunks) > 2 and all(chunks)
    data = b"".join(chunks)
    assert data.startswith("\ufeff隐患编号,企业名称".encode()) and data.count(b"\r\n") == 401
    assert list(csv_chunks([], context())) == ["\ufeff".encode() + ",".join(HEADER).encode() + b"\r\n"]


def test_the_geojson_stream_is_one_feature_collection_in_chunks():
    rows = [LedgerRow(finding(id=uuid.UUID(int=n), deadline=None if n % 2 else D), ()) for n in range(2000)]
    chunks = list(geojson_chunks(rows, context()))
    assert len(chunks) > 2
    body = json.loads(b"".join(chunks))
    assert set(body) == {"type", "features"} and len(body["features"]) == 2000
    first = body["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [118.1, 24.5]}
    assert first["properties"] == {
        "id": str(uuid.UUID(int=0)), "number": "YH-350206-2026-000001", "title": "消防通道被堵塞",
        "status": "rectifying", "level": "major", "overdue": False, "days_overdue": 0, "deadline": "2026-12-01",
        "enterprise": "厦门测试有限公司", "area": "高殿社区", "category": "消防安全",
    }  # fmt: skip
    assert body["features"][1]["properties"]["overdue"] is False  # no deadline: never overdue
    late = json.loads(b"".join(geojson_chunks([LedgerRow(finding(), ())], context())))["features"][0]["properties"]
    assert (late["overdue"], late["days_overdue"]) == (True, 6)
    assert json.loads(b"".join(geojson_chunks([], context()))) == {"type": "FeatureCollection", "features": []}


def test_the_file_name_and_its_content_disposition():
    name, plain = ledger_filename("湖里区", "350206", D, "xlsx")
    assert (name, plain) == ("隐患台账_湖里区_20261201.xlsx", "ledger_350206_20261201.xlsx")
    header = content_disposition(name, plain)
    assert header.startswith('attachment; filename="ledger_350206_20261201.xlsx"; filename*=UTF-8\'\'')
    assert header.isascii() and unquote(header.split("UTF-8''")[1]) == name
    odd, plain = ledger_filename('厦门/"测试"; 公司\r\n', "91350200MA0000000X", D, "csv")
    assert odd == "隐患台账_厦门_测试_ 公司_20261201.csv" and plain == "ledger_91350200MA0000000X_20261201.csv"
    assert ";" not in unquote(content_disposition(odd, plain).split("UTF-8''")[1])
    assert ledger_filename("", "", D, "geojson") == ("隐患台账_全部_20261201.geojson", "ledger_all_20261201.geojson")
