"""Twenty findings made offline, then a drain on a bad network: the connection drops and comes back several times
and the server goes down and up again mid-drain. Afterwards the server holds each finding exactly once with all
its photos, and nothing waits on the device (SPEC §6: retries are safe because every id is made on the device)."""

from collections import Counter

from playwright.sync_api import expect

from .support import (
    SHARED_PHOTOS,
    generated_photo,
    login,
    outbox_count,
    photo_path,
    report_finding,
    wait_failed_attempt,
    wait_outbox,
    wait_until,
)

FINDINGS = 20


def test_twenty_offline_findings_survive_a_flaky_drain(page, context, live_server, seeded, server_view):
    login(page, seeded.inspector)
    context.set_offline(True)

    made: dict[str, tuple[str, int]] = {}  # id -> (title, photos)
    for n in range(FINDINGS):
        if n == 0:
            photos = [photo_path(SHARED_PHOTOS[0]), generated_photo(1000)]  # one real 12 MP photo among them
        elif n < 3:
            photos = [generated_photo(2 * n), generated_photo(2 * n + 1)]
        else:
            photos = [generated_photo(100 + n)]
        title = f"巡查发现第{n + 1:02d}号隐患"
        finding_id = report_finding(page, title=title, enterprise_id=seeded.enterprise_id, photos=photos)
        made[finding_id] = (title, len(photos))
    total = FINDINGS + sum(photos for _, photos in made.values())
    wait_outbox(page, total)
    expect(page.get_by_test_id("sync-status")).to_contain_text(str(total))
    assert len(made) == FINDINGS

    def drained_to(n: int) -> None:
        """Until the drain has got down to n items (or further)."""
        wait_until(page, "async (n) => (await window.__closeloop.outboxCount()) <= n", n, 90_000)

    # Back online; the drain starts, and the network keeps failing under it.
    context.set_offline(False)
    disruptions = 0

    drained_to(total - 4)
    context.set_offline(True)  # the signal drops
    wait_failed_attempt(page)
    context.set_offline(False)
    disruptions += 1

    drained_to(total - 10)
    live_server.stop()  # the server goes away: connections refused, open ones cut
    wait_failed_attempt(page)
    live_server.start()
    disruptions += 1

    drained_to(total - 16)
    live_server.restart()  # a restart under a request in flight
    context.set_offline(True)
    wait_failed_attempt(page)
    context.set_offline(False)
    disruptions += 1

    drained_to(total - 22)
    context.set_offline(True)  # a short blip: off and on again at once
    context.set_offline(False)
    live_server.stop()
    wait_failed_attempt(page)
    live_server.start()
    disruptions += 1

    drained_to(total - 30)
    context.set_offline(True)
    wait_failed_attempt(page)
    context.set_offline(False)
    disruptions += 1

    wait_outbox(page, 0, timeout=120_000)  # the app's own retries finish the job
    expect(page.get_by_test_id("sync-status")).to_contain_text("0")
    assert outbox_count(page) == 0
    assert disruptions == 5

    # The server: each finding once, with exactly its photos, all arrived.
    server = server_view(seeded.supervisor)
    held = server.findings()
    assert sorted(f["id"] for f in held) == sorted(made)
    titles = Counter(f["title"] for f in held)
    assert all(count == 1 for count in titles.values()), titles
    for finding_id, (title, photos) in made.items():
        finding = server.finding(finding_id)
        assert finding["title"] == title
        assert len(finding["photos"]) == photos, finding["photos"]
        assert all(p["arrived"] and p["kind"] == "evidence" for p in finding["photos"])
        assert finding["missing_photos"] == []
        # one report, and one photo_added per photo: a retried upload is not recorded twice
        assert [e["action"] for e in server.events(finding_id)] == ["report"] + ["photo_added"] * photos
