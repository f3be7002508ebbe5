"""Issue 12, the working-day calendar at an admin's desk: the admin opens 工作日历, sees the seeded 2026 notice with
春节 and its 调休 days, and that 2027 has none (it counts Monday to Friday); enters a 2027 notice from ranges the
way the notice is written (made-up test data), is told in Chinese beside the box that a Friday cannot be a 调休
workday (nothing is sent), saves it and sees it listed; then deletes it after confirming. Screenshots of the list
and of the editor in zh-CN at 1366x768 and 360x640, each checked for overflow. Under the real CSP."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factories as f
import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import HolidayDay, HolidayYear

from .support import SCREENSHOTS, server_data
from .test_admin import DESK, PHONE, no_overflow, open_section, sign_in, watch_csp

# The story is told on 1 December 2026 (Shanghai), when 2027's notice is due: the page's clock says so whatever
# day the test runs, so "this year and the next" are 2026 and 2027.
TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SOURCE = "测试用通知（非真实放假安排）"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESK}


@pytest.fixture
def admin_name(app, seeded) -> str:
    with server_data(app) as session:
        admin = f.user(session, "admin", area=None)
        admin.display_name = "系统管理员"
        return admin.username


def shoot(page, name: str, text: str) -> None:
    """docs/screenshots/<name>-zh-CN-1366.png and <name>-zh-CN.png (360x640), each checked for overflow."""
    expect(page.locator("body")).to_contain_text(text)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((DESK, "-1366"), (PHONE, "")):
        page.set_viewport_size(size)
        page.wait_for_function(f"() => document.documentElement.clientWidth === {size['width']}")
        no_overflow(page)
        page.evaluate("window.scrollTo(0, 0)")
        shot = SCREENSHOTS / f"{name}-zh-CN{suffix}.png"
        page.screenshot(path=shot, full_page=True, animations="disabled", caret="hide")
        with Image.open(shot) as image:
            assert (image.format, image.width) == ("PNG", size["width"])
    page.set_viewport_size(DESK)


def fill_holiday(row, name: str, days_off: str, workdays: str = "") -> None:
    """One holiday as the notice writes it: its name, its days off (2月6日至14日), its worked days (2月20日、…)."""
    row.get_by_test_id("holiday-name").fill(name)
    row.get_by_test_id("holiday-range").fill(days_off)
    row.get_by_test_id("holiday-workdays").fill(workdays)


def stored_2027(app):
    with server_data(app) as session:
        year = session.get(HolidayYear, 2027)
        days = session.execute(select(HolidayDay.day, HolidayDay.kind, HolidayDay.name).where(HolidayDay.year == 2027))
        return year and year.source, sorted((d.isoformat(), kind, name) for d, kind, name in days)


def test_admin_enters_checks_and_deletes_a_years_notice(page, app, seeded, admin_name):
    csp = watch_csp(page)
    page.clock.set_fixed_time(TODAY)
    sign_in(page, admin_name)
    open_section(page, "holidays")

    # 2026 as migration 0006 seeded it: 春节 with its two worked Saturdays; 2027 has no notice yet.
    year_2026 = page.locator('[data-testid="holiday-year"][data-year="2026"]')
    expect(year_2026).to_contain_text("放假 33 天 · 调休上班 6 天")
    expect(year_2026.get_by_test_id("holiday-source")).to_contain_text("国务院办公厅关于2026年部分节假日安排的通知")
    spring = year_2026.locator('[data-testid="holiday-group"][data-name="春节"]')
    expect(spring.get_by_test_id("holiday-rest")).to_have_text("2月15日（周日）至23日（周一）")
    expect(spring).to_contain_text("9 天")
    expect(spring.get_by_test_id("holiday-work")).to_have_text("2月14日（周六）、2月28日（周六）")
    expect(year_2026.get_by_test_id("holiday-group")).to_have_count(7)
    missing = page.locator('[data-testid="holidays-missing"][data-year="2027"]')
    expect(missing).to_contain_text("2027年尚未录入放假安排，将按周一至周五计算工作日")
    shoot(page, "admin-holidays", "2027年尚未录入放假安排")

    # The 2027 notice, entered from ranges; a Friday entered as a 调休 workday is refused before anything is sent.
    missing.get_by_test_id("holidays-enter").click()
    expect(page.get_by_test_id("field-year")).to_have_value("2027")
    page.get_by_test_id("field-source").fill(SOURCE)
    rows = page.get_by_test_id("holiday-row")
    fill_holiday(rows.nth(0), "元旦", "1月1日至3日")
    expect(rows.nth(0).get_by_test_id("holiday-total")).to_have_text("共 3 天：1月1日（周五）至3日（周日）")
    page.get_by_test_id("holiday-add").click()
    fill_holiday(rows.nth(1), "春节", "2月6日（周六）至14日（周日）", "2月20日、2月19日")
    expect(rows.nth(1).get_by_test_id("holiday-total")).to_have_text("共 9 天：2月6日（周六）至14日（周日）")
    expect(rows.nth(1).get_by_test_id("holiday-work-read")).to_have_text("调休上班：2月20日（周六）、2月19日（周五）")
    page.get_by_test_id("holidays-save").click()
    expect(page.get_by_test_id("form-problem")).to_contain_text("请修改下面标红的内容（尚未提交）")
    expect(rows.nth(1).get_by_test_id("error-holiday-workdays")).to_have_text(
        "调休上班日应为周六或周日：2月19日（周五）本来就是工作日"
    )
    expect(rows.nth(1).get_by_test_id("holiday-workdays")).to_have_attribute("aria-invalid", "true")
    expect(rows.nth(1).get_by_test_id("holiday-workdays")).to_be_focused()
    assert stored_2027(app) == (None, [])  # nothing was sent
    shoot(page, "admin-holidays-editor", "调休上班日应为周六或周日")

    rows.nth(1).get_by_test_id("holiday-workdays").fill("2月20日")
    page.get_by_test_id("holidays-save").click()
    expect(page.get_by_test_id("admin-note")).to_have_text("已保存2027年的节假日安排：放假 12 天，调休上班 1 天")
    year_2027 = page.locator('[data-testid="holiday-year"][data-year="2027"]')
    expect(year_2027.get_by_test_id("holiday-source")).to_have_text(SOURCE)
    spring_2027 = year_2027.locator('[data-testid="holiday-group"][data-name="春节"]')
    expect(spring_2027.get_by_test_id("holiday-rest")).to_have_text("2月6日（周六）至14日（周日）")
    expect(spring_2027.get_by_test_id("holiday-work")).to_have_text("2月20日（周六）")
    expect(
        year_2027.locator('[data-testid="holiday-group"][data-name="元旦"]').get_by_test_id("holiday-work")
    ).to_have_text("无")
    expect(page.get_by_test_id("holidays-missing")).to_have_count(0)
    source, days = stored_2027(app)
    assert source == SOURCE
    assert [d for d in days if d[1] == "work"] == [("2027-02-20", "work", "春节")]
    assert [d[0] for d in days if d[1] == "rest" and d[2] == "元旦"] == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert len([d for d in days if d[1] == "rest" and d[2] == "春节"]) == 9

    # Opened again, the year reads back as it was entered: one row per holiday.
    year_2027.get_by_test_id("holiday-year-edit").click()
    expect(page.get_by_test_id("holiday-row")).to_have_count(2)
    expect(rows.nth(1).get_by_test_id("holiday-range")).to_have_value("2月6日至14日")
    expect(rows.nth(1).get_by_test_id("holiday-workdays")).to_have_value("2月20日")
    expect(page.get_by_test_id("field-year")).to_have_count(0)  # the year of a stored notice is not retyped
    open_section(page, "holidays")

    year_2027.get_by_test_id("holiday-year-delete").click()
    expect(year_2027).to_contain_text("删除后2027年将按周一至周五计算工作日。确认删除？")
    year_2027.get_by_test_id("holiday-year-delete-yes").click()
    expect(page.get_by_test_id("admin-note")).to_have_text("已删除2027年的节假日安排：该年按周一至周五计算工作日")
    expect(year_2027).to_have_count(0)
    expect(missing).to_contain_text("2027年尚未录入放假安排")
    assert stored_2027(app) == (None, [])
    assert csp == [], csp
