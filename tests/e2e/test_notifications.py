"""Issue 12, acceptance 6: after the deadline job ran, an officer sees the bell's count, opens the inbox and the
finding from it; offline (a reload with no network) the bell, the inbox and the finding are still there, from the
device's read cache, and a notification opened offline is marked read on the server once the network is back.
Also the notification settings: an email address saved, a bad one refused in Chinese. Screenshots in zh-CN of the
header with the bell, the inbox and the settings at 360x640 and 1366x768 (docs/screenshots)."""

import time
from dataclasses import replace
from datetime import timedelta

import factories as f
from playwright.sync_api import expect

from app.domain.calendar import utcnow
from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineFacts, due_reminders
from app.domain.terms import State
from app.domain.workdays import OFFICIAL_CALENDAR
from app.jobs.deadlines import run_deadlines
from app.models import Enterprise, User

from .support import SCREENSHOTS, login, server_data, user_named

TITLES = ("二号仓库消防通道被货物堵塞", "配电箱线路私拉乱接")
PHONE = {"width": 360, "height": 640}
DESK = {"width": 1366, "height": 768}


def due_findings(app, seeded) -> list[str]:
    """Two findings in rectifying whose deadline was yesterday: the deadline job has notices for the officer."""
    reported = utcnow() - timedelta(days=10)
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        enterprise.name = "厦门鹭岛精密机械有限公司"
        session.query(User).update({"display_name": User.username})
        ids = []
        for title in TITLES:
            seen = reported - timedelta(minutes=5)
            data = f.finding_data(enterprise, title=title, observed_at=seen, deadline=f.TODAY - timedelta(days=1))
            ids.append(str(f.report(session, inspector, data, now=reported).id))
    return ids


def run_the_deadline_job(app) -> int:
    """The job in-process against the live server's database, as cron would run it once the overdue notices of
    due_findings are due: now, or later today when it is before 09:00 in Shanghai (or the next working day, when
    yesterday's deadline fell before a rest day). Not judged by the clock alone: the suite may run past midnight
    in Shanghai, when a deadline of "yesterday" is not yet a day overdue at 09:00."""
    deadline = f.TODAY - timedelta(days=1)
    facts = DeadlineFacts("f", State.RECTIFYING, deadline, utcnow() - timedelta(days=10), "/1/", reporter_id=1)
    everything = replace(DEFAULT_SETTINGS, catch_up=timedelta(days=30))  # the rules' own moments, whenever
    notices = due_reminders(facts, utcnow() + timedelta(days=7), OFFICIAL_CALENDAR, everything)
    overdue_at = min(n.due_at for n in notices if n.rule == "overdue")
    with server_data(app) as session:
        return run_deadlines(session, max(utcnow(), overdue_at + timedelta(minutes=1)))


def unread(server_view, username: str) -> int:
    status, body = server_view(username).get("/api/v1/me")
    assert status == 200, body
    return body["unread_notifications"]


def notifications(server_view, username: str) -> list[dict]:
    status, body = server_view(username).get("/api/v1/notifications?limit=200")
    assert status == 200, body
    return body["items"]


