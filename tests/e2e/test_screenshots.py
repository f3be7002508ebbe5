"""Screenshots of the main screens on a 360x640 phone, in Chinese and in English (switched with the app's own
language button), written to docs/screenshots/<screen>-<lang>.png for the README and reviews."""

import uuid
from datetime import timedelta

import factories as f
from flask import current_app
from PIL import Image
from playwright.sync_api import expect

from app.imaging import process_photo
from app.models import Enterprise
from app.services.actors import actor_for
from app.services.photos import store_photo

from .support import (
    SCREENSHOTS,
    SHARED_PHOTOS,
    choose_nature,
    generated_photo,
    login,
    open_app,
    open_finding,
    photo_path,
    pick_enterprise,
    server_data,
    user_named,
)

LANGS = ("zh-CN", "en")
# A heading each screen shows in each language (pwa/src/i18n): the page really switched.
SAYS = {
    "login": ("登录", "Sign in"),
    "my-findings": ("我的隐患", "My findings"),
    "finding-detail": ("处理记录", "History"),
    "new-finding": ("上报新隐患", "Report a finding"),
    "officer-queue": ("本企业隐患", "Our findings"),
    "supervisor-queue": ("待验收", "To review"),
    "supervisor-review": ("验收通过", "Approve"),
}


def photo(session, who, finding, kind: str, name: str) -> uuid.UUID:
    photo_id = uuid.uuid4()
    storage = current_app.extensions["storage"]
    data = photo_path(name).read_bytes()
    store_photo(session, storage, actor_for(who), finding.id, photo_id, kind, data, now=f.NOW, process=process_photo)
    return photo_id


def seed_the_screens(app, seeded) -> dict:
    """A few findings in the states the screens show, with real photos."""
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        officer = user_named(session, seeded.officer)
        supervisor = user_named(session, seeded.supervisor)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        data = f.finding_data(enterprise, title="二号仓库消防通道被货物堵塞")
        blocked = f.report(session, inspector, {**data, "photo_ids": []})
        photo(session, inspector, blocked, "evidence", SHARED_PHOTOS[0])
        photo(session, inspector, blocked, "evidence", SHARED_PHOTOS[1])
        wiring = f.report(
            session, inspector, f.finding_data(enterprise, title="配电箱线路私拉乱接", category="electrical")
        )
        photo(session, inspector, wiring, "evidence", SHARED_PHOTOS[0])
        after = photo(session, officer, wiring, "rectification", SHARED_PHOTOS[2])
        wiring = f.act(
            session,
            officer,
            wiring,
            "submit_rectification",
            measures="重新布线并加装漏电保护器",
            completed_on=f.TODAY,
            photo_ids=[after],
        )
        extinguisher = f.report(session, inspector, f.finding_data(enterprise, title="灭火器压力不足"))
        f.act(session, officer, extinguisher, "acknowledge")
        closed = f.report(session, inspector, f.finding_data(enterprise, title="安全出口指示灯损坏"))
        closed = f.act(session, officer, closed, "submit_rectification", measures="更换指示灯", completed_on=f.TODAY)
        f.act(session, supervisor, closed, "approve")
        major = f.report(
            session,
            inspector,
            f.major_data(
                enterprise, title="粉尘车间除尘系统未接地", category="dust", deadline=f.TODAY + timedelta(days=30)
            ),
        )
        return {"blocked": str(blocked.id), "wiring": str(wiring.id), "major": str(major.id)}


def shoot(page, name: str, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("body")).to_contain_text(SAYS[name][LANGS.index(lang)])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{lang}.png", animations="disabled", caret="hide")


def switch_to(page, lang: str) -> None:
    if page.locator("html").get_attribute("lang") != lang:
        page.get_by_test_id("language-switch").first.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def wait_photos(page, n: int) -> None:
    expect(page.locator(".thumbs img")).to_have_count(n, timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('.thumbs img')].every((i) => i.complete)")


