"""Issue 10, the field app tells the truth: nothing picked is lost, the app says what happened to a save (sent,
queued offline, refused — in Chinese), the detail shows what was decided (plan, extensions, rounds), lists refresh
when the page becomes visible again, and each role's form asks only what that role decides."""

import uuid
from datetime import timedelta

import factories as f
from playwright.sync_api import expect

from app.models import Enterprise

from .support import (
    SHARED_PHOTOS,
    choose_nature,
    generated_photo,
    login,
    open_finding,
    photo_path,
    pick_enterprise,
    report_finding,
    server_data,
    take_action,
    user_named,
    wait_outbox,
)

# Records every text the save button shows, then clicks it: all in one go, while the photo is still being shrunk.
CLICK_SAVE_WHILE_SHRINKING = """() => {
  const button = document.querySelector('[data-testid="finding-save"]');
  window.__saveTexts = [button.textContent.trim()];
  new MutationObserver(() => window.__saveTexts.push(button.textContent.trim()))
    .observe(button, { childList: true, characterData: true, subtree: true });
  const shrinking = document.querySelectorAll('form.new-finding .thumbs [data-state="shrinking"]').length;
  button.click();
  return shrinking;
}"""


def open_new_finding(page):
    page.evaluate("location.hash = '#/'")
    page.get_by_test_id("new-finding").click()
    expect(page.locator("form.new-finding")).to_be_visible()
    expect(page.get_by_test_id("gps-accuracy")).to_contain_text("8")


def test_save_right_after_picking_a_12_mp_photo_keeps_it(page, seeded, server_view):
    login(page, seeded.inspector)
    open_new_finding(page)
    page.get_by_test_id("finding-title").fill("配电室门口堆放杂物")
    choose_nature(page, "unsafe_condition")
    pick_enterprise(page, seeded.enterprise_id)
    page.get_by_test_id("finding-category").select_option("fire")

    original = photo_path(SHARED_PHOTOS[0])
    page.get_by_test_id("finding-photo-input").set_input_files(str(original))
    assert page.evaluate(CLICK_SAVE_WHILE_SHRINKING) == 1  # "save" came while the 12 MP photo was still being shrunk

    page.wait_for_url("**/#/f/*", timeout=60_000)
    finding_id = page.url.rsplit("/", 1)[-1]
    wait_outbox(page, 0)
    texts = page.evaluate("window.__saveTexts")
    assert "正在处理照片 0/1…" in texts, texts  # the button said why it waited

    held = server_view(seeded.supervisor).finding(finding_id)
    assert [p["kind"] for p in held["photos"]] == ["evidence"]
    photo = held["photos"][0]
    assert photo["arrived"] is True and max(photo["width"], photo["height"]) == 1600
    assert held["missing_photos"] == []
    assert len(server_view(seeded.supervisor).photo_bytes(photo["id"])) < original.stat().st_size / 4
    expect(page.get_by_test_id("outcome")).to_have_text("已发送")


def test_queued_offline_says_so_and_sent_says_sent(page, context, seeded, server_view):
    login(page, seeded.inspector)
    server = server_view(seeded.supervisor)

    sent_id = report_finding(page, title="灭火器过期", enterprise_id=seeded.enterprise_id, photos=[generated_photo(1)])
    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_have_text("已发送")
    expect(outcome).to_have_attribute("data-state", "sent")
    assert server.finding(sent_id)["title"] == "灭火器过期"

    context.set_offline(True)
    queued_id = report_finding(
        page, title="安全出口上锁", enterprise_id=seeded.enterprise_id, photos=[generated_photo(2)]
    )
    expect(outcome).to_have_text("已保存，联网后发送")
    expect(page.get_by_test_id("sync-status")).to_contain_text("待发送 2 项")  # the create and its photo
    assert server.finding(queued_id) is None

    context.set_offline(False)
    expect(outcome).to_have_text("已发送", timeout=30_000)  # the same message follows the save until it is sent
    wait_outbox(page, 0)
    assert server.finding(queued_id)["photos"][0]["arrived"] is True


