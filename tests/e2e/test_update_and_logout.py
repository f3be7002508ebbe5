"""Unsent items survive an app update and are not discarded by a sign-out without asking (SPEC §6).

A new version is deployed while items wait (the API is down for the deploy, so they cannot go): the service
worker sees the new version, the app offers the update, the user takes it, and the queue is still there and is
sent once the API is back. Signing out with unsent items asks first; cancelling keeps them."""

import hashlib
import re
import shutil

from playwright.sync_api import expect

from .support import generated_photo, login, outbox_count, report_finding, wait_outbox

BUILD_MARK = '<meta name="closeloop-build" content="2">'


def deploy_new_version(current, folder):
    """A copy of the deployed build whose index.html changed, with the precache manifest in sw.js saying so:
    what a real rebuild with a new version string produces (new sw.js bytes, a new revision of the shell)."""
    shutil.copytree(current, folder)
    index = folder / "index.html"
    html = index.read_text()
    assert "<head>" in html
    index.write_text(html.replace("<head>", f"<head>\n    {BUILD_MARK}", 1))
    revision = hashlib.md5(index.read_bytes(), usedforsecurity=False).hexdigest()
    sw = (folder / "sw.js").read_text()
    entry = re.compile(r'"revision":"[0-9a-f]+","url":"index\.html"')
    assert len(entry.findall(sw)) == 1, "sw.js no longer lists index.html in the precache manifest as expected"
    (folder / "sw.js").write_text(entry.sub(f'"revision":"{revision}","url":"index.html"', sw))
    return folder


def test_update_keeps_the_queue_and_logout_asks_first(page, context, app, live_server, seeded, server_view, tmp_path):
    login(page, seeded.inspector)
    page.reload()  # the app as a user opens it again: its service worker already installed and in control
    expect(page.get_by_test_id("sync-status")).to_be_visible()
    assert page.locator('meta[name="closeloop-build"]').count() == 0

    # Two items wait: a finding and its photo, made offline; back online the API is down for a deploy.
    context.set_offline(True)
    finding_id = report_finding(
        page, title="升级期间上报的隐患", enterprise_id=seeded.enterprise_id, photos=[generated_photo(7)]
    )
    wait_outbox(page, 2)
    live_server.api_down = True
    context.set_offline(False)

    # The new version goes live; the app notices when it comes to the foreground and offers it.
    app.config["PWA_DIST"] = str(deploy_new_version(app.config["PWA_DIST"], tmp_path / "dist-v2"))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    update = page.get_by_test_id("update-now")
    expect(update).to_be_visible()
    assert outbox_count(page) == 2

    # The user takes it: the page reloads into the new version, and the queue is still there.
    update.click()
    expect(page.locator('meta[name="closeloop-build"]')).to_have_count(1)
    expect(page.get_by_test_id("app-ready")).to_be_visible()
    expect(page.get_by_test_id("update-now")).to_have_count(0)
    expect(page.get_by_test_id("sync-status")).to_contain_text("2")
    assert outbox_count(page) == 2

    # Signing out with unsent items asks first; cancel keeps them, and the user stays signed in.
    page.get_by_test_id("logout").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("2")
    page.get_by_test_id("logout-cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("sync-status")).to_contain_text("2")
    assert outbox_count(page) == 2

    # The API is back: everything queued before the update arrives.
    live_server.api_down = False
    page.get_by_test_id("sync-now").click()
    wait_outbox(page, 0)
    finding = server_view(seeded.supervisor).finding(finding_id)
    assert finding["title"] == "升级期间上报的隐患"
    assert len(finding["photos"]) == 1 and finding["photos"][0]["arrived"]

    # With nothing unsent, signing out asks nothing.
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    expect(page.get_by_role("alertdialog")).to_have_count(0)


def test_logout_discards_unsent_items_only_when_told_to(page, context, seeded, server_view):
    login(page, seeded.inspector)
    context.set_offline(True)
    finding_id = report_finding(page, title="将被删除的草稿", enterprise_id=seeded.enterprise_id, photos=[])
    wait_outbox(page, 1)

    page.get_by_test_id("logout").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("1")
    page.get_by_test_id("logout-discard").click()
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    assert outbox_count(page) == 0

    context.set_offline(False)
    assert server_view(seeded.supervisor).finding(finding_id) is None


def test_update_taken_in_the_first_session_after_install(page, app, seeded, tmp_path):
    """The same update on the day the app was installed: the page the worker was first installed from has no
    controller at start, and taking the update must still reload it into the new version."""
    login(page, seeded.inspector)  # no reload: this page loaded before its service worker existed
    app.config["PWA_DIST"] = str(deploy_new_version(app.config["PWA_DIST"], tmp_path / "dist-v2"))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_test_id("update-now").click()
    expect(page.locator('meta[name="closeloop-build"]')).to_have_count(1)
    expect(page.get_by_test_id("update-now")).to_have_count(0)
