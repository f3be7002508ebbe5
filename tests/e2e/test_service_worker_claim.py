"""A page that loads while its service worker activates still comes under the worker's control.

clients.claim() in `activate` takes the pages already loaded. A navigation whose response arrives after the worker
activated (a reload on a slow network in the middle of the first install) makes a page nobody claimed: it works
while it stays open, but the app it shows was not served by the worker, and the tests' "ready for offline" waited for
a controller that never came. The page asks the active worker to claim it."""

import threading
import time

from playwright.sync_api import expect

from .support import open_app


def wait_activated(context, timeout: float = 30.0) -> None:
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    deadline = time.monotonic() + timeout
    while worker.evaluate("self.registration.active?.state ?? null") != "activated":
        assert time.monotonic() < deadline, "the service worker never activated"
        time.sleep(0.05)


def test_a_page_that_arrives_after_activation_is_claimed(page, context, live_server):
    open_app(page)  # the first visit: the worker registers and starts precaching
    released = threading.Event()
    live_server.held["/"] = released
    page.evaluate("setTimeout(() => location.reload(), 0)")  # its response waits for the worker to activate
    try:
        wait_activated(context)
    finally:
        released.set()
        del live_server.held["/"]
    expect(page.get_by_test_id("app-ready")).to_be_visible()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
