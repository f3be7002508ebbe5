"""An inspection walked offline (issue 14, acceptance 4): a 20-item checklist made through the API, walked on a
phone with no signal (two items failed, one with a photo), the phone reloaded mid-way and the walk resumed where
it was, the inspection sent once the signal is back: the server holds the inspection and its two findings, each
once, the photo on its finding. Screenshots inspection-items, inspection-fail and inspection-review in zh-CN at
360x640 and 1366x768."""

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factories as f
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.models import Finding, Inspection

from .support import (
    KV_HAS,
    SCREENSHOTS,
    SHARED_PHOTOS,
    login,
    outbox_count,
    photo_path,
    pick_enterprise,
    server_data,
    user_named,
    wait_outbox,
    wait_until,
)

ITEMS = 20
MAJOR_AT, PLAIN_FAIL_AT, NA_AT, RELOAD_AT = 3, 8, 19, 11  # item indexes (0-based)
PHONE, DESK = {"width": 360, "height": 640}, {"width": 1366, "height": 768}
RENAMED = "配电箱前堆放杂物，箱门无法开启"


def make_checklist(app, seeded) -> dict:
    """A 消防 checklist of 20 items through the API, as a supervisor makes one; the 4th is 重大 by 令10号."""
    items = [
        {"id": str(uuid.uuid4()), "content": f"检查项{i + 1}：安全出口、疏散通道保持畅通，未堆放物品（第{i + 1}处）",
         "basis": f"GB 55036-2022 第{i + 1}条", "method": ("records", "site", "interview")[i % 3],
         "category": ("fire", "electrical")[i % 2],
         **({"major_criterion": "gongmao_2023", "major_clause": "第四条第（一）项"} if i == MAJOR_AT else {})}
        for i in range(ITEMS)
    ]  # fmt: skip
    body = {"id": str(uuid.uuid4()), "name": "消防安全检查表（20项）", "sectors": ["manufacturing"], "items": items}
    with server_data(app) as session:
        token = f.token_for(session, user_named(session, seeded.supervisor))
    response = app.test_client().post("/api/v1/checklists", json=body, headers=token)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def make_campaign(app, seeded, checklist: dict) -> dict:
    """百日会战 over the enterprise's district, running today (in Shanghai), using the checklist, the enterprise its
    target."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    with server_data(app) as session:
        token = f.token_for(session, user_named(session, seeded.supervisor))
        district = user_named(session, seeded.inspector).area.code
    body = {"id": str(uuid.uuid4()), "name": "百日会战", "starts_on": (today - timedelta(days=5)).isoformat(),
            "ends_on": (today + timedelta(days=95)).isoformat(), "areas": [district], "sectors": ["manufacturing"],
            "checklist_ids": [checklist["id"]], "enterprise_ids": [seeded.enterprise_id]}  # fmt: skip
    response = app.test_client().post("/api/v1/campaigns", json=body, headers=token)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def second_inspector(app, seeded) -> str:
    with server_data(app) as session:
        first = user_named(session, seeded.inspector)
        return f.user(session, "inspector", area=first.area).username


def shoot(page, name: str, top: str | None = None) -> None:
    """The screen at 360x640 and at 1366x768, in zh-CN, nothing wider than the screen; `top`: the test id of what
    is scrolled to the top first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_function("() => [...document.querySelectorAll('.thumbs img')].every((i) => i.naturalWidth > 0)")
    for size, suffix in ((PHONE, ""), (DESK, "-1366")):
        page.set_viewport_size(size)
        if top:
            page.get_by_test_id(top).evaluate("(e) => scrollTo(0, e.getBoundingClientRect().top + scrollY - 8)")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than {size['width']}px"
        page.screenshot(path=SCREENSHOTS / f"{name}-zh-CN{suffix}.png", animations="disabled", caret="hide")
    page.set_viewport_size(PHONE)


def at_item(page, index: int) -> None:
    expect(page.get_by_test_id("insp-walk")).to_have_attribute("data-at", str(index))


def answer(page, index: int, result: str) -> None:
    at_item(page, index)
    page.get_by_test_id(f"insp-{result}").click()


