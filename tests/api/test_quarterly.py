"""Issue 13, acceptance 1: the quarterly 隐患排查治理情况统计分析表 (GET /api/v1/reports/quarterly), its cells computed
from a known fixture and read back from the XLSX (openpyxl) and the PDF (pypdf: its text, its embedded font).

The fixture is 2026's third quarter, built through the real verbs at moments inside and after it: what happened
after 30 September (a closure, a void, a reopen, a plan, a listing) must not change the table 截至季末."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

import factories as f
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.models import Finding

URL = "/api/v1/reports/quarterly"
REPORTED = datetime(2026, 7, 10, 2, tzinfo=UTC)
WORKED = datetime(2026, 7, 20, 2, tzinfo=UTC)
CLOSED = datetime(2026, 8, 20, 2, tzinfo=UTC)
AFTER = datetime(2026, 10, 10, 2, tzinfo=UTC)  # after the quarter's end
DEADLINE = date(2026, 9, 20)


class Scene:
    """The world's district 350206 (the enterprise: 制造业, the other: 化工, a third: 其他) and 350203 (城镇燃气)."""

    def __init__(self, session):
        self.session = s = session
        self.world = w = f.World(session)
        w.other_enterprise.sector, w.far_enterprise.sector = "chemical", "gas"
        w.enterprise.name, w.enterprise.contact_name = "厦门鹭岛精密机械有限公司", "张三"
        self.inspector = w.user("inspector")
        self.far_inspector = w.user("inspector", area=w.other_district)
        self.officer = w.user("enterprise_officer")
        self.other_officer = w.user("enterprise_officer", enterprise=w.other_enterprise)
        self.supervisor = w.user("supervisor", area=w.district)
        self.supervisor.display_name = "王科长"
        self.admin = w.user("admin")
        self.grid_worker = w.user("grid_worker")
        s.flush()
        self.headers = {
            name: f.token_for(s, who)
            for name, who in (("inspector", self.inspector), ("officer", self.officer), ("admin", self.admin),
                              ("supervisor", self.supervisor), ("grid_worker", self.grid_worker))
        }  # fmt: skip
        self.numbers: dict[str, str] = {}

    def report(self, name, enterprise, *, level="general", observed=REPORTED, received=None, who=None, **data):
        body = f.finding_data(enterprise, observed_at=observed, deadline=data.pop("deadline", DEADLINE), **data)
        if level == "major":
            body = {**body, "level": "major", "major_basis": {"criterion": "gongmao_2023", "clause": "第四条(一)"}}
        finding = f.report(self.session, who or self.inspector, body, received or observed)
        self.numbers[name] = finding.number
        return finding

    def act(self, who, finding, action, now, **payload):
        return f.act(self.session, who, finding, action, now, **payload)

    def close(self, finding, now, officer=None):
        completed = (now - timedelta(days=1)).date()
        fix = {"measures": "已整改", "completed_on": completed}
        self.act(officer or self.officer, finding, "submit_rectification", now, **fix)
        at = {"lat": finding.enterprise.lat, "lng": finding.enterprise.lng, "accuracy_m": 10.0, "source": "gps"}
        self.act(self.supervisor, finding, "approve", now, on_site=True, location=at)

    def plan(self, finding, now, funds, officer=None, **plan):
        time_limit = max(DEADLINE - timedelta(days=5), now.date() + timedelta(days=1))
        plan = {**f.PLAN, "time_limit": time_limit, "funds": funds, **plan}
        self.act(officer or self.officer, finding, "submit_plan", now, plan=plan)

    def list_it(self, finding, level, now):
        self.act(self.supervisor, finding, "list_supervision", now, level=level, authority="厦门市安委办",
                 document_no="厦安办督〔2026〕12号", leader="王副市长")  # fmt: skip


