"""Issue 11, the admin area at a desk (1366x768): the admin registers an enterprise and its safety officer, imports
a file of enterprises that has errors (every one listed by row and column, nothing written), fixes it and imports
it; the new officer signs in, must choose a password of their own, and then sees their enterprise's findings; a
user whose password the admin reset is asked for a new one at the next sign-in. Everything under the real
Content-Security-Policy, which no page may break (no inline script, no inline handler)."""

import csv
import io
import time

import factories as f
import pytest
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import expect

from app.domain.credit_code import make_credit_code
from app.models import Area, Enterprise, User

from .support import OPEN_APP_DB, PASSWORD, SCREENSHOTS, server_data, user_named

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 640}
HEADERS = ["企业名称", "统一社会信用代码", "所在区划代码", "行业", "地址", "经度", "纬度", "主要负责人", "联系电话"]
GRID = "35020600100101"  # the seeded world's grid (tests/factories.py World), under street 350206001
NEW_PASSWORD = "鹭江潮声-2026-稳"  # passes the rule: 10+ characters, not the username, not a common one


@pytest.fixture
def browser_context_args(browser_context_args):
    """These are desk screens: every context of this module opens at 1366x768."""
    return {**browser_context_args, "viewport": DESK}


@pytest.fixture
def admin_name(app, seeded) -> str:
    with server_data(app) as session:
        return f.user(session, "admin", area=None).username


