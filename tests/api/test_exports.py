"""Issue 13, acceptance 2: the 台账 exports. GET /api/v1/findings/export?format=csv|xlsx|geojson&<list filters>
gives every finding the list gives for the same filters and caller, in the list's order, in Chinese columns;
the XLSX has its header frozen and dates as dates, the CSV opens in Excel (BOM), the GeoJSON is RFC 7946 and
holds exactly the located findings; the scope, 举报人保密, the file's name and every refusal are the list's."""

import contextvars
import csv
import io
import json
from datetime import datetime, timedelta
from urllib.parse import unquote

import factories as f
import openpyxl
import pytest
import rfc7946
from flask.testing import FlaskClient
from helpers import real_today
from rule_scene import cast, days, join, major, rectifying, refused, step, to_review
from sqlalchemy import update

from app.domain.calendar import utcnow
from app.exports.ledger import HEADER
from app.extensions import db
from app.models import Finding

URL = "/api/v1/findings/export"
LIST = "/api/v1/findings"
STATE_WORDS = {"reported": "待确认", "rectifying": "整改中", "pending_review": "待验收", "closed": "已销号"}
COL = {title: index for index, title in enumerate(HEADER)}


class StreamingClient(FlaskClient):
    """testbed.IsolatedClient for streamed answers: each request gets a context of its own, as there, and its body
    is read in that same context (a streamed body keeps the request's context open while it is read; under a
    server the thread that answers reads it). `buffered=False` leaves the body unread: read and close it with
    response.context.run(...)."""

    def open(self, *args, buffered=True, **kwargs):
        context = contextvars.Context()
        response = context.run(super().open, *args, buffered=buffered, **kwargs)
        response.context = context
        return response


@pytest.fixture
def client(app):
    app.test_client_class = StreamingClient
    return app.test_client()


def scene(session):
    """The cast of the rule tests plus a district supervisor, an admin and an inspector of the other district, and
    findings in every shape the ledger writes: extended, listed, a grid worker's, closed on site, overdue,
    unlocated, another district's, one still waiting for triage."""
    c = cast(session)
    w = c.world
    join(c, "district_supervisor", w.user("supervisor", area=w.district))
    join(c, "admin", w.user("admin"))
    join(c, "far_inspector", w.user("inspector", area=w.other_district))
    join(c, "other_officer", w.user("enterprise_officer", enterprise=w.other_enterprise))
    ids = {}
    ids["extended"] = rectifying(c, deadline=days(7))
    step(c, "officer", ids["extended"], "request_extension", new_deadline=days(20), reason="配件未到")
    step(c, "supervisor", ids["extended"], "decide_extension", approved=True, granted_deadline=days(18))
    ids["listed"] = major(c, deadline=days(30))
    step(c, "officer", ids["listed"], "submit_plan", plan={**f.PLAN, "time_limit": days(10)})
    listing = {"level": "city", "authority": "厦门市安委办", "document_no": "厦安办督〔2026〕1号", "leader": "王副市长"}
    step(c, "supervisor", ids["listed"], "list_supervision", public=True, **listing)
    ids["grid"] = _grid_report(c)
    step(c, "supervisor", ids["grid"], "confirm", deadline=days(5))
    ids["closed"] = rectifying(c, deadline=days(3), title="配电箱未上锁", description="")
    to_review(c, ids["closed"])
    step(c, "supervisor", ids["closed"], "approve", on_site=True, comment="现场核验通过")
    ids["overdue"] = rectifying(c, deadline=days(7), title='=HYPERLINK("x")叉车无证')
    session.execute(update(Finding).where(Finding.id == ids["overdue"]).values(deadline=days(-3)))
    ids["unlocated"] = rectifying(c, location=None, enterprise_id=w.other_enterprise.id)
    ids["far"] = _far(c)
    ids["untriaged"] = _grid_report(c)
    session.commit()
    return c, ids


