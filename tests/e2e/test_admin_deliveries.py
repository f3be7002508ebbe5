"""Issue 12, failed deliveries visible to admins: an officer chose email and the group robot; the report's notice
(the new order) went out on both, a reminder was refused by both receivers (a real SMTP server answering 550 at
RCPT, a real webhook answering errcode 93000), and the delivery job, allowed one attempt, marked both failed with
the reason. The admin opens 消息发送, sees the two failed rows (failed is what the screen opens on) with their
channels, attempts and the servers' reasons as they are, and the notice's title linking to its finding; presses
重新发送 on each and sees it queued, as the database says; then the 失败 filter is empty (没有发送失败的消息), the
待发送 one lists both and the 已发送 one the first notice's two. More failed rows than a page are paged (加载更多),
and a retry someone else did first is refused in words about the message. Screenshots in zh-CN at 1366x768 and
360x640, each checked for overflow. Under the real CSP."""

from datetime import timedelta

import factories as f
import pytest
from delivery_support import DEADLINE, REPORTED, Robot, SmtpServer, notify
from playwright.sync_api import expect
from sqlalchemy import select

from app.domain.calendar import utcnow
from app.jobs.deliver import DeliverySettings, run_deliver
from app.models import Delivery, Enterprise
from app.notify import channels_from_config
from app.services.deliveries import retry_delivery

from .support import server_data, user_named
from .test_admin import DESK, open_section, sign_in, watch_csp
from .test_admin_holidays import shoot

SMTP_REFUSAL = "SMTP refused the recipient: 550 5.1.1 mailbox unavailable"
ROBOT_REFUSAL = "webhook errcode 93000: invalid webhook url"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESK}


@pytest.fixture
def admin_name(app, seeded) -> str:
    with server_data(app) as session:
        return f.user(session, "admin", area=None).username