def watch_csp(page) -> list[str]:
    """Collects what the browser says about the Content-Security-Policy: a refused script, style or connection."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/")
    expect(page.get_by_test_id("app-ready")).to_be_visible()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def open_section(page, section: str) -> None:
    page.get_by_test_id(f"admin-nav-{section}").click()
    expect(page.get_by_test_id(f"admin-nav-{section}")).to_have_attribute("aria-current", "page")


def code(n: int, division: str = "350206") -> str:
    """A valid unified social credit code (GB 32100-2015), different for each n."""
    return make_credit_code(division, f"MA{n:06d}"[:8])


def wrong_check(valid: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return valid[:17] + alphabet[(alphabet.index(valid[17]) + 1) % len(alphabet)]


def csv_file(rows: list[list], name: str = "enterprises.csv") -> dict:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADERS, *rows])
    return {"name": name, "mimeType": "text/csv", "buffer": ("\ufeff" + out.getvalue()).encode("utf-8")}


def xlsx_file(rows: list[list], name: str = "enterprises.xlsx") -> dict:
    book = Workbook()
    sheet = book.active
    for row in [HEADERS, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"name": name, "mimeType": mime, "buffer": out.getvalue()}


def import_rows() -> tuple[list[list], list[list]]:
    """Five enterprises with four mistakes in them (a non-numeric longitude, a wrong check character, an unknown
    area, a credit code given twice), and the same five fixed."""
    codes = [code(700 + i) for i in range(5)]
    contact = ["林一", "0592-5550000"]
    good = [
        [
            f"厦门导入测试{i}号有限公司",
            codes[i],
            GRID,
            "制造业",
            f"湖里区导入路{i}号",
            118.11 + i / 100,
            24.51,
            *contact,
        ]
        for i in range(5)
    ]
    bad = [list(r) for r in good]
    bad[1][5] = "东经118度"  # row 3: 经度
    bad[2][1] = wrong_check(codes[2])  # row 4: 统一社会信用代码
    bad[3][2] = "350299999999"  # row 5: 所在区划代码
    bad[4][1] = codes[0]  # row 6: the same credit code as row 2
    return bad, good


# The bearer token the app signed in with (pwa/src/lib/services.js keeps the session in IndexedDB kv).
SESSION_TOKEN = (
    "async () => {\n"
    + OPEN_APP_DB
    + """  try {
    return await new Promise((resolve, reject) => {
      const get = db.transaction('kv').objectStore('kv').get('session');
      get.onsuccess = () => resolve(get.result ? get.result.token : null);
      get.onerror = () => reject(get.error);
    });
  } finally {
    db.close();
  }
}"""
)


def token_status(app, token: str) -> int:
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 0, f"the page is {width}px wider than the screen"


# --- the admin registers, imports and creates an account; the new officer works ------------------------------


def test_admin_registers_an_enterprise_imports_a_file_and_creates_its_officer(
    page, new_context, app, seeded, admin_name, server_view
):
    csp = watch_csp(page)
    sign_in(page, admin_name)
    expect(page.get_by_test_id("admin")).to_be_visible()
    nav = page.locator(".admin-nav")
    sections = ["用户", "企业", "区划", "隐患类别", "判定标准", "工作日历", "消息发送", "操作日志", "隐患列表"]
    expect(nav.locator("a")).to_have_text(sections)
    box = nav.bounding_box()
    assert box["x"] < 100 and box["width"] < 260, box  # on the side, at a desk
    assert page.locator(".admin-main").bounding_box()["width"] > 900  # the content uses the width

    # 企业 → 新建企业: the browser's own check of the credit code, then the server's (already registered), each
    # next to the field, in Chinese.
    open_section(page, "enterprises")
    expect(page.get_by_test_id("enterprise-row")).to_have_count(3)  # the seeded ones
    page.get_by_test_id("enterprise-new").click()
    form = page.get_by_test_id("enterprise-form")
    new_code = code(501)
    page.get_by_test_id("field-name").fill("厦门鹭岛新材料有限公司")
    page.get_by_test_id("field-credit_code").fill(wrong_check(new_code))
    page.get_by_test_id("field-area").fill("350206001")  # the street, by its code
    page.get_by_test_id("field-sector").select_option("chemical")
    page.get_by_test_id("field-address").fill("厦门市湖里区新材料路8号")
    page.get_by_test_id("field-lng").fill("118.16")
    page.get_by_test_id("field-lat").fill("24.52")
    page.get_by_test_id("field-contact_name").fill("陈主任")
    page.get_by_test_id("field-contact_phone").fill("0592-6012345")
    page.get_by_test_id("enterprise-save").click()
    expect(form.get_by_test_id("error-credit_code")).to_have_text("校验码（第 18 位）不正确，请核对")
    expect(page.get_by_test_id("form-problem")).to_contain_text("请修改下面标红的内容")

    with server_data(app) as session:
        taken = session.get(Enterprise, seeded.enterprise_id)
        taken_code, taken_name = taken.credit_code, taken.name
    page.get_by_test_id("field-credit_code").fill(taken_code)
    page.get_by_test_id("enterprise-save").click()
    expect(form.get_by_test_id("error-credit_code")).to_contain_text(f"已登记：{taken_name}")  # the server's 422
    expect(page.get_by_test_id("form-problem")).to_contain_text("内容不符合要求")

    page.get_by_test_id("field-credit_code").fill(new_code)
    page.get_by_test_id("enterprise-save").click()
    expect(page.get_by_test_id("admin-note")).to_have_text("已创建企业：厦门鹭岛新材料有限公司")
    row = page.locator(f'[data-testid="enterprise-row"][data-credit-code="{new_code}"]')
    expect(row).to_contain_text("厦门鹭岛新材料有限公司")
    expect(row).to_contain_text("化工/危险化学品")
    with server_data(app) as session:
        made = session.query(Enterprise).filter_by(credit_code=new_code).one()
        assert (made.sector, made.area.code, made.lat, made.lng) == ("chemical", "350206001", 24.52, 118.16)
        enterprise_id = made.id

    # 批量导入: a CSV with four mistakes → every one listed (行 / 列 / 问题), nothing written.
    open_section(page, "enterprises")
    page.get_by_test_id("enterprise-import").click()
    expect(page.get_by_test_id("import-template")).to_have_attribute("download", "enterprises-template.csv")
    bad, good = import_rows()
    page.get_by_test_id("import-file").set_input_files(csv_file(bad))
    expect(page.get_by_test_id("import-file-name")).to_contain_text("enterprises.csv")
    page.get_by_test_id("import-run").click()
    result = page.get_by_test_id("import-result")
    expect(result).to_have_attribute("data-state", "rejected")
    expect(page.get_by_test_id("import-headline")).to_have_text("文件有 4 处问题（涉及 4 行），未导入任何数据")
    errors = page.get_by_test_id("import-error")
    expect(errors).to_have_count(4)
    seen = [
        (e.get_attribute("data-row"), e.get_attribute("data-column"), e.locator("td").nth(2).inner_text())
        for e in errors.all()
    ]
    assert seen == [
        ("3", "经度", "不是数字"),
        ("4", "统一社会信用代码", "统一社会信用代码校验码（第 18 位）不正确"),
        ("5", "所在区划代码", "没有这个区划"),
        ("6", "统一社会信用代码", "与第 2 行的统一社会信用代码重复"),
    ], seen
    expect(page.get_by_test_id("import-errors").locator("th")).to_have_text(["行", "列", "问题"])
    with server_data(app) as session:
        assert session.query(Enterprise).filter(Enterprise.name.like("厦门导入测试%")).count() == 0

    # Fixed, as an XLSX: the dry run says what it would do and writes nothing; the import creates the five.
    page.get_by_test_id("import-file").set_input_files(xlsx_file(good))
    page.get_by_test_id("import-dry-run").click()
    expect(result).to_have_attribute("data-state", "checked")
    expect(page.get_by_test_id("import-headline")).to_have_text("试导入通过：将新增 5，更新 0，未变 0")
    with server_data(app) as session:
        assert session.query(Enterprise).filter(Enterprise.name.like("厦门导入测试%")).count() == 0
    page.get_by_test_id("import-run").click()
    expect(result).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("import-headline")).to_have_text("导入完成：新增 5，更新 0，未变 0")
    expect(page.get_by_test_id("import-created")).to_have_attribute("data-count", "5")
    with server_data(app) as session:
        imported = session.query(Enterprise).filter(Enterprise.name.like("厦门导入测试%")).all()
        assert sorted(e.credit_code for e in imported) == sorted(r[1] for r in good)
    page.get_by_test_id("import-run").click()  # the same file again changes nothing
    expect(page.get_by_test_id("import-headline")).to_have_text("导入完成：新增 0，更新 0，未变 5")
    open_section(page, "enterprises")
    page.get_by_test_id("enterprise-q").fill("导入测试")
    expect(page.get_by_test_id("enterprise-row")).to_have_count(5)

    # 用户 → 新建用户: the enterprise's safety officer. The rule is shown; a password with the username in it is
    # refused beside the field; a username already taken is the server's 422, beside its field.
    open_section(page, "users")
    page.get_by_test_id("user-new").click()
    user_form = page.get_by_test_id("user-form")
    expect(user_form.get_by_test_id("field-enterprise")).to_have_count(0)  # an inspector has no enterprise
    page.get_by_test_id("field-role").select_option("enterprise_officer")
    page.get_by_test_id("field-username").fill(seeded.inspector)
    page.get_by_test_id("field-display_name").fill("陈安全")
    page.get_by_test_id("enterprise-search").fill("鹭岛新材料")
    option = page.locator(f'[data-testid="enterprise-option"][data-enterprise-id="{enterprise_id}"]')
    option.locator("input").check()
    expect(user_form).to_contain_text("至少 10 个字符，不能包含用户名，不能是常见密码")
    page.get_by_test_id("field-password").fill("ludaofficer-1")
    page.get_by_test_id("user-save").click()
    expect(user_form.get_by_test_id("error-username")).to_have_text("这个用户名已被使用")  # the server's 422
    page.get_by_test_id("field-username").fill("ludaofficer")
    page.get_by_test_id("user-save").click()
    expect(user_form.get_by_test_id("error-password")).to_have_text("不能包含用户名")  # the browser's check
    page.get_by_test_id("field-password").fill("临时密码-厦门2026")
    page.get_by_test_id("user-save").click()
    expect(page.get_by_test_id("admin-note")).to_have_text("已创建用户：ludaofficer")
    user_row = page.locator('[data-testid="user-row"][data-username="ludaofficer"]')
    expect(user_row).to_contain_text("企业安全员")
    expect(user_row).to_contain_text("厦门鹭岛新材料有限公司")
    expect(user_row).to_contain_text("须修改密码")

    # 操作日志: who did what, before → after.
    open_section(page, "audit")
    expect(page.locator(f'[data-testid="audit-row"][data-key="{new_code}"][data-action="create"]')).to_contain_text(
        "厦门鹭岛新材料有限公司"
    )
    expect(page.locator('[data-testid="audit-row"][data-key="ludaofficer"]').first).to_contain_text("企业安全员")
    assert csp == [], csp

    # A finding on the new enterprise, then its officer signs in: first a password of their own, then their queue.
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        data = f.finding_data(session.get(Enterprise, enterprise_id), title="储罐区静电接地线断开")
        finding = f.report(session, inspector, data)
        finding_id = str(finding.id)
        assert user_named(session, "ludaofficer").must_change_password is True

    officer = new_context().new_page()
    officer_csp = watch_csp(officer)
    sign_in(officer, "ludaofficer", "临时密码-厦门2026")
    screen = officer.get_by_test_id("change-password")
    expect(screen).to_be_visible()
    expect(screen.get_by_test_id("password-rule")).to_contain_text("至少 10 个字符")
    expect(officer.get_by_test_id("finding-list")).to_have_count(0)  # nothing else until then
    officer.get_by_test_id("password-next").fill("1234567890")
    officer.get_by_test_id("password-again").fill("1234567890")
    officer.get_by_test_id("password-submit").click()
    expect(officer.get_by_test_id("password-next-error")).to_have_text("这个密码太常见，容易被猜到，请换一个")
    officer.get_by_test_id("password-next").fill(NEW_PASSWORD)
    officer.get_by_test_id("password-again").fill(NEW_PASSWORD)
    officer.get_by_test_id("password-submit").click()
    expect(officer.get_by_test_id("change-password")).to_have_count(0)
    expect(officer.locator("#home-title")).to_have_text("本企业隐患（按紧急程度）")
    item = officer.locator(f'[data-testid="finding-item"][data-finding-id="{finding_id}"]')
    expect(item).to_contain_text("储罐区静电接地线断开")
    expect(officer.get_by_test_id("finding-item")).to_have_count(1)  # only their enterprise's
    expect(officer.get_by_test_id("new-finding")).to_have_count(0)  # an officer does not report
    assert officer_csp == [], officer_csp

    with server_data(app) as session:
        assert user_named(session, "ludaofficer").must_change_password is False
    token = app.test_client().post(
        "/api/v1/auth/token", json={"username": "ludaofficer", "password": NEW_PASSWORD}
    )  # the new password is the one that works now
    assert token.status_code == 201, token.get_json()


# --- a reset password must be replaced at the next sign-in ---------------------------------------------------------


def test_a_user_whose_password_was_reset_must_choose_a_new_one(page, new_context, app, seeded, admin_name):
    sign_in(page, admin_name)
    open_section(page, "users")
    page.get_by_test_id("user-filter-role").select_option("inspector")
    row = page.locator(f'[data-testid="user-row"][data-username="{seeded.inspector}"]')
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    row.get_by_test_id("user-edit").click()
    reset = page.get_by_test_id("user-reset-form")
    expect(reset).to_contain_text("下次登录时必须改成自己的密码")
    page.get_by_test_id("user-reset-password").fill("short")
    page.get_by_test_id("user-reset-submit").click()
    expect(reset.get_by_test_id("error-user-reset-password")).to_have_text("至少需要 10 个字符")
    page.get_by_test_id("user-reset-password").fill("重置后的临时密码-01")
    page.get_by_test_id("user-reset-submit").click()
    expect(page.get_by_test_id("admin-note")).to_contain_text("已重置")
    expect(page.get_by_test_id("user-must-change")).to_be_visible()
    with server_data(app) as session:
        assert user_named(session, seeded.inspector).must_change_password is True

    inspector = new_context().new_page()
    sign_in(inspector, seeded.inspector, "重置后的临时密码-01")
    expect(inspector.get_by_test_id("change-password")).to_be_visible()
    # The server refuses everything else meanwhile: the app does not even ask (no list, no sync bar).
    expect(inspector.get_by_test_id("sync-status")).to_have_count(0)
    denied = (
        app.test_client()
        .post("/api/v1/auth/token", json={"username": seeded.inspector, "password": "重置后的临时密码-01"})
        .get_json()
    )
    gated = app.test_client().get("/api/v1/findings", headers={"Authorization": f"Bearer {denied['token']}"})
    assert (gated.status_code, gated.get_json()["error"]["code"]) == (403, "password_change_required")

    inspector.get_by_test_id("password-next").fill(NEW_PASSWORD)
    inspector.get_by_test_id("password-again").fill(NEW_PASSWORD + "x")
    inspector.get_by_test_id("password-submit").click()
    expect(inspector.get_by_test_id("password-again-error")).to_have_text("两次输入的新密码不一致")
    inspector.get_by_test_id("password-again").fill(NEW_PASSWORD)
    inspector.get_by_test_id("password-submit").click()
    expect(inspector.get_by_test_id("new-finding")).to_be_visible()  # an inspector's home: report, my findings
    expect(inspector.get_by_test_id("sync-status")).to_be_visible()
    with server_data(app) as session:
        assert user_named(session, seeded.inspector).must_change_password is False

    # Signing out ends the token on the server too (POST /auth/logout with it), not only on the device.
    token = inspector.evaluate(SESSION_TOKEN)
    assert token and token_status(app, token) == 200
    inspector.get_by_test_id("logout").click()
    expect(inspector.get_by_test_id("login-submit")).to_be_visible()
    deadline = time.monotonic() + 10
    while token_status(app, token) != 401 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert token_status(app, token) == 401


# --- areas, categories and criteria -------------------------------------------------------------------------------


def test_admin_grows_the_area_tree_and_edits_the_reference_lists(page, app, seeded, admin_name):
    csp = watch_csp(page)
    sign_in(page, admin_name)
    open_section(page, "areas")
    street = page.locator('[data-testid="area-node"][data-code="350206001"]')
    page.locator('[data-testid="area-node"][data-code="350206"] > .tree-row .tree-toggle').click()
    expect(street).to_be_visible()
    street.locator("> .tree-row").get_by_test_id("area-add-child").click()
    child = street.get_by_test_id("area-child-form")
    expect(child.get_by_test_id("area-code")).to_have_value("350206001")  # a child's code extends its parent's
    child.get_by_test_id("area-code").fill("3502060010")  # ten digits: not a community's
    child.get_by_test_id("area-name").fill("金山社区")
    child.get_by_test_id("area-create").click()
    expect(child.get_by_test_id("error-area-code")).to_contain_text("社区代码为所属街道的 350206001 加 3 位")  # 422
    child.get_by_test_id("area-code").fill("350206001002")
    child.get_by_test_id("area-create").click()
    expect(page.get_by_test_id("admin-note")).to_have_text("已创建：金山社区（350206001002）")
    community = page.locator('[data-testid="area-node"][data-code="350206001002"]')
    expect(community).to_contain_text("社区/村")
    community.locator("> .tree-row").get_by_test_id("area-deactivate").click()
    community.locator("> .tree-row").get_by_test_id("area-deactivate-yes").click()
    expect(page.get_by_test_id("admin-note")).to_contain_text("已停用：金山社区")
    expect(community.locator("> .tree-row .badge.inactive")).to_have_text("已停用")
    with server_data(app) as session:
        assert session.query(Area).filter_by(code="350206001002").one().active is False

    open_section(page, "criteria")
    page.get_by_test_id("criteria-new").click()
    page.get_by_test_id("field-code").fill("fishing_vessels_2022")
    page.get_by_test_id("field-title").fill("渔业船舶重大事故隐患判定标准（试行）")
    page.get_by_test_id("field-issuing_body").fill("农业农村部")
    page.get_by_test_id("field-document_number").fill("农渔发〔2022〕11号")
    page.get_by_test_id("field-effective_on").fill("2022-06-01")
    page.get_by_test_id("field-repealed_on").fill("2022-01-01")
    page.get_by_test_id("criteria-save").click()
    expect(page.get_by_test_id("error-repealed_on")).to_have_text("废止日期应晚于施行日期")
    page.get_by_test_id("field-repealed_on").fill("")
    page.get_by_test_id("criteria-save").click()
    row = page.locator('[data-testid="criterion-row"][data-code="fishing_vessels_2022"]')
    expect(row).to_contain_text("农渔发〔2022〕11号")
    expect(row).to_contain_text("可引用")

    open_section(page, "categories")
    page.get_by_test_id("categories-new").click()
    page.get_by_test_id("field-code").fill("self_built_housing_x")
    page.get_by_test_id("field-name_zh").fill("经营性自建房（测试）")
    page.get_by_test_id("field-name_en").fill("Self-built housing (test)")
    page.get_by_test_id("categories-save").click()
    expect(page.locator('[data-testid="category-row"][data-code="self_built_housing_x"]')).to_contain_text(
        "经营性自建房（测试）"
    )
    assert csp == [], csp


# --- screenshots: the admin screens in zh-CN at a desk and on a phone ------------------------------------------


SHOTS = {  # screen → a text it shows, so the shot is of the right screen
    "admin-enterprises": "统一社会信用代码",
    "admin-import-errors": "未导入任何数据",
    "admin-user-form": "密码要求",
}


def shoot(page, name: str) -> None:
    """<name>-zh-CN-1366.png at 1366x768 and <name>-zh-CN.png at 360x640, each checked for overflow."""
    expect(page.locator("body")).to_contain_text(SHOTS[name])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((DESK, "-1366"), (PHONE, "")):
        page.set_viewport_size(size)
        page.wait_for_timeout(250)  # the layout settles at the new width
        no_overflow(page)
        page.evaluate("window.scrollTo(0, 0)")
        shot = SCREENSHOTS / f"{name}-zh-CN{suffix}.png"
        page.screenshot(path=shot, full_page=True, animations="disabled", caret="hide")
    page.set_viewport_size(DESK)


def realistic_names(app) -> None:
    """The seeded world's areas and enterprises under names a bureau would see."""
    names = {
        "350200": "厦门市", "350206": "湖里区", "350206001": "湖里街道", "35020600100101": "金山社区第一网格",
        "350203": "思明区", "35020300100101": "鹭江社区第二网格",
    }  # fmt: skip
    with server_data(app) as session:
        for area in session.query(Area).all():
            area.name = names.get(area.code, area.name)
        companies = ["厦门鹭岛精密机械有限公司", "厦门海沧港务物流有限公司", "厦门思明区金榜酒店管理有限公司"]
        for enterprise, name in zip(session.query(Enterprise).order_by(Enterprise.id), companies, strict=False):
            enterprise.name = name
        session.query(User).update({"display_name": User.username})