def test_screenshots_of_the_main_screens_in_both_languages(page, new_context, app, seeded):
    ids = seed_the_screens(app, seeded)

    # Signed out, then the inspector's screens.
    open_app(page)
    for lang in LANGS:
        switch_to(page, lang)
        expect(page.get_by_test_id("login-submit")).to_be_visible()
        shoot(page, "login", lang)
    switch_to(page, "zh-CN")
    login(page, seeded.inspector)
    for lang in LANGS:
        switch_to(page, lang)
        page.evaluate("location.hash = '#/'")
        expect(page.get_by_test_id("finding-item")).to_have_count(5)
        shoot(page, "my-findings", lang)
        open_finding(page, ids["blocked"])
        wait_photos(page, 2)
        shoot(page, "finding-detail", lang)
        page.evaluate("location.hash = '#/'")
        page.get_by_test_id("new-finding").click()
        page.get_by_test_id("finding-photo-input").set_input_files([str(photo_path(SHARED_PHOTOS[1]))])
        wait_photos(page, 1)
        expect(page.get_by_test_id("gps-accuracy")).to_contain_text("8")
        page.get_by_test_id("finding-title").fill("消防栓被遮挡" if lang == "zh-CN" else "Fire hydrant blocked")
        pick_enterprise(page, seeded.enterprise_id)
        page.get_by_test_id("finding-category").select_option("fire")
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "new-finding", lang)

    # The enterprise's safety officer: their queue, most urgent first.
    officer = new_context().new_page()
    login(officer, seeded.officer)
    for lang in LANGS:
        switch_to(officer, lang)
        expect(officer.get_by_test_id("finding-item")).to_have_count(5)
        shoot(officer, "officer-queue", lang)

    # The supervisor: the review queue, and a fix to review with its before and after photos.
    supervisor = new_context().new_page()
    login(supervisor, seeded.supervisor)
    for lang in LANGS:
        switch_to(supervisor, lang)
        supervisor.evaluate("location.hash = '#/'")
        supervisor.get_by_test_id("tab-review").click()
        expect(supervisor.get_by_test_id("finding-item")).to_have_count(1)
        shoot(supervisor, "supervisor-queue", lang)
        open_finding(supervisor, ids["wiring"])
        wait_photos(supervisor, 2)
        supervisor.get_by_test_id("action-approve").click()
        expect(supervisor.get_by_test_id("action-form")).to_be_visible()
        supervisor.locator("#rounds-title").scroll_into_view_if_needed()  # the fix to judge, then the form
        shoot(supervisor, "supervisor-review", lang)
        supervisor.get_by_test_id("action-form").locator('button[type="button"]').click()  # cancel: nothing sent
        expect(supervisor.get_by_test_id("action-form")).to_have_count(0)

    for name in SAYS:
        shots = [SCREENSHOTS / f"{name}-{lang}.png" for lang in LANGS]
        for shot in shots:
            with Image.open(shot) as image:
                assert (image.format, image.size) == ("PNG", (360, 640)), shot
        assert shots[0].read_bytes() != shots[1].read_bytes(), f"{name}: the two languages look the same"


# --- issue 10: what each role decides, on a phone and on a desk -----------------------------------------------------

PHONE, DESK = {"width": 360, "height": 640}, {"width": 1366, "height": 768}
DECIDES = {  # screen → a text it shows (zh-CN), so the shot is of the right screen
    "new-finding-inspector": "隐患性质",
    "new-finding-grid-worker": "建议等级",
    "triage-queue": "待确认",
    "confirm-form": "整改期限",
    "finding-decided": "第2轮",
}