def test_an_offline_inspection_resumed_after_a_reload_then_sent(page, context, app, seeded, server_view):
    checklist = make_checklist(app, seeded)
    campaign = make_campaign(app, seeded, checklist)
    partner = second_inspector(app, seeded)
    supervisor = server_view(seeded.supervisor)

    login(page, seeded.inspector)
    for key in ("ref:checklists", "ref:campaigns"):  # they came down with the reference lists
        wait_until(page, KV_HAS, key)
    context.set_offline(True)

    # Start at the enterprise, with the checklist, as an enforcement inspection with a second officer.
    page.get_by_test_id("nav-inspection").click()
    page.get_by_test_id("insp-new").click()
    pick_enterprise(page, seeded.enterprise_id)
    option = page.locator(f'[data-testid="insp-checklist-option"][data-checklist-id="{checklist["id"]}"]')
    expect(option).to_contain_text("20")
    option.locator("input").check()
    page.get_by_test_id("insp-campaign").select_option(campaign["id"])
    expect(page.get_by_test_id("insp-enforcement")).to_be_checked()
    page.get_by_test_id("insp-co-inspector").fill(partner)
    page.get_by_test_id("insp-start").click()
    page.wait_for_url(re.compile(r"#/inspection/[0-9a-f-]{36}$"))
    inspection_id = page.url.rsplit("/", 1)[-1]

    # Walk the items: a pass moves on by itself; the major item fails with a note and a photo.
    for i in range(MAJOR_AT):
        answer(page, i, "pass")
        if i == 0:
            at_item(page, 1)
            expect(page.get_by_test_id("insp-progress")).to_have_text("1/20")
            shoot(page, "inspection-items")
    answer(page, MAJOR_AT, "fail")
    fail = page.get_by_test_id("insp-fail-fields")
    expect(fail).to_be_visible()
    expect(page.get_by_test_id("insp-fail-title")).to_have_value(checklist["items"][MAJOR_AT]["content"])
    expect(page.get_by_test_id("insp-item")).to_contain_text("重大事故隐患判定项")
    page.get_by_test_id("insp-photo-input").set_input_files(str(photo_path(SHARED_PHOTOS[0])))
    expect(fail.locator(".thumbs img")).to_have_count(1, timeout=60_000)
    page.get_by_test_id("insp-note").fill("东侧安全出口被货架封堵")
    page.get_by_test_id("insp-note").blur()
    shoot(page, "inspection-fail", top="insp-fail-fields")
    page.get_by_test_id("insp-next").click()
    for i in range(MAJOR_AT + 1, PLAIN_FAIL_AT):
        answer(page, i, "pass")
    answer(page, PLAIN_FAIL_AT, "fail")
    page.get_by_test_id("insp-fail-title").fill(RENAMED)
    page.get_by_test_id("insp-next").click()
    for i in range(PLAIN_FAIL_AT + 1, RELOAD_AT):
        answer(page, i, "pass")
    at_item(page, RELOAD_AT)
    expect(page.get_by_test_id("insp-progress")).to_have_text(f"{RELOAD_AT}/20")
    assert outbox_count(page) == 0  # a draft is not in the outbox: nothing is sent until it is submitted

    # The phone reloads the app, still offline: the draft resumes at the item it was on, with what was entered.
    page.reload()
    at_item(page, RELOAD_AT)
    expect(page.get_by_test_id("insp-progress")).to_have_text(f"{RELOAD_AT}/20")
    page.get_by_test_id("insp-prev").click()
    page.get_by_test_id("insp-prev").click()
    at_item(page, PLAIN_FAIL_AT + 1)
    page.get_by_test_id("insp-prev").click()
    expect(page.get_by_test_id("insp-fail-title")).to_have_value(RENAMED)
    for _ in range(RELOAD_AT - PLAIN_FAIL_AT):
        page.get_by_test_id("insp-next").click()
    for i in range(RELOAD_AT, NA_AT):
        answer(page, i, "pass")
    answer(page, NA_AT, "na")  # the last one answered: the overview opens by itself

    review = page.get_by_test_id("insp-review-page")
    expect(review).to_be_visible()
    expect(page.get_by_test_id("insp-counts")).to_have_text("合格 17 · 不合格 2 · 不适用 1 · 未检查 0")
    expect(review.locator('[data-result="fail"]')).to_have_count(2)
    expect(review.locator('[data-result="fail"]').first).to_contain_text("照片 1 张")
    expect(page.get_by_test_id("insp-send")).to_have_text("保存，联网后自动发送")
    shoot(page, "inspection-review", top="insp-counts")
    page.get_by_test_id("insp-send").click()

    # Queued: the create and its one photo wait; the list says so and the server has nothing yet.
    sent = page.locator(f'[data-testid="insp-sent"][data-inspection-id="{inspection_id}"]')
    expect(sent).to_have_attribute("data-state", "waiting")
    wait_outbox(page, 2)
    expect(page.get_by_test_id("sync-status")).to_contain_text("2")
    assert supervisor.get(f"/api/v1/inspections/{inspection_id}")[0] == 404

    # Back in range: it goes by itself.
    context.set_offline(False)
    wait_outbox(page, 0)
    expect(sent).to_have_attribute("data-state", "sent")
    expect(sent.get_by_test_id("insp-finding-link")).to_have_count(2)

    status, body = supervisor.get(f"/api/v1/inspections/{inspection_id}")
    assert status == 200, body
    assert body["status"] == "submitted" and body["enforcement"] is True
    assert sorted(i["username"] for i in body["inspectors"]) == sorted([seeded.inspector, partner])
    assert body["checklist"]["version"] == checklist["version"]
    assert body["campaign"]["id"] == campaign["id"]
    status, coverage = supervisor.get(f"/api/v1/campaigns/{campaign['id']}/coverage")
    assert status == 200 and coverage["total"]["inspected"] == coverage["total"]["targeted"] == 1, coverage
    assert [r["result"] for r in body["results"]].count("pass") == 17
    assert [r["result"] for r in body["results"]].count("fail") == 2
    assert [r["item_id"] for r in body["results"] if r["result"] == "na"] == [checklist["items"][NA_AT]["id"]]
    assert len(body["findings"]) == 2
    major, plain = (supervisor.finding(fid) for fid in body["findings"])
    assert major["title"] == checklist["items"][MAJOR_AT]["content"]
    assert major["level"] == "major" and major["major_basis"]["criterion"] == "gongmao_2023"
    assert major["description"] == "东侧安全出口被货架封堵"
    assert [p["arrived"] for p in major["photos"]] == [True] and major["missing_photos"] == []
    assert plain["title"] == RENAMED and plain["photos"] == []

    # Exactly once on the server: one inspection, its two findings, whatever the retries were.
    key = uuid.UUID(inspection_id)
    with server_data(app) as session:
        assert session.scalar(select(func.count()).select_from(Inspection).where(Inspection.id == key)) == 1
        made = session.scalars(select(Finding.id).where(Finding.inspection_id == key)).all()
        assert sorted(map(str, made)) == sorted(body["findings"])