def _grid_report(c):
    now = utcnow()
    body = f.finding_data(c.world.enterprise, observed_at=now - timedelta(minutes=3))
    finding = f.report(c.session, c.users["grid_worker"], body, now)
    c.session.commit()
    return finding.id


def _far(c):
    now = utcnow()
    body = f.finding_data(c.world.far_enterprise, observed_at=now - timedelta(minutes=2))
    finding = f.report(c.session, c.users["far_inspector"], body, now)
    c.session.commit()
    return finding.id


def export(client, c, who: str, fmt: str, **filters):
    response = client.get(URL, query_string={"format": fmt, **filters}, headers=c.headers[who])
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def listed_items(client, c, who: str, **filters) -> list[dict]:
    """The list endpoint's items for the same filters, paged through two at a time."""
    items, cursor = [], None
    while True:
        query = {"limit": 2, **filters, **({"cursor": cursor} if cursor else {})}
        response = client.get(LIST, query_string=query, headers=c.headers[who])
        assert response.status_code == 200, response.json
        items += response.json["items"]
        cursor = response.json["next_cursor"]
        if cursor is None:
            return items


def sheet_rows(response) -> tuple[object, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook["隐患台账"]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def by_number(rows: list[list]) -> dict:
    return {row[COL["隐患编号"]]: row for row in rows}


FILTERS = [
    {},
    {"status": "rectifying"},
    {"status": "closed,pending_review"},
    {"level": "major"},
    {"overdue": "true"},
    {"overdue": "false"},
    {"area": "35020600100101"},
    {"q": "配电箱"},
    {"category": "fire"},
    {"reported_by": "me"},
    {"from": (real_today() - timedelta(days=1)).isoformat(), "to": real_today().isoformat()},
]


@pytest.mark.parametrize("who", ["supervisor", "district_supervisor", "officer", "admin"])
def test_the_xlsx_has_the_header_and_one_row_per_listed_finding_of_every_filter(client, session, who):
    c, _ = scene(session)
    for filters in FILTERS:
        items = listed_items(client, c, who, **filters)
        _, rows = sheet_rows(export(client, c, who, "xlsx", **filters))
        assert tuple(rows[0]) == HEADER
        numbers = [row[COL["隐患编号"]] for row in rows[1:]]
        assert numbers == [item["number"] for item in items], filters  # the same findings, in the list's order
        for item, row in zip(items, rows[1:], strict=True):
            assert row[COL["状态"]] == STATE_WORDS[item["status"]]
            assert row[COL["企业名称"]] == item["enterprise"]["name"]
            assert row[COL["隐患类别"]] == item["category"]["name_zh"]
            assert row[COL["逾期天数"]] == item["days_overdue"]
            assert row[COL["隐患等级"]] == {"general": "一般", "major": "重大"}[item["level"]]


def test_the_xlsx_cells_say_each_finding_in_chinese_with_dates_as_dates(client, session):
    c, ids = scene(session)
    sheet, rows = sheet_rows(export(client, c, "supervisor", "xlsx"))
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref == f"A1:U{len(rows)}" and sheet.print_title_rows == "$1:$1"  # on every printed page
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 8)  # A3, as ledgers print
    assert sheet.column_dimensions["J"].width > sheet.column_dimensions["G"].width  # 隐患描述 wider than 隐患等级
    number = {key: session.get(Finding, value).number for key, value in ids.items()}
    row = by_number(rows[1:])
    extended = row[number["extended"]]
    assert extended[COL["整改期限"]] == datetime.combine(days(7), datetime.min.time())
    assert extended[COL["延期至"]] == datetime.combine(days(18), datetime.min.time())
    assert extended[COL["行业"]] == "制造业" and extended[COL["所在区域"]].startswith("district 350206")
    assert extended[COL["统一社会信用代码"]] == c.world.enterprise.credit_code
    assert extended[COL["发现人"]] in (c.users["inspector"].display_name, c.users["inspector"].username)
    assert isinstance(extended[COL["发现时间"]], datetime)
    listed = row[number["listed"]]
    assert listed[COL["挂牌督办"]] == "市级" and listed[COL["隐患等级"]] == "重大"
    assert listed[COL["判定依据"]].endswith("第四条(一)") and "判定标准" in listed[COL["判定依据"]]
    assert listed[COL["延期至"]] is None
    closed = row[number["closed"]]
    assert closed[COL["状态"]] == "已销号" and closed[COL["现场核验"]] == "是"
    assert closed[COL["验收人"]] in (c.users["supervisor"].display_name, c.users["supervisor"].username)
    assert closed[COL["整改完成日期"]] == datetime.combine(real_today(), datetime.min.time())
    assert isinstance(closed[COL["销号时间"]], datetime) and closed[COL["隐患描述"]] == "配电箱未上锁"
    assert row[number["overdue"]][COL["逾期天数"]] == 3
    assert row[number["overdue"]][COL["隐患描述"]].startswith('=HYPERLINK("x")')  # text, not a formula
    assert row[number["extended"]][COL["逾期天数"]] == 0 and row[number["extended"]][COL["验收人"]] is None
    assert row[number["untriaged"]][COL["状态"]] == "待确认"
    dated = [cell for cell in sheet["L"][1:] + sheet["M"][1:] if cell.value is not None]  # 发现时间, 整改期限
    assert len(dated) == 2 * len(ids) - 1  # the report waiting for triage has no deadline yet
    for cell in dated:  # real date cells in date formats, not text
        assert cell.is_date and cell.number_format in ("yyyy-mm-dd hh:mm", "yyyy-mm-dd")