def build(session) -> Scene:
    c = Scene(session)
    e, other, far = c.world.enterprise, c.world.other_enterprise, c.world.far_enterprise
    # 制造业, general: six counted, one closed by the end
    g1 = c.report("G1", e)
    c.close(g1, CLOSED)
    c.act(c.supervisor, g1, "reopen", AFTER, reason="复查发现反弹", new_deadline=date(2026, 11, 30))
    c.report("G2", e)
    g3 = c.report("G3", e)
    c.act(c.supervisor, g3, "void", WORKED, reason="重复上报")
    g4 = c.report("G4", e)
    c.close(g4, AFTER)
    c.report("G5", e, observed=datetime(2026, 9, 30, 15, 30, tzinfo=UTC), deadline=date(2026, 10, 20))  # 23:30 CST
    c.report("G6", e, observed=datetime(2026, 9, 30, 16, 0, tzinfo=UTC), deadline=date(2026, 10, 20))  # 1 Oct
    c.report("G7", e, observed=datetime(2026, 6, 30, 15, 59, tzinfo=UTC))  # 23:59 CST on 30 June: Q2
    g8 = c.report("G8", e)
    c.act(c.supervisor, g8, "void", AFTER, reason="撤销")
    c.report("G9", e, observed=datetime(2026, 9, 29, 2, tzinfo=UTC), received=datetime(2026, 10, 3, 2, tzinfo=UTC),
             deadline=date(2026, 10, 20))  # fmt: skip  # observed in Q3, reached the server in Q4
    # 制造业, major
    m1 = c.report("M1", e, level="major")
    c.plan(m1, WORKED, "待定")
    c.plan(m1, WORKED + timedelta(days=1), "12万元")  # the latest plan by the end counts
    c.list_it(m1, "province", WORKED + timedelta(days=2))
    c.close(m1, CLOSED)  # and the approval delists it: still counted as listed
    m2 = c.report("M2", e, level="major")
    c.plan(m2, WORKED, "5000元")
    c.list_it(m2, "city", WORKED)
    c.plan(m2, AFTER, "8万元", time_limit=date(2026, 12, 31))
    m3 = c.report("M3", e, level="major")
    c.plan(m3, WORKED, "待定")
    c.report("M4", e, level="major")
    m5 = c.report("M5", e, level="major", deadline=date(2026, 12, 31))
    c.plan(m5, AFTER, "3万元")
    c.list_it(m5, "province", AFTER)
    # 化工/危险化学品
    c.close(c.report("C1", other), CLOSED, officer=c.other_officer)
    c2 = c.report("C2", other, level="major")
    c.plan(c2, WORKED, "约2万元", officer=c.other_officer)
    c.list_it(c2, "province", WORKED)
    c.report("R1", other, who=c.grid_worker)  # waits for triage: not counted, but noted
    # 其他: an enterprise of no listed sector (a counted finding always has an enterprise: confirm names one)
    c.report("N1", f.enterprise(session, c.world.grid, sector="other"))
    # 城镇燃气, in the other district: only the admin's table has it
    c.report("F1", far, who=c.far_inspector)
    session.commit()
    return c


HEADER_1 = ["行业和领域", "一般隐患", None, None, "重大隐患", None, None, None, None, None, None, "治理资金（万元）"]
HEADER_2 = [None, "排查", "已整改", "整改率", "排查", "已整改销号", "整改率", "列入治理计划", "其中“五落实”",
            "省级挂牌督办", "市级挂牌督办", None]  # fmt: skip
MAKING = ["制造业", 6, 1, 0.1667, 5, 1, 0.2, 3, 2, 1, 1, 12.5]
CHEMICAL = ["化工/危险化学品", 1, 1, 1.0, 1, 0, 0.0, 1, 1, 1, 0, 2.0]
OTHER = ["其他", 1, 0, 0.0, 0, 0, "—", 0, 0, 0, 0, 0.0]
TOTAL = ["合计", 8, 2, 0.25, 6, 1, 0.1667, 4, 3, 2, 1, 14.5]


def get(client, c, who, **query):
    return client.get(URL, query_string={"year": 2026, "quarter": 3, **query}, headers=c.headers[who])


def sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data)).active


def rows(ws, first=4):
    return [[cell.value for cell in row] for row in ws.iter_rows(min_row=first, max_col=12)]


