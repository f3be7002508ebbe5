"""The whole loop in a real browser: an inspector reports offline with two photos, the phone reloads while still
offline, then syncs; the enterprise's officer acknowledges and submits the fix with an after-photo; a supervisor
approves; the server holds a closed finding with all three photos and a history of four steps (and an event
for each photo that arrived)."""

from playwright.sync_api import expect

from .support import SHARED_PHOTOS, login, open_finding, photo_path, report_finding, take_action, wait_outbox


def test_report_offline_then_rectify_and_approve(page, context, new_context, seeded, server_view):
    server = server_view(seeded.supervisor)

    # The inspector, on site with no signal.
    login(page, seeded.inspector)
    context.set_offline(True)
    finding_id = report_finding(
        page,
        title="二号仓库消防通道堵塞",
        description="东侧通道堆放纸箱，宽度不足。",
        enterprise_id=seeded.enterprise_id,
        photos=[photo_path(SHARED_PHOTOS[0]), photo_path(SHARED_PHOTOS[1])],
    )
    status = page.get_by_test_id("sync-status")
    expect(status).to_contain_text("3")  # the create and its two photos
    assert page.evaluate("window.__closeloop.outboxCount()") == 3
    assert server.finding(finding_id) is None

    # The phone reloads the app while still offline: the shell comes from the service worker, the queue from
    # IndexedDB, the finding from the read cache.
    page.reload()
    expect(status).to_contain_text("3")
    assert page.evaluate("window.__closeloop.outboxCount()") == 3
    expect(page.locator(f'article[data-finding-id="{finding_id}"]')).to_be_visible()
    assert server.finding(finding_id) is None

    # Back in range: it all goes, and the server has the finding with both photos.
    context.set_offline(False)
    wait_outbox(page, 0)
    expect(status).to_contain_text("0")
    reported = server.finding(finding_id)
    assert reported["status"] == "rectifying"
    assert reported["title"] == "二号仓库消防通道堵塞"
    location = reported["location"]
    assert (location["lat"], location["lng"]) == (seeded.phone["latitude"], seeded.phone["longitude"])
    assert (location["accuracy_m"], location["source"]) == (8, "gps")
    evidence = [p for p in reported["photos"] if p["kind"] == "evidence"]
    assert len(evidence) == 2 and all(p["arrived"] for p in evidence)
    assert reported["missing_photos"] == []

    # The enterprise's safety officer acknowledges the order, then submits the fix with an after-photo.
    officer = new_context().new_page()
    login(officer, seeded.officer)
    open_finding(officer, finding_id)
    take_action(officer, "acknowledge")
    wait_outbox(officer, 0)
    expect(officer.get_by_test_id("action-acknowledge")).to_have_count(0)
    take_action(
        officer,
        "submit_rectification",
        fill={"rectification-measures": "已清理通道内纸箱，划定禁止堆放区域。"},
        photos=[photo_path(SHARED_PHOTOS[2])],
    )
    wait_outbox(officer, 0)
    expect(officer.get_by_test_id("sync-status")).to_contain_text("0")
    assert server.finding(finding_id)["status"] == "pending_review"

    # A supervisor checks and approves: the loop is closed.
    supervisor = new_context().new_page()
    login(supervisor, seeded.supervisor)
    open_finding(supervisor, finding_id)
    take_action(supervisor, "approve")
    wait_outbox(supervisor, 0)

    closed = server.finding(finding_id)
    assert closed["status"] == "closed"
    kinds = sorted(p["kind"] for p in closed["photos"] if p["arrived"])
    assert kinds == ["evidence", "evidence", "rectification"]
    assert closed["missing_photos"] == []
    history = server.events(finding_id)
    steps = [e for e in history if e["action"] != "photo_added"]  # each arriving photo is its own event
    assert [e["action"] for e in steps] == ["report", "acknowledge", "submit_rectification", "approve"]
    assert [e["to_state"] for e in steps] == ["rectifying", "rectifying", "pending_review", "closed"]
    assert sorted(e["payload"]["kind"] for e in history if e["action"] == "photo_added") == kinds