def eventually(check, what: str, timeout: float = 30.0) -> None:
    """Until check() holds on the server (the app sends on its own schedule: poll the condition, not a clock)."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, f"still not so after {timeout:.0f} s: {what}"
        time.sleep(0.05)


def expect_bell(page, count: int) -> None:
    bell = page.get_by_test_id("bell")
    expect(bell).to_have_attribute("data-unread", str(count))
    expect(bell).to_have_attribute("aria-label", f"通知，{count} 条未读" if count else "通知，没有未读")
    if count:
        expect(page.get_by_test_id("bell-count")).to_have_text(str(count))
    else:
        expect(page.get_by_test_id("bell-count")).to_have_count(0)


def notice_of(page, finding_id: str):
    return page.locator(f'[data-testid="notice"][data-finding-id="{finding_id}"]').first


def settle(page, size: dict) -> None:
    """At the new size, once the layout has been done at it (two animation frames later)."""
    page.set_viewport_size(size)
    page.wait_for_function("([w, h]) => innerWidth === w && innerHeight === h", arg=[size["width"], size["height"]])
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def shoot(page, name: str, says: str) -> None:
    """<name>-zh-CN.png at 360x640 and <name>-zh-CN-1366.png at 1366x768, each without sideways overflow."""
    expect(page.locator("main")).to_contain_text(says)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((PHONE, ""), (DESK, "-1366")):
        settle(page, size)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}{suffix}: the page is {overflow}px wider than the screen"
        page.evaluate("window.scrollTo(0, 0)")
        shot = SCREENSHOTS / f"{name}-zh-CN{suffix}.png"
        page.screenshot(path=shot, full_page=True, animations="disabled", caret="hide")
    settle(page, PHONE)


def test_the_officer_opens_the_finding_from_the_inbox_online_and_offline(page, context, app, seeded, server_view):
    ids = due_findings(app, seeded)
    login(page, seeded.officer)
    before = unread(server_view, seeded.officer)  # an order's own notice, if the server writes one
    expect_bell(page, before)

    # The deadline job runs (cron, every 15 minutes); the officer pulls the list: the bell has the new count.
    assert run_the_deadline_job(app) >= 2
    count = unread(server_view, seeded.officer)
    assert count >= before + 2, "each due finding told the officer"
    page.get_by_test_id("list-refresh").click()
    expect_bell(page, count)
    shoot(page, "officer-bell", "本企业隐患")

    # The inbox: newest first, every one unread; a tap opens the finding and marks that one read.
    page.get_by_test_id("bell").click()
    notices = page.get_by_test_id("notice")
    expect(notices).to_have_count(len(notifications(server_view, seeded.officer)))
    expect(page.locator('[data-testid="notice"][data-read="false"]')).to_have_count(count)
    server_ids = [n["id"] for n in notifications(server_view, seeded.officer)]
    assert [int(i) for i in notices.evaluate_all("(els) => els.map((e) => e.dataset.noticeId)")] == server_ids
    shoot(page, "inbox", "全部标为已读")
    first = notice_of(page, ids[0])
    first_id = int(first.get_attribute("data-notice-id"))
    first.locator("a").click()
    expect(page.locator(f'article[data-finding-id="{ids[0]}"]')).to_contain_text(TITLES[0])
    expect_bell(page, count - 1)
    eventually(lambda: unread(server_view, seeded.officer) == count - 1, "the tapped notice is read on the server")
    read_at = {n["id"]: n["read_at"] for n in notifications(server_view, seeded.officer)}
    assert read_at[first_id] is not None

    # Offline, after a reload: the bell's count and the inbox come from the device, and so does the finding.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("app-ready")).to_be_visible()
    assert page.evaluate("navigator.onLine") is False
    expect_bell(page, count - 1)
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("inbox")).to_contain_text("离线")
    expect(notices).to_have_count(len(server_ids))
    expect(notice_of(page, ids[0])).to_have_attribute("data-read", "true")
    second = notice_of(page, ids[1])
    expect(second).to_have_attribute("data-read", "false")
    second_id = int(second.get_attribute("data-notice-id"))
    second.locator("a").click()
    expect(page.locator(f'article[data-finding-id="{ids[1]}"]')).to_contain_text(TITLES[1])
    expect_bell(page, count - 2)  # read here at once; the server hears of it when the network is back
    assert unread(server_view, seeded.officer) == count - 1

    context.set_offline(False)
    eventually(lambda: unread(server_view, seeded.officer) == count - 2, "the offline read mark reached the server")
    read_at = {n["id"]: n["read_at"] for n in notifications(server_view, seeded.officer)}
    assert read_at[second_id] is not None
    expect_bell(page, count - 2)

    # 全部标为已读: the rest, on the server too.
    page.get_by_test_id("bell").click()
    page.get_by_test_id("inbox-all-read").click()
    expect_bell(page, 0)
    expect(page.locator('[data-testid="notice"][data-read="false"]')).to_have_count(0)
    eventually(lambda: unread(server_view, seeded.officer) == 0, "all read on the server")


def test_the_officer_saves_an_email_address_in_the_settings(page, app, seeded, server_view):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:2525"  # the server offers email: the box is there to tick
    due_findings(app, seeded)
    login(page, seeded.officer)
    page.get_by_test_id("nav-settings").click()
    email = page.get_by_test_id("settings-email")
    expect(email).to_have_value("")
    expect(page.get_by_test_id("settings-channels")).to_contain_text("应用内通知（始终开启）")

    # A bad address is refused by the server, said in Chinese beside the field; nothing is saved.
    email.fill("chen.an@")
    page.get_by_test_id("settings-channel-email").check()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-email-error")).to_have_text("请输入有效的电子邮箱地址，例如 name@example.com")
    expect(email).to_have_attribute("aria-invalid", "true")
    shoot(page, "notice-settings-error", "请输入有效的电子邮箱地址")

    # Email chosen without an address: the server names the field, the form says what is missing.
    email.fill("")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-email-error")).to_have_text("选择邮件通知时，请填写电子邮箱")
    status, body = server_view(seeded.officer).get("/api/v1/me/settings")
    assert (status, body["email"], body["channels"]) == (200, None, [])

    email.fill("chen.an@example.cn")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-status")).to_have_text("已保存")
    expect(page.get_by_test_id("settings-email-error")).to_have_count(0)
    status, body = server_view(seeded.officer).get("/api/v1/me/settings")
    assert (status, body["email"], body["channels"]) == (200, "chen.an@example.cn", ["email"])
    shoot(page, "notice-settings", "已保存")

    page.reload()
    expect(page.get_by_test_id("settings-email")).to_have_value("chen.an@example.cn")
    expect(page.get_by_test_id("settings-channel-email")).to_be_checked()
