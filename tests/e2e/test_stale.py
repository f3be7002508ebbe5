"""A queued action the server answers 409 `stale` (a supervisor acted while the officer was offline) is shown to
the user with what to do, stays on the device, and does not hold back the rest of the queue (SPEC §6)."""

from datetime import timedelta

import factories as f
from playwright.sync_api import expect

from app.models import Enterprise, Finding

from .support import login, open_finding, server_data, take_action, user_named, wait_outbox


def test_a_stale_action_is_shown_and_the_rest_of_the_queue_goes_on(page, context, app, seeded, server_view):
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        first = f.report(session, inspector, f.finding_data(enterprise, title="叉车通道未划线"))
        first = f.act(
            session,
            officer,
            first,
            "request_extension",
            new_deadline=f.TODAY + timedelta(days=30),
            reason="需采购标线材料",
        )
        second = f.report(session, inspector, f.finding_data(enterprise, title="应急照明损坏"))
        first_id, second_id = str(first.id), str(second.id)

    # The officer, offline, acknowledges both orders: two actions queued, in that order.
    login(page, seeded.officer)
    context.set_offline(True)
    for finding_id in (first_id, second_id):
        page.evaluate("location.hash = '#/'")
        open_finding(page, finding_id)
        take_action(page, "acknowledge")
    expect(page.get_by_test_id("sync-status")).to_contain_text("2")

    # Meanwhile the supervisor grants the extension on the first finding: its version moves on.
    with server_data(app) as session:
        supervisor = user_named(session, seeded.supervisor)
        f.act(session, supervisor, session.get(Finding, first.id), "decide_extension", approved=True)

    # Back online: the first answer is 409 stale, set aside; the second is sent all the same.
    context.set_offline(False)
    wait_outbox(page, 1)  # only the stale one stays, never silently dropped
    server = server_view(seeded.supervisor)
    assert server.finding(second_id)["acknowledged"] is True
    assert server.finding(first_id)["acknowledged"] is False
    assert [e["action"] for e in server.events(first_id)] == ["report", "request_extension", "decide_extension"]

    # The user is told, and told what to do.
    attention = page.locator('a[href="#/attention"]')
    expect(attention).to_be_visible()
    expect(attention).to_contain_text("1")
    attention.click()
    item = page.get_by_test_id("attention-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("操作：签收")  # which item: the acknowledge
    # what happened and what to do, in the user's language; the server's English only as the detail under it
    expect(item.get_by_test_id("problem-headline")).to_have_text("这条隐患已被别人更新。请查看最新状态，需要时重新操作")
    expect(item.get_by_test_id("problem-detail")).to_contain_text("409 · stale")
    item.get_by_role("link").click()  # from there, to the finding as the server now has it
    expect(page.locator(f'article[data-finding-id="{first_id}"]')).to_be_visible()

    # It is not retried on its own: a sync later still leaves it set aside, and nothing else waits.
    page.evaluate("location.hash = '#/'")
    page.get_by_test_id("sync-now").click()
    expect(page.get_by_test_id("sync-now")).to_be_enabled()
    # set aside, it is not "waiting to send": it waits for the user, behind the attention link
    expect(page.get_by_test_id("sync-status")).to_have_text("没有待发送的内容")
    expect(attention).to_contain_text("1")
    wait_outbox(page, 1)
    assert len(server.events(first_id)) == 3