def table_rows(ws) -> list[list]:
    """The sector rows and the 合计, each rounded as the reader sees it (rates to 4 places)."""
    found = []
    for row in rows(ws, 6):
        found.append([round(v, 4) if isinstance(v, float) else v for v in row])
        if row[0] == "合计":
            return found
    raise AssertionError("no 合计 row")


def footer(ws) -> str:
    return "\n".join(str(v) for row in rows(ws, 6) for v in row if isinstance(v, str))


def test_the_supervisors_table_counts_the_quarter_as_it_stood_at_its_end(client, session):
    c = build(session)
    ws = sheet(get(client, c, "supervisor", format="xlsx"))
    assert ws["A1"].value == "隐患排查治理情况统计分析表"
    assert ws["A2"].value == "2026年第3季度（2026年7月1日至2026年9月30日）"
    assert ws["A3"].value == "统计范围：district 350206" and ws["K3"].value == "金额单位：万元"
    assert rows(ws)[:2] == [HEADER_1, HEADER_2]
    assert table_rows(ws) == [MAKING, CHEMICAL, OTHER, TOTAL]
    text = footer(ws)
    assert "说明：" in text and "3. 另有1项网格员上报的隐患截至季末尚待确认，未计入。" in text
    assert f"4. 1项治理方案的经费未写明单一金额，未计入治理资金（{c.numbers['M3']}）。" in text
    for line in ("填报单位：district 350206", "填报人：王科长", "审核人：__________", "填报日期："):
        assert line in text
    assert "主要负责人" not in text


def test_the_sheet_is_laid_out_to_print_and_to_sum(client, session):
    c = build(session)
    ws = sheet(get(client, c, "supervisor"))  # xlsx is the default
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:L1", "A2:L2", "A4:A5", "B4:D4", "E4:K4", "L4:L5"} <= merged
    assert ws.freeze_panes == "B6"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$5"
    assert ws.column_dimensions["A"].width >= 16
    making = ws[6]
    assert isinstance(making[1].value, int) and making[3].number_format == "0.0%"
    assert making[6].number_format == "0.0%" and making[11].number_format == "0.00"
    assert isinstance(making[11].value, float)


def test_an_admin_sees_every_district(client, session):
    c = build(session)
    ws = sheet(get(client, c, "admin"))
    gas = ["城镇燃气", 1, 0, 0.0, 0, 0, "—", 0, 0, 0, 0, 0.0]
    total = ["合计", 9, 2, 0.2222, 6, 1, 0.1667, 4, 3, 2, 1, 14.5]
    assert table_rows(ws) == [MAKING, CHEMICAL, gas, OTHER, total]
    assert ws["A3"].value == "统计范围：全部区域"
    assert "填报单位：__________" in footer(ws)


def test_an_officer_gets_their_enterprises_table_with_the_principals_signature_line(client, session):
    c = build(session)
    ws = sheet(get(client, c, "officer"))
    assert ws["A3"].value == "企业名称：厦门鹭岛精密机械有限公司　　主要负责人：张三"
    assert table_rows(ws) == [MAKING, ["合计", *MAKING[1:]]]
    text = footer(ws)
    assert "主要负责人（签字）：__________" in text and "日期：____年__月__日" in text
    assert "填报单位" not in text and "网格员" not in text  # the grid worker's report is another enterprise's


