"""Issue 12, 挂牌督办 in the browser (zh-CN): a supervisor opens a major hazard being rectified, lists it for
supervision through the app's form, sees the listing on the finding and in the register (#/register), filters the
register, and opens the finding from it. Screenshots of the form, the finding's panel and the register at 360x640
and 1366x768 go to docs/screenshots (supervision-*-zh-CN[-1366].png). Then, the fix handed in, the supervisor
approves it on site: the form sends where the phone is (30 m from the enterprise), and the approval delists it
(摘牌)."""

import uuid
from datetime import timedelta

import factories as f
from playwright.sync_api import expect

from app.models import Enterprise, Finding, Supervision, User

from .support import SCREENSHOTS, login, server_data, user_named

PHONE = {"width": 360, "height": 640}
DESK = {"width": 1366, "height": 768}
TITLE = "粉尘涉爆车间除尘系统未设置泄爆装置"
DOCUMENT_NO = "厦安办督〔2026〕12号"


def major_hazard(app, seeded) -> str:
    """A major hazard on the enterprise, being rectified with its treatment plan in, and a second (general) one."""
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        enterprise.name = "厦门鹭岛精密机械有限公司"
        session.query(User).update({"display_name": User.username})
        data = f.major_data(enterprise, title=TITLE, deadline=f.TODAY + timedelta(days=30), category="dust")
        finding = f.report(session, inspector, data)
        f.act(session, officer, finding, "submit_plan", plan={**f.PLAN, "time_limit": f.TODAY + timedelta(days=20)})
        f.report(session, inspector, f.finding_data(enterprise, title="灭火器压力不足"))
        return str(finding.id)


def settle(page, size: dict) -> None:
    page.set_viewport_size(size)
    page.wait_for_function("([w, h]) => innerWidth === w && innerHeight === h", arg=[size["width"], size["height"]])
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def shoot(page, name: str) -> None:
    """<name>-zh-CN.png at 360x640 and <name>-zh-CN-1366.png at 1366x768, each without sideways overflow."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((PHONE, ""), (DESK, "-1366")):
        settle(page, size)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}{suffix}: the page is {overflow}px wider than the screen"
        shot = SCREENSHOTS / f"{name}-zh-CN{suffix}.png"
        page.screenshot(path=shot, full_page=True, animations="disabled", caret="hide")
    settle(page, PHONE)


def test_a_supervisor_lists_a_major_hazard_and_finds_it_in_the_register(page, app, seeded, server_view):
    finding_id = major_hazard(app, seeded)
    login(page, seeded.supervisor)
    page.evaluate(f"location.hash = '#/f/{finding_id}'")
    article = page.locator(f'article[data-finding-id="{finding_id}"]')
    expect(article).to_be_visible()
    expect(article.get_by_test_id("supervision")).to_have_count(0)

    # the form: the listing's level, authority, 文号, leader, lead department and public
    page.get_by_test_id("action-list_supervision").click()
    form = page.get_by_test_id("action-form")
    expect(form).to_have_attribute("data-action", "list_supervision")
    expect(form).to_contain_text("挂牌督办")
    form.get_by_test_id("action-supervision-level").select_option("city")
    form.get_by_test_id("action-authority").fill("厦门市安全生产委员会办公室")
    form.get_by_test_id("action-document-no").fill(DOCUMENT_NO)
    form.get_by_test_id("action-leader").fill("王副市长")
    form.get_by_test_id("action-lead-department").fill("湖里区应急管理局")
    form.get_by_test_id("action-public").check()
    shoot(page, "supervision-form")
    page.get_by_test_id("action-submit").click()
    expect(form).to_be_hidden()

    # on the finding: the badge and the panel, once the server has it
    panel = article.get_by_test_id("supervision")
    expect(panel).to_be_visible(timeout=30_000)
    expect(panel).to_have_attribute("data-status", "listed")
    expect(panel).to_contain_text(DOCUMENT_NO)
    expect(panel).to_contain_text("市级")
    expect(article.get_by_test_id("listed-badge").first).to_contain_text("挂牌督办·市级")
    expect(page.get_by_test_id("action-list_supervision")).to_have_count(0)
    expect(page.locator(".history")).to_contain_text("挂牌督办（市级）" + DOCUMENT_NO, timeout=30_000)
    shoot(page, "supervision-detail")

    with server_data(app) as session:
        [listing] = session.query(Supervision).all()
        stored = (listing.level, listing.document_no, listing.public, listing.status)
        assert stored == ("city", DOCUMENT_NO, True, "listed")
    assert server_view(seeded.supervisor).finding(finding_id)["supervision_level"] == "city"

    # the register, from the home screen's link
    page.evaluate("location.hash = '#/'")
    page.get_by_test_id("nav-register").click()
    register = page.get_by_test_id("register")
    expect(register.get_by_role("heading", name="挂牌督办台账")).to_be_visible()
    row = register.locator(f'[data-testid="register-row"][data-finding-id="{finding_id}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text(DOCUMENT_NO)
    expect(row).to_contain_text("厦门鹭岛精密机械有限公司")
    expect(row).to_contain_text("剩 30 天")
    expect(row).to_contain_text("督办期限")
    shoot(page, "supervision-register")

    # filters: a level it is not at empties the list; its own level brings it back
    register.get_by_test_id("register-level").select_option("province")
    expect(register.get_by_test_id("register-empty")).to_be_visible()
    register.get_by_test_id("register-level").select_option("city")
    expect(row).to_be_visible()
    register.get_by_test_id("register-overdue").check()
    expect(register.get_by_test_id("register-empty")).to_be_visible()
    register.get_by_test_id("register-overdue").uncheck()

    # a tap opens the finding
    row.locator("a").click()
    expect(page.locator(f'article[data-finding-id="{finding_id}"]')).to_be_visible()

    # the fix handed in; the supervisor, at the enterprise, approves it: the phone's place goes with it
    with server_data(app) as session:
        officer = user_named(session, seeded.officer)
        finding = session.get(Finding, uuid.UUID(finding_id))
        fix = {"measures": "加装泄爆片并更换防爆电机", "completed_on": f.TODAY}
        f.act(session, officer, finding, "submit_rectification", **fix)
    page.evaluate("location.hash = '#/'")
    page.get_by_test_id("list-refresh").click()
    expect(page.get_by_test_id("list-refresh")).to_be_enabled()
    page.evaluate(f"location.hash = '#/f/{finding_id}'")
    expect(page.get_by_test_id("action-approve")).to_be_visible(timeout=30_000)
    page.get_by_test_id("action-approve").click()
    form = page.get_by_test_id("action-form")
    expect(form.get_by_test_id("action-site-location")).to_contain_text("500 米")
    expect(form.get_by_test_id("gps-accuracy")).to_contain_text("8")
    form.get_by_test_id("action-on-site").check()
    shoot(page, "supervision-approve")
    page.get_by_test_id("action-submit").click()
    expect(form).to_be_hidden()
    article = page.locator(f'article[data-finding-id="{finding_id}"]')
    expect(article.get_by_test_id("supervision")).to_have_attribute("data-status", "delisted", timeout=30_000)
    expect(page.locator(".history")).to_contain_text("摘牌：" + DOCUMENT_NO, timeout=30_000)
    approval = server_view(seeded.supervisor).events(finding_id)[-1]
    assert approval["action"] == "approve" and approval["payload"]["delisted"]["document_no"] == DOCUMENT_NO
    assert abs(approval["location"]["lat"] - seeded.phone["latitude"]) < 1e-6