def test_a_409_refusal_is_shown_in_chinese(page, app, seeded, server_view):
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        finding = f.report(
            session, inspector, f.finding_data(session.get(Enterprise, seeded.enterprise_id), title="消防水带破损")
        )
        finding = f.act(session, officer, finding, "submit_rectification", measures="更换水带", completed_on=f.TODAY)
        finding_id = finding.id

    login(page, seeded.supervisor)
    open_finding(page, str(finding_id))
    # (On the way: reject's new deadline starts empty and says it is optional: the deadline stays unless set.)
    page.get_by_test_id("action-reject").click()
    new_deadline = page.get_by_test_id("action-new-deadline")
    expect(new_deadline).to_have_value("")
    expect(new_deadline).not_to_have_attribute("required", "")
    expect(page.get_by_test_id("action-form")).to_contain_text("新的期限（可选）")
    expect(page.get_by_test_id("action-form")).to_contain_text("不填则期限不变")
    page.get_by_test_id("action-form").get_by_role("button", name="取消").click()

    # Meanwhile a colleague sends the fix back: this supervisor's approval is now 409 stale.
    with server_data(app) as session:
        colleague = f.user(session, "supervisor", area=user_named(session, seeded.supervisor).area)
        f.act(session, colleague, session.get(type(finding), finding_id), "reject", comment="照片看不清")
    take_action(page, "approve")
    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_have_attribute("data-state", "refused")
    expect(outcome.locator("strong")).to_have_text("服务器未接受：这条隐患已被别人更新。请查看最新状态，需要时重新操作")
    expect(outcome.locator(".detail")).to_contain_text("409 · stale")  # the server's English words only as a detail
    assert server_view(seeded.supervisor).finding(str(finding_id))["status"] == "rectifying"

    # Set aside: not "waiting to send", and the attention list says the same in Chinese.
    expect(page.get_by_test_id("sync-status")).to_have_text("没有待发送的内容")
    page.locator('a[href="#/attention"]').first.click()
    item = page.get_by_test_id("attention-item")
    expect(item.get_by_test_id("problem-headline")).to_have_text("这条隐患已被别人更新。请查看最新状态，需要时重新操作")
    expect(item).to_contain_text("操作：验收通过")


def seed_a_decided_finding(app, seeded) -> dict:
    """A major finding with its plan, an extension granted for less than was asked, a rejected first round and a
    second round waiting for review."""
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        supervisor = user_named(session, seeded.supervisor)
        deadline = f.TODAY + timedelta(days=20)
        finding = f.report(
            session,
            inspector,
            f.major_data(
                session.get(Enterprise, seeded.enterprise_id),
                title="粉尘车间除尘器未接地",
                category="dust",
                deadline=deadline,
            ),
        )
        finding = f.act(
            session, officer, finding, "submit_plan", plan={**f.PLAN, "time_limit": f.TODAY + timedelta(days=14)}
        )
        requested, granted = deadline + timedelta(days=20), deadline + timedelta(days=10)
        finding = f.act(
            session, officer, finding, "request_extension", new_deadline=requested, reason="防爆电机到货需要时间"
        )
        finding = f.act(
            session, supervisor, finding, "decide_extension", approved=True, granted_deadline=granted, comment="给十天"
        )
        finding = f.act(session, officer, finding, "submit_rectification", measures="加装接地线", completed_on=f.TODAY)
        finding = f.act(session, supervisor, finding, "reject", comment="接地电阻未检测")
        finding = f.act(
            session, officer, finding, "submit_rectification", measures="检测接地电阻合格", completed_on=f.TODAY
        )
        return {
            "id": str(finding.id),
            "deadline": deadline.isoformat(),
            "requested": requested.isoformat(),
            "granted": granted.isoformat(),
        }


def test_the_detail_shows_plan_extension_dates_and_rounds(page, app, seeded):
    seeded_finding = seed_a_decided_finding(app, seeded)
    login(page, seeded.supervisor)
    open_finding(page, seeded_finding["id"])

    plan = page.get_by_test_id("plan")
    for label, value in [
        ("目标和任务", f.PLAN["objective"]),
        ("方法和措施", f.PLAN["measures"]),
        ("经费和物资", f.PLAN["funds"]),
        ("机构和人员", f.PLAN["responsible"]),
        ("时限", (f.TODAY + timedelta(days=14)).isoformat()),
        ("安全措施和应急预案", f.PLAN["contingency"]),
    ]:
        expect(plan).to_contain_text(label)
        expect(plan).to_contain_text(value)
    expect(plan.locator(".missing")).to_have_count(0)

    extension = page.get_by_test_id("extension")
    expect(extension).to_have_count(1)
    expect(extension).to_contain_text("已批准")
    expect(extension.get_by_test_id("ext-requested")).to_have_text(seeded_finding["requested"])
    expect(extension.get_by_test_id("ext-granted")).to_have_text(seeded_finding["granted"])

    rounds = page.get_by_test_id("round")
    expect(rounds).to_have_count(2)
    expect(rounds.nth(0)).to_contain_text("第1轮")
    expect(rounds.nth(0)).to_contain_text("加装接地线")
    expect(rounds.nth(0).get_by_test_id("review")).to_contain_text("验收不通过")
    expect(rounds.nth(0).get_by_test_id("review")).to_contain_text("接地电阻未检测")
    expect(rounds.nth(1)).to_contain_text("第2轮")
    expect(rounds.nth(1)).to_contain_text("检测接地电阻合格")
    expect(rounds.nth(1)).to_contain_text("等待验收")
    for n in (0, 1):  # each round shows its own after-photo
        expect(rounds.nth(n).locator(".thumbs img")).to_have_count(1, timeout=30_000)

    history = page.get_by_test_id("history")
    expect(history.locator("li[data-action=report] .label")).to_have_text("上报")
    expect(history.locator("li[data-action=request_extension] .label")).to_have_text(
        f"延期申请 → {seeded_finding['requested']}"
    )
    expect(history.locator("li[data-action=decide_extension] .label")).to_have_text(
        f"批准延期至 {seeded_finding['granted']}"
    )
    expect(history.locator("li[data-action=decide_extension]")).to_contain_text(
        f"期限 {seeded_finding['deadline']} → {seeded_finding['granted']}"
    )
    expect(history.locator("li[data-action=reject] .label")).to_have_text("验收不通过")
    expect(history.locator("li[data-action=photo_added] .label").first).to_have_text("补充照片")