def test_screenshots_of_the_admin_screens(page, app, seeded, admin_name):
    realistic_names(app)
    sign_in(page, admin_name)
    open_section(page, "enterprises")
    page.get_by_test_id("enterprise-import").click()
    bad, good = import_rows()
    page.get_by_test_id("import-file").set_input_files(csv_file(good[:3]))
    page.get_by_test_id("import-run").click()
    expect(page.get_by_test_id("import-result")).to_have_attribute("data-state", "done")

    open_section(page, "enterprises")
    expect(page.get_by_test_id("enterprise-row")).to_have_count(6)
    shoot(page, "admin-enterprises")

    page.get_by_test_id("enterprise-import").click()
    page.get_by_test_id("import-file").set_input_files(csv_file(bad))
    page.get_by_test_id("import-dry-run").click()
    expect(page.get_by_test_id("import-error")).to_have_count(4)
    shoot(page, "admin-import-errors")

    open_section(page, "users")
    page.get_by_test_id("user-new").click()
    page.get_by_test_id("field-role").select_option("enterprise_officer")
    page.get_by_test_id("field-username").fill("chen.an")
    page.get_by_test_id("field-display_name").fill("陈安")
    page.get_by_test_id("enterprise-search").fill("鹭岛")
    page.locator(f'[data-testid="enterprise-option"][data-enterprise-id="{seeded.enterprise_id}"] input').check()
    page.get_by_test_id("field-password").fill("chen.an2026")
    page.get_by_test_id("user-save").click()
    expect(page.get_by_test_id("error-password")).to_have_text("不能包含用户名")
    shoot(page, "admin-user-form")

    for name in SHOTS:
        for suffix, width in (("-1366", 1366), ("", 360)):
            with Image.open(SCREENSHOTS / f"{name}-zh-CN{suffix}.png") as image:
                assert (image.format, image.width) == ("PNG", width), name