def pdf_text(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(BaseFont, has an embedded font program) for every font the pages use."""
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            program = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), program))
    return fonts


def cells(values: list) -> str:
    shown = []
    for i, v in enumerate(values):
        if i in (3, 6) and isinstance(v, float):
            shown.append(f"{v * 100:.1f}%")
        elif i == 11:
            shown.append(f"{v:.2f}")
        else:
            shown.append(str(v))
    return " ".join(shown)


def test_the_pdf_has_the_same_table_in_an_embedded_chinese_font(client, session):
    c = build(session)
    response = get(client, c, "supervisor", format="pdf")
    reader, text = pdf_text(response)
    flat = re.sub(r"\s+", " ", text)
    assert "隐患排查治理情况统计分析表" in flat and "2026年第3季度" in flat
    for row in (MAKING, CHEMICAL, OTHER, TOTAL):
        assert cells(row) in flat, (cells(row), flat)
    headers = ("行业和领域", "一般隐患", "重大隐患", "已整改 销号", "列入 治理计划", "挂牌督办", "省级 市级")
    for words in headers:
        assert words in flat, words
    assert "统计范围：district 350206" in flat and "金额单位：万元" in flat
    for line in ("治理资金 （万元）", "填报单位：district 350206", "填报人：王科长", "审核人：", c.numbers["M3"]):
        assert line in flat, line
    fonts = embedded_fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts)
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name, _ in fonts), fonts  # a subset, not the whole font


def test_the_officers_pdf_carries_the_signature_line(client, session):
    c = build(session)
    _, text = pdf_text(get(client, c, "officer", format="pdf"))
    flat = re.sub(r"\s+", " ", text)
    assert "企业名称：厦门鹭岛精密机械有限公司" in flat and "主要负责人：张三" in flat
    assert "主要负责人（签字）：" in flat and cells(MAKING) in flat and "化工" not in flat


def test_the_attachment_is_named_for_its_scope_and_quarter(client, session):
    c = build(session)
    response = get(client, c, "supervisor", format="pdf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="quarterly-2026Q3.pdf"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "隐患排查治理情况统计分析表_district 350206_2026年第3季度.pdf"
    assert response.headers["Content-Length"] == str(len(response.data))
    assert "no-store" in response.headers["Cache-Control"]


def test_an_empty_quarter_is_a_table_of_zeros(client, session):
    c = build(session)
    ws = sheet(get(client, c, "supervisor", year=2026, quarter=1))
    assert table_rows(ws) == [["合计", 0, 0, "—", 0, 0, "—", 0, 0, 0, 0, 0.0]]


@pytest.mark.parametrize("who", ["inspector", "grid_worker"])
def test_other_roles_are_refused(client, session, who):
    c = build(session)
    response = get(client, c, who)
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_no_credentials_no_table(client, session):
    build(session)
    response = client.get(URL, query_string={"year": 2026, "quarter": 3})
    assert response.status_code == 401 and response.is_json


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": None}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": 1999}, "year"),
        ({"year": 2101}, "year"),
        ({"quarter": None}, "quarter"),
        ({"quarter": 0}, "quarter"),
        ({"quarter": 5}, "quarter"),
        ({"quarter": "Q3"}, "quarter"),
        ({"format": "docx"}, "format"),
        ({"format": ""}, "format"),
        ({"year": 2099, "quarter": 4}, "quarter"),  # not begun
    ],
)
def test_bad_queries_are_422_with_the_field(client, session, query, field):
    c = f.World(session)
    supervisor = c.user("supervisor")
    headers = f.token_for(session, supervisor)
    session.commit()
    params = {k: v for k, v in {"year": 2026, "quarter": 3, **query}.items() if v is not None}
    response = client.get(URL, query_string=params, headers=headers)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.json["error"]["fields"]


def test_a_pdf_without_a_chinese_font_is_a_clear_503(app, client, session):
    c = build(session)
    app.config["REPORT_FONT"] = "/nonexistent/wqy-microhei.ttc"
    response = get(client, c, "supervisor", format="pdf")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "report_font_missing"
    assert "fonts-wqy-microhei" in response.json["error"]["message"]
    assert get(client, c, "supervisor", format="xlsx").status_code == 200  # the sheet needs no font


def test_the_fixture_is_what_the_table_says(session):
    """The scene itself, so a change in the verbs cannot make the table pass for the wrong reason."""
    c = build(session)
    by_number = {finding.number: finding.status for finding in session.query(Finding)}
    now = {name: by_number[number] for name, number in c.numbers.items()}
    assert now["G1"] == "rectifying" and now["G4"] == "closed" and now["G8"] == "voided"  # moved after the end
    assert now["M1"] == "closed" and now["R1"] == "reported" and now["M5"] == "rectifying"