def shoot_both(page, name: str, *, full_page: bool = True) -> None:
    """zh-CN at 360x640 (<name>-zh-CN.png) and 1366x768 (<name>-zh-CN-1366.png); full pages for the long forms."""
    expect(page.locator("body")).to_contain_text(DECIDES[name])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((PHONE, ""), (DESK, "-1366")):
        page.set_viewport_size(size)
        page.wait_for_timeout(200)  # the layout settles at the new width
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}{suffix}: the page is {overflow}px wider than the screen"
        page.screenshot(
            path=SCREENSHOTS / f"{name}-zh-CN{suffix}.png", full_page=full_page, animations="disabled", caret="hide"
        )
    page.set_viewport_size(PHONE)


def test_screenshots_of_what_each_role_decides(page, new_context, app, seeded):
    from .test_truthful_app import seed_a_decided_finding

    decided = seed_a_decided_finding(app, seeded)
    with server_data(app) as session:
        grid_worker = user_named(session, seeded.grid_worker)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        near = {"lat": enterprise.lat + 0.0004, "lng": enterprise.lng, "accuracy_m": 12.0, "source": "gps"}
        for title in ("楼道内电动车充电", "仓库灭火器被遮挡"):
            reported = f.report(
                session, grid_worker, f.finding_data(None, title=title, location=near, address="测试路 8 号")
            )
            photo(session, grid_worker, reported, "evidence", SHARED_PHOTOS[2])
        reported_id = str(reported.id)

    # The inspector's new-finding form, filled in.
    login(page, seeded.inspector)
    page.get_by_test_id("new-finding").click()
    page.get_by_test_id("finding-photo-input").set_input_files([str(photo_path(SHARED_PHOTOS[1]))])
    wait_photos(page, 1)
    expect(page.get_by_test_id("gps-accuracy")).to_contain_text("8")
    page.get_by_test_id("finding-title").fill("消防栓被遮挡")
    page.get_by_test_id("finding-description").fill("一号厂房东门消防栓前堆放托盘。")
    choose_nature(page, "unsafe_condition")
    pick_enterprise(page, seeded.enterprise_id)
    page.get_by_test_id("finding-category").select_option("fire")
    shoot_both(page, "new-finding-inspector")

    # Triage: the grid workers' reports wait; the confirm form sets the terms.
    page.evaluate("location.hash = '#/'")
    page.get_by_test_id("tab-triage").click()
    expect(page.get_by_test_id("finding-item")).to_have_count(2)
    shoot_both(page, "triage-queue", full_page=False)
    open_finding(page, reported_id)
    page.get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id("enterprise-option").first).to_be_visible()
    page.get_by_test_id("action-form").scroll_into_view_if_needed()
    shoot_both(page, "confirm-form")

    # The grid worker's form: what was seen, no terms.
    worker = new_context().new_page()
    login(worker, seeded.grid_worker)
    worker.get_by_test_id("new-finding").click()
    worker.get_by_test_id("finding-photo-input").set_input_files([generated_photo(7)])
    wait_photos(worker, 1)
    expect(worker.get_by_test_id("gps-accuracy")).to_contain_text("8")
    worker.get_by_test_id("finding-title").fill("小区消防通道被占用")
    shoot_both(worker, "new-finding-grid-worker")

    # The supervisor's detail of a finding with a plan, a granted extension and two rounds.
    supervisor = new_context().new_page()
    login(supervisor, seeded.supervisor)
    supervisor.get_by_test_id("tab-all").click()
    open_finding(supervisor, decided["id"])
    expect(supervisor.get_by_test_id("round").locator(".thumbs img")).to_have_count(2, timeout=30_000)
    supervisor.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the photos load lazily, when seen
    supervisor.wait_for_function("() => [...document.querySelectorAll('.thumbs img')].every((i) => i.complete)")
    supervisor.evaluate("window.scrollTo(0, 0)")
    expect(supervisor.get_by_test_id("history")).to_be_visible()
    shoot_both(supervisor, "finding-decided")

    for name in DECIDES:
        for suffix, width in (("", 360), ("-1366", 1366)):
            with Image.open(SCREENSHOTS / f"{name}-zh-CN{suffix}.png") as image:
                assert (image.format, image.width) == ("PNG", width), name