def test_the_list_refreshes_when_the_page_becomes_visible(page, new_context, seeded):
    login(page, seeded.supervisor)
    page.get_by_test_id("tab-all").click()
    expect(page.get_by_test_id("list-updated")).to_contain_text("更新于")
    before = page.get_by_test_id("finding-item").count()

    # Another user, on another phone, reports a finding.
    other = new_context().new_page()
    login(other, seeded.inspector)
    finding_id = report_finding(
        other, title="楼梯间堆放电动车", enterprise_id=seeded.enterprise_id, photos=[generated_photo(3)]
    )
    wait_outbox(other, 0)

    item = page.locator(f'[data-testid="finding-item"][data-finding-id="{finding_id}"]')
    page.wait_for_timeout(1000)
    expect(item).to_have_count(0)  # nothing pulled it yet: the supervisor's list is as it was
    page.evaluate("""() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    expect(item).to_have_count(1)
    expect(page.get_by_test_id("finding-item")).to_have_count(before + 1)
    expect(item).to_contain_text("楼梯间堆放电动车")


def test_each_role_is_asked_what_it_decides(page, new_context, seeded, server_view):
    # The grid worker reports what was seen: no deadline, no mode, no basis, no nature; the level is a suggestion.
    login(page, seeded.grid_worker)
    open_new_finding(page)
    form = page.locator("form.new-finding")
    for testid in ("finding-deadline", "finding-fix-on-spot", "finding-criterion", "finding-clause", "finding-nature"):
        expect(page.get_by_test_id(testid)).to_have_count(0)
    page.get_by_test_id("finding-level").select_option("major")
    expect(page.get_by_test_id("finding-criterion")).to_have_count(0)
    expect(page.get_by_test_id("finding-deadline")).to_have_count(0)
    expect(form).to_contain_text("建议等级")
    page.get_by_test_id("finding-title").fill("小区消防通道被占用")
    page.get_by_test_id("finding-category").select_option("fire")
    page.get_by_test_id("finding-save").click()
    expect(page.get_by_test_id("no-photo-question")).to_contain_text("确定不带照片保存吗")  # a photo-less report asks
    page.get_by_test_id("save-without-photo").click()
    page.wait_for_url("**/#/f/*")
    reported_id = page.url.rsplit("/", 1)[-1]
    wait_outbox(page, 0)
    server = server_view(seeded.supervisor)
    reported = server.finding(reported_id)
    assert (reported["status"], reported["deadline"], reported["level"]) == ("reported", None, "major")

    # The inspector: 隐患性质 and the deadline; no fix on the spot for a major finding.
    inspector = new_context().new_page()
    login(inspector, seeded.inspector)
    open_new_finding(inspector)
    nature = inspector.get_by_test_id("finding-nature")
    for text in ("物的不安全状态", "人的不安全行为", "管理缺陷"):
        expect(nature).to_contain_text(text)
    expect(inspector.get_by_test_id("finding-deadline")).to_be_visible()
    expect(inspector.get_by_test_id("finding-fix-on-spot")).to_be_visible()
    inspector.get_by_test_id("finding-level").select_option("major")
    expect(inspector.get_by_test_id("finding-fix-on-spot")).to_have_count(0)
    expect(inspector.get_by_test_id("finding-criterion")).to_be_visible()
    options = inspector.get_by_test_id("enterprise-option")
    expect(options.first).to_have_attribute("data-enterprise-id", str(seeded.enterprise_id))  # nearest first
    inspector.get_by_test_id("enterprise-search").fill("不存在的企业名")
    expect(options).to_have_count(0)

    # Triage: the grid worker's report waits in the inspector's 待确认 queue; confirming sets the deadline.
    inspector.evaluate("location.hash = '#/'")
    inspector.get_by_test_id("tab-triage").click()
    open_finding(inspector, reported_id)
    inspector.get_by_test_id("action-confirm").click()
    confirm = inspector.get_by_test_id("action-form")
    expect(confirm.get_by_test_id("action-deadline")).to_have_attribute("required", "")
    expect(confirm.get_by_test_id("enterprise-option").first).to_have_attribute(
        "data-enterprise-id", str(seeded.enterprise_id)
    )
    deadline = (f.TODAY + timedelta(days=10)).isoformat()
    confirm.get_by_test_id("action-deadline").fill(deadline)
    confirm.get_by_test_id("action-level").select_option("general")
    confirm.get_by_test_id("action-nature").locator('input[value="management_defect"]').check()
    pick_enterprise(inspector, seeded.enterprise_id)
    confirm.get_by_test_id("action-submit").click()
    wait_outbox(inspector, 0)
    confirmed = server.finding(reported_id)
    assert (confirmed["status"], confirmed["deadline"], confirmed["level"]) == ("rectifying", deadline, "general")
    assert confirmed["nature"] == "management_defect"
    assert confirmed["enterprise"]["id"] == seeded.enterprise_id

    # The enterprise now sees it, but not who reported it (举报人保密): the reporting role and unit only.
    officer = new_context().new_page()
    login(officer, seeded.officer)
    open_finding(officer, reported_id)
    facts = officer.locator("dl.facts").first
    expect(facts).to_contain_text("网格员")
    expect(facts).to_contain_text("举报人保密")
    expect(officer.locator("article")).not_to_contain_text(seeded.grid_worker)


def test_the_supervisor_sees_the_date_asked_and_grants_another(page, app, seeded, server_view):
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        finding = f.report(
            session, inspector, f.finding_data(session.get(Enterprise, seeded.enterprise_id), title="叉车未年检")
        )
        requested = finding.deadline + timedelta(days=14)
        finding = f.act(session, officer, finding, "request_extension", new_deadline=requested, reason="检验机构排期")
        finding_id, deadline = str(finding.id), finding.deadline

    login(page, seeded.supervisor)
    open_finding(page, finding_id)
    page.get_by_test_id("action-decide_extension").click()
    form = page.get_by_test_id("action-form")
    expect(form.get_by_test_id("extension-request-shown")).to_contain_text(f"申请延期至 {requested.isoformat()}")
    granted_field = form.get_by_test_id("action-granted-deadline")
    expect(granted_field).to_have_value(requested.isoformat())  # the requested date by default
    granted = deadline + timedelta(days=7)
    granted_field.fill(granted.isoformat())
    form.get_by_test_id("action-submit").click()
    wait_outbox(page, 0)
    held = server_view(seeded.supervisor).finding(finding_id)
    assert held["deadline"] == granted.isoformat()
    [request] = held["extension_requests"]
    assert (request["status"], request["requested_deadline"], request["granted_deadline"]) == (
        "approved",
        requested.isoformat(),
        granted.isoformat(),
    )


def test_a_fix_whose_photos_have_not_all_arrived_is_not_offered_for_approval(page, app, seeded):
    # The officer's fix names two after-photos; only one has arrived.
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        finding = f.report(
            session, inspector, f.finding_data(session.get(Enterprise, seeded.enterprise_id), title="消防水带破损")
        )
        arrived = f.upload(session, officer, finding, "rectification")
        finding = f.act(
            session,
            officer,
            finding,
            "submit_rectification",
            measures="更换水带",
            completed_on=f.TODAY,
            photo_ids=[arrived, uuid.uuid4()],
        )
        finding_id = str(finding.id)

    login(page, seeded.supervisor)
    open_finding(page, finding_id)
    expect(page.get_by_test_id("photos-owed")).to_have_text("还有 1 张照片没有上传完成；全部到达后才能验收。")
    expect(page.get_by_test_id("action-reject")).to_be_visible()
    expect(page.get_by_test_id("action-approve")).to_have_count(0)  # no closure without its evidence
    round_one = page.get_by_test_id("round")
    expect(round_one.locator(".thumbs img")).to_have_count(1, timeout=30_000)
    expect(round_one.locator(".img-missing")).to_have_count(1)  # the one still owed, shown as awaited