def make_deliveries(app, seeded, reminders: int = 1) -> dict:
    """The report's notice (the new order) sent on both channels, then `reminders` reminders refused by both
    receivers and, one attempt allowed, failed: {'finding', 'title', 'sent': [ids], 'failed': {channel: id of the
    newest}, 'all_failed': [ids]}."""
    with SmtpServer() as smtp, Robot() as robot, server_data(app) as session:
        officer = user_named(session, seeded.officer)
        officer.email, officer.channels = "zhang.san@example.cn", ["email", "webhook"]
        data = f.finding_data(
            session.get(Enterprise, seeded.enterprise_id),
            observed_at=REPORTED - timedelta(minutes=5),
            deadline=DEADLINE,
        )
        finding = f.report(session, user_named(session, seeded.inspector), data, now=REPORTED)
        config = {"SMTP_URL": smtp.url, "WEBHOOK_URL": robot.url(), "WEBHOOK_KIND": "wecom",
                  "MAIL_FROM": "隐患闭环 <noreply@closeloop.test>"}  # fmt: skip
        channels, once = channels_from_config(config), DeliverySettings(max_attempts=1)
        session.commit()  # the report told the officer of the new order: queued on both channels
        assert run_deliver(session, REPORTED + timedelta(minutes=1), channels, once).sent == 2

        smtp.mailbox.mode, robot.answer = "refuse", (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
        last = REPORTED + timedelta(hours=3)
        for n in range(reminders):  # the newest at `last`
            assert notify(session, finding, [officer], now=last - timedelta(minutes=n)) == 1
        session.commit()
        assert run_deliver(session, last + timedelta(minutes=1), channels, once).failed == 2 * reminders
        rows = list(session.scalars(select(Delivery).order_by(Delivery.id.desc())))
        failed = [d for d in rows if d.status == "failed"]
        return {
            "finding": str(finding.id),
            "title": f"隐患 {finding.number} 将于 2026年12月8日 到期",
            "sent": [d.id for d in rows if d.status == "sent"],
            "failed": {channel: next(d.id for d in failed if d.channel == channel) for channel in ("email", "webhook")},
            "all_failed": [d.id for d in failed],
        }


@pytest.fixture
def deliveries(app, seeded) -> dict:
    return make_deliveries(app, seeded)


def stored(app, delivery_id: int) -> tuple:
    with server_data(app) as session:
        d = session.get(Delivery, delivery_id)
        return d.status, d.attempts, d.last_error


def test_admin_sees_failed_deliveries_with_their_reasons_and_sends_them_again(
    page, app, seeded, admin_name, deliveries
):
    csp = watch_csp(page)
    failed = deliveries["failed"]
    sign_in(page, admin_name)
    open_section(page, "deliveries")

    expect(page.get_by_test_id("deliveries-filter-status")).to_have_value("failed")
    rows = page.get_by_test_id("delivery-row")
    expect(rows).to_have_count(2)
    email = page.locator(f'[data-testid="delivery-row"][data-delivery-id="{failed["email"]}"]')
    robot = page.locator(f'[data-testid="delivery-row"][data-delivery-id="{failed["webhook"]}"]')
    for row, channel, reason in ((email, "邮件", SMTP_REFUSAL), (robot, "群机器人", ROBOT_REFUSAL)):
        expect(row.get_by_test_id("delivery-channel")).to_have_text(channel)
        expect(row.get_by_test_id("delivery-status")).to_have_text("失败")
        expect(row.get_by_test_id("delivery-attempts")).to_have_text("1")
        expect(row.get_by_test_id("delivery-next")).to_have_text("—")
        expect(row.get_by_test_id("delivery-reason")).to_have_text(reason)
        expect(row.get_by_test_id("delivery-recipient")).to_have_text(seeded.officer)
        expect(row).to_contain_text("2026年12月1日 13:00")  # queued at 05:00 UTC, shown in Shanghai time
        link = row.get_by_test_id("delivery-finding")
        expect(link).to_have_text(deliveries["title"])
        expect(link).to_have_attribute("href", f"#/f/{deliveries['finding']}")
    shoot(page, "admin-deliveries", SMTP_REFUSAL)

    # 重新发送: the row says queued (待发送), due now, tried afresh; the reason stays until the next attempt.
    email.get_by_test_id("delivery-retry").click()
    expect(email.get_by_test_id("delivery-status")).to_have_text("待发送")
    expect(email.get_by_test_id("delivery-attempts")).to_have_text("0")
    expect(email.get_by_test_id("delivery-next")).not_to_have_text("—")
    expect(email.get_by_test_id("delivery-retry")).to_have_count(0)
    expect(email.get_by_test_id("delivery-reason")).to_have_text(SMTP_REFUSAL)
    assert stored(app, failed["email"]) == ("queued", 0, SMTP_REFUSAL)
    assert stored(app, failed["webhook"]) == ("failed", 1, ROBOT_REFUSAL)

    robot.get_by_test_id("delivery-retry").click()
    expect(robot.get_by_test_id("delivery-status")).to_have_text("待发送")
    assert stored(app, failed["webhook"]) == ("queued", 0, ROBOT_REFUSAL)

    # Read again from the server: nothing failed any more; both wait to be sent; the first notice's two went out.
    status = page.get_by_test_id("deliveries-filter-status")
    status.select_option("queued")
    expect(rows.locator('[data-testid="delivery-status"]')).to_have_text(["待发送", "待发送"])
    expect(page.get_by_test_id("delivery-retry")).to_have_count(0)
    status.select_option("sent")
    expect(rows).to_have_count(2)
    expect(page.locator('[data-testid="delivery-row"][data-status="sent"]')).to_have_count(2)
    expect(rows.first).to_have_attribute("data-delivery-id", str(max(deliveries["sent"])))  # newest first
    status.select_option("failed")
    expect(page.get_by_test_id("deliveries-empty")).to_have_text("没有发送失败的消息")
    expect(rows).to_have_count(0)

    # The notice's title opens its finding.
    status.select_option("queued")
    rows.first.get_by_test_id("delivery-finding").click()
    expect(page.locator(f'article[data-finding-id="{deliveries["finding"]}"]')).to_be_visible()
    assert csp == [], csp


def test_more_failed_deliveries_than_a_page_and_a_retry_someone_else_did_first(page, app, seeded, admin_name):
    """52 failed rows: the first page holds 50, 加载更多 brings the other two (keyset, newest first, none twice).
    A row another admin already sent again is refused (409) in words about the message, and the list is read
    again without it."""
    made = make_deliveries(app, seeded, reminders=26)
    csp = watch_csp(page)
    sign_in(page, admin_name)
    open_section(page, "deliveries")
    rows = page.get_by_test_id("delivery-row")
    expect(rows).to_have_count(50)
    page.get_by_test_id("deliveries-more").click()
    expect(rows).to_have_count(52)
    expect(page.get_by_test_id("deliveries-more")).to_have_count(0)
    shown = [int(i) for i in rows.evaluate_all("rows => rows.map((r) => r.dataset.deliveryId)")]
    assert shown == made["all_failed"]  # newest first, each once

    newest = made["all_failed"][0]
    with server_data(app) as session:  # another admin, a moment earlier
        retry_delivery(session, newest, utcnow())
    page.locator(f'[data-testid="delivery-row"][data-delivery-id="{newest}"]').get_by_test_id("delivery-retry").click()
    expect(page.get_by_test_id("deliveries-problem")).to_contain_text(
        "这条消息已不是“失败”状态（可能已被别人重新发送）"
    )
    expect(page.get_by_test_id("deliveries-problem")).to_contain_text("this one is queued")
    expect(page.locator(f'[data-testid="delivery-row"][data-delivery-id="{newest}"]')).to_have_count(0)
    expect(rows).to_have_count(50)
    expect(rows.first).to_have_attribute("data-delivery-id", str(made["all_failed"][1]))
    assert stored(app, newest)[:2] == ("queued", 0)
    assert csp == [], csp