def test_the_csv_opens_with_the_bom_and_has_the_rows_of_the_xlsx(client, session):
    c, ids = scene(session)
    for filters in ({}, {"status": "rectifying"}, {"level": "major"}):
        response = export(client, c, "supervisor", "csv", **filters)
        assert response.data.startswith(b"\xef\xbb\xbf" + "隐患编号,".encode())
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert b"\r\n" in response.data and response.data.count(b"\n") == response.data.count(b"\r\n")
        rows = csv_rows(response)
        _, sheet = sheet_rows(export(client, c, "supervisor", "xlsx", **filters))
        assert tuple(rows[0]) == HEADER and len(rows) == len(sheet)
        for got, want in zip(rows[1:], sheet[1:], strict=True):
            assert got == [_as_csv(value) for value in want]
    overdue = session.get(Finding, ids["overdue"]).number
    row = by_number(csv_rows(export(client, c, "supervisor", "csv")))[overdue]
    assert row[COL["隐患描述"]].startswith("'=HYPERLINK")  # Excel shows the text instead of running it


def _as_csv(value) -> str:
    """A cell as openpyxl read it, written as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M")
    return ("'" + value) if isinstance(value, str) and value.startswith("=") else str(value)


def test_the_geojson_is_rfc_7946_and_holds_exactly_the_located_findings(client, session):
    c, ids = scene(session)
    for who, filters in (("supervisor", {}), ("officer", {}), ("supervisor", {"status": "rectifying"})):
        response = export(client, c, who, "geojson", **filters)
        assert response.headers["Content-Type"] == "application/geo+json"
        body = json.loads(response.data)
        assert rfc7946.problems(body) == []
        assert body["type"] == "FeatureCollection" and set(body) == {"type", "features"}  # no crs member
        located = {item["id"]: item for item in listed_items(client, c, who, **filters) if item["location"]}
        assert [feature["id"] for feature in body["features"]] == list(located)
        for feature in body["features"]:
            assert set(feature) == {"type", "id", "geometry", "properties"} and feature["type"] == "Feature"
            geometry, props = feature["geometry"], feature["properties"]
            assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
            lng, lat = geometry["coordinates"]
            assert -180 <= lng <= 180 and -90 <= lat <= 90
            item = located[props["id"]]
            assert (lng, lat) == (item["location"]["lng"], item["location"]["lat"])  # [lng, lat], not [lat, lng]
            assert set(props) == {
                "id", "number", "title", "status", "level", "overdue", "days_overdue", "deadline", "enterprise",
                "area", "category",
            }  # fmt: skip
            assert props["number"] == item["number"] and props["status"] == item["status"]
            assert (props["overdue"], props["days_overdue"]) == (item["overdue"], item["days_overdue"])
            assert props["deadline"] == item["deadline"] and props["enterprise"] == item["enterprise"]["name"]
            assert props["area"] == item["area"]["name"] and props["category"] == item["category"]["name_zh"]
    everything = {x["id"] for x in json.loads(export(client, c, "supervisor", "geojson").data)["features"]}
    assert str(ids["unlocated"]) not in everything and str(ids["extended"]) in everything


def test_out_of_scope_findings_are_absent(client, session):
    c, ids = scene(session)
    far = session.get(Finding, ids["far"]).number
    untriaged = session.get(Finding, ids["untriaged"]).number
    assert far in by_number(sheet_rows(export(client, c, "supervisor", "xlsx"))[1][1:])  # the city sees it
    district = by_number(sheet_rows(export(client, c, "district_supervisor", "xlsx"))[1][1:])
    assert far not in district and untriaged in district
    officer = by_number(sheet_rows(export(client, c, "officer", "xlsx"))[1][1:])
    assert far not in officer and untriaged not in officer  # another district's; not triaged yet
    assert {row[COL["企业名称"]] for row in officer.values()} == {c.world.enterprise.name}
    other = by_number(csv_rows(export(client, c, "other_officer", "csv"))[1:])
    assert list(other) == [session.get(Finding, ids["unlocated"]).number]
    for fmt in ("csv", "geojson"):
        assert far.encode() not in export(client, c, "district_supervisor", fmt).data
        assert far.encode() not in export(client, c, "officer", fmt).data


def test_an_officers_export_never_names_the_grid_worker_who_reported(client, session):
    c, ids = scene(session)
    grid = session.get(Finding, ids["grid"]).number
    worker = c.users["grid_worker"]
    for fmt in ("xlsx", "csv", "geojson"):
        data = export(client, c, "officer", fmt).data
        assert worker.username.encode() not in data and (worker.display_name or "?").encode() not in data
    officer = by_number(sheet_rows(export(client, c, "officer", "xlsx"))[1][1:])
    assert officer[grid][COL["发现人"]] == f"网格员（{c.world.grid.name}）"
    supervisor = by_number(sheet_rows(export(client, c, "supervisor", "xlsx"))[1][1:])
    assert supervisor[grid][COL["发现人"]] in (worker.display_name, worker.username)


def _filename(response) -> tuple[str, str]:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    plain = disposition.split('filename="', 1)[1].split('"', 1)[0]
    star = disposition.split("filename*=UTF-8''", 1)[1]
    assert plain.isascii() and star.isascii()
    return plain, unquote(star)


def test_the_file_is_named_by_its_scope_and_the_day_in_shanghai(client, session):
    c, _ = scene(session)
    day = real_today().strftime("%Y%m%d")
    cases = [
        ("supervisor", {}, "xlsx", "city 350200", "350200"),
        ("supervisor", {"area": "350206"}, "csv", "district 350206", "350206"),
        ("district_supervisor", {}, "geojson", "district 350206", "350206"),
        ("officer", {}, "xlsx", c.world.enterprise.name, c.world.enterprise.credit_code),
        ("admin", {}, "csv", "全部", "all"),
    ]
    for who, filters, fmt, scope, tag in cases:
        plain, name = _filename(export(client, c, who, fmt, **filters))
        assert name == f"隐患台账_{scope}_{day}.{fmt}"
        assert plain == f"ledger_{tag}_{day}.{fmt}"


def test_the_xlsx_carries_its_length_and_the_others_are_chunked(client, session):
    c, _ = scene(session)
    xlsx = export(client, c, "supervisor", "xlsx")
    assert int(xlsx.headers["Content-Length"]) == len(xlsx.data) and xlsx.data.startswith(b"PK")
    assert xlsx.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for fmt in ("csv", "geojson"):
        response = client.get(URL, query_string={"format": fmt}, headers=c.headers["supervisor"], buffered=False)
        assert response.is_streamed and "Content-Length" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
        response.context.run(response.close)


def test_an_empty_ledger_is_a_valid_file_with_only_the_header(client, session):
    c, _ = scene(session)
    nothing = {"q": "没有这样的隐患"}
    _, rows = sheet_rows(export(client, c, "supervisor", "xlsx", **nothing))
    assert [tuple(row) for row in rows] == [HEADER]
    assert csv_rows(export(client, c, "supervisor", "csv", **nothing)) == [list(HEADER)]
    assert json.loads(export(client, c, "supervisor", "geojson", **nothing).data) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_a_missing_or_unknown_format_is_refused_with_its_field(client, session):
    c, _ = scene(session)
    for query in ({}, {"format": "pdf"}, {"format": ""}, {"format": "XLSX"}):
        error = refused(client.get(URL, query_string=query, headers=c.headers["supervisor"]), 422, "validation_error")
        assert "format" in error["fields"], query


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "bogus"},
        {"level": "minor"},
        {"category": "no_such_category"},
        {"area": "999999"},
        {"overdue": "maybe"},
        {"enterprise_id": "abc"},
        {"reported_by": "you"},
        {"from": "2026-13-01"},
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"q": "x" * 201},
    ],
)
def test_a_bad_filter_gets_the_lists_refusal(client, session, filters):
    c, _ = scene(session)
    listed = client.get(LIST, query_string=filters, headers=c.headers["supervisor"])
    exported = client.get(URL, query_string={"format": "csv", **filters}, headers=c.headers["supervisor"])
    assert listed.status_code in (400, 422)
    assert (exported.status_code, exported.json["error"]["code"]) == (listed.status_code, listed.json["error"]["code"])
    assert set(exported.json["error"]["fields"]) == set(listed.json["error"]["fields"]) != set()


def test_without_credentials_it_is_401(client, session):
    scene(session)
    for query in ({"format": "xlsx"}, {"format": "nonsense"}, {}):
        refused(client.get(URL, query_string=query), 401, "unauthorized")
    refused(
        client.get(URL, query_string={"format": "csv"}, headers={"Authorization": "Bearer nope"}), 401, "unauthorized"
    )


def test_a_download_cut_short_closes_the_cursor_and_returns_the_connection(client, session, monkeypatch):
    """The client goes away after the first chunk: closing the response ends the read and gives the
    connection back to the pool, as the end of the file does."""
    c, _ = scene(session)
    monkeypatch.setattr("app.exports.csv.CHUNK", 1)  # a chunk per row
    monkeypatch.setattr("app.read.ledger.BATCH", 2)  # several batches from the cursor
    session.close()
    pool = db.engine.pool
    response = client.get(URL, query_string={"format": "csv"}, headers=c.headers["supervisor"], buffered=False)
    chunks = iter(response.response)
    first, second = response.context.run(next, chunks), response.context.run(next, chunks)
    assert first.startswith(b"\xef\xbb\xbf") and second.count(b"\r\n") == 1
    assert pool.checkedout() == 1  # reading: one connection out, its cursor open
    response.context.run(response.close)
    assert pool.checkedout() == 0
    whole = client.get(URL, query_string={"format": "csv"}, headers=c.headers["supervisor"])
    assert len(csv_rows(whole)) == 1 + 8 and pool.checkedout() == 0
