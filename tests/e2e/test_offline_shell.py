"""The app opens with no network: the shell from the service worker's precache, the user's findings from the
app's own offline cache in IndexedDB (SPEC §6)."""

import factories as f
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from app.models import Enterprise

from .support import login, server_data, user_named

TITLES = ["配电箱未接地", "灭火器过期", "安全出口上锁"]


def test_app_opens_offline_with_the_users_findings(page, context, app, seeded):
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        ids = [str(f.report(session, inspector, f.finding_data(enterprise, title=title)).id) for title in TITLES]

    login(page, seeded.inspector)
    items = page.get_by_test_id("finding-item")
    expect(items).to_have_count(3)

    context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("app-ready")).to_be_visible()
    assert page.evaluate("navigator.onLine") is False
    assert page.evaluate("navigator.serviceWorker.controller !== null"), "the page came from the service worker"
    expect(items).to_have_count(3)
    for title in TITLES:
        expect(items.filter(has_text=title)).to_have_count(1)

    # A finding opens offline from the cache too, and a fresh navigation (not just a reload) is served.
    page.goto(f"/#/f/{ids[0]}")
    expect(page.locator(f'article[data-finding-id="{ids[0]}"]')).to_contain_text(TITLES[0])


def test_without_the_worker_the_same_offline_load_fails(browser, browser_context_args, seeded):
    """The control: with service workers blocked, an offline load fails, so the test above proves the cache."""
    context = browser.new_context(**{**browser_context_args, "service_workers": "block"})
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_test_id("app-ready")).to_be_visible()
        context.set_offline(True)
        with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
            page.reload()
    finally:
        context.close()