# --- the import's progress indicator --------------------------------------------------------------------------------


# Records each phase the progress bar shows ([data-phase, whether the <progress> has a value]), as it happens.
RECORD_PHASES = """() => {
  window.__phases = [];
  const note = () => {
    const box = document.querySelector('[data-testid="import-progress"]');
    if (!box) return;
    const seen = [box.dataset.phase, box.querySelector('progress').hasAttribute('value')];
    const last = window.__phases[window.__phases.length - 1];
    if (!last || last[0] !== seen[0] || last[1] !== seen[1]) window.__phases.push(seen);
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
}"""


def test_an_import_shows_its_upload_progress_then_waits_for_the_server(page, context, app, seeded, admin_name):
    """On a slow line the bar counts the bytes sent (XMLHttpRequest upload events), then turns indeterminate
    while the server reads and judges the file, then the counts."""
    rows = [
        [
            f"进度测试{i}号企业",
            code(9000 + i),
            GRID,
            "制造业",
            f"湖里区进度路{i}号",
            118.1,
            24.5,
            "王五",
            "0592-5551234",
        ]
        for i in range(3000)
    ]
    big = csv_file(rows, "progress.csv")
    assert len(big["buffer"]) > 250_000
    sign_in(page, admin_name)
    open_section(page, "enterprises")
    page.get_by_test_id("enterprise-import").click()
    page.get_by_test_id("import-file").set_input_files(big)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 80 * 1024},
    )
    page.evaluate(RECORD_PHASES)
    page.get_by_test_id("import-dry-run").click()
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-phase", "uploading")
    expect(progress.locator("progress")).to_have_attribute("max", "100")
    page.wait_for_function(
        "() => { const p = document.querySelector('#import-bar'); return p && p.value > 0 && p.value < 100; }"
    )  # part of the file has gone, not all of it
    expect(progress).to_contain_text("正在上传…")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(page.get_by_test_id("import-result")).to_have_attribute("data-state", "checked", timeout=60_000)
    expect(page.get_by_test_id("import-headline")).to_have_text("试导入通过：将新增 3000，更新 0，未变 0")
    expect(progress).to_have_count(0)
    phases = page.evaluate("window.__phases")
    assert phases[0] == ["uploading", True], phases  # a bar with a value: the bytes sent
    assert ["processing", False] in phases, phases  # then indeterminate: no value, the server at work
    assert phases.index(["processing", False]) > phases.index(["uploading", True])