def test_a_refused_inspection_goes_back_to_its_draft_to_be_corrected(page, app, seeded, server_view):
    """The second officer's username is only checked by the server: a wrong one is refused (422), set aside, and
    the inspection goes back to its draft, is corrected and sent; the server has it once."""
    checklist = make_checklist(app, seeded)
    partner = second_inspector(app, seeded)
    login(page, seeded.inspector)
    wait_until(page, KV_HAS, "ref:checklists")
    page.evaluate("location.hash = '#/inspection/new'")
    pick_enterprise(page, seeded.enterprise_id)
    page.locator(f'[data-testid="insp-checklist-option"][data-checklist-id="{checklist["id"]}"] input').check()
    page.get_by_test_id("insp-co-inspector").fill("no-such-officer")
    page.get_by_test_id("insp-start").click()
    page.wait_for_url(re.compile(r"#/inspection/[0-9a-f-]{36}$"))
    inspection_id = page.url.rsplit("/", 1)[-1]
    for i in range(ITEMS):
        answer(page, i, "pass")
    expect(page.get_by_test_id("insp-send")).to_have_text("提交检查")
    page.get_by_test_id("insp-send").click()

    row = page.locator(f'[data-testid="insp-sent"][data-inspection-id="{inspection_id}"]')
    expect(row).to_have_attribute("data-state", "refused")
    expect(row).to_contain_text("inspectors")
    wait_outbox(page, 1)  # set aside, not lost: it waits for the inspector
    row.get_by_test_id("insp-edit-again").click()
    expect(page.get_by_test_id("insp-review-page")).to_be_visible()
    wait_outbox(page, 0)
    page.get_by_test_id("insp-co-inspector").fill(partner)
    expect(page.locator("dl.facts")).to_contain_text(partner)
    page.get_by_test_id("insp-send").click()
    expect(row).to_have_attribute("data-state", "sent")

    status, body = server_view(seeded.supervisor).get(f"/api/v1/inspections/{inspection_id}")
    assert status == 200, body
    assert sorted(i["username"] for i in body["inspectors"]) == sorted([seeded.inspector, partner])
    assert body["findings"] == [] and len(body["results"]) == ITEMS
