"""Issue 13, the supervisor's desk in the browser at 1366x768 (zh-CN): the dashboard's cards and charts say what
/stats, /stats/trend and the list say; the findings table's filters live in the URL (set them, reload: the same
filters and the same rows; back: the filters before), its sort is the API's and its "load more" the keyset's; the
export downloads the filters' ledger as an XLSX with as many rows as the table counts, and says so in Chinese when
it cannot. On a phone the supervisor's home shows the cards above the queues without fetching any desk chunk.
Screenshots at 1366x768 and 360x640 go to docs/screenshots (desk-*-zh-CN[-1366].png)."""

import math
import re
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import factories as f
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.domain.calendar import local_today, utcnow
from app.models import Area, Enterprise, User

from .support import SCREENSHOTS, login, server_data, user_named

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 640}
TITLES = [
    "消防通道被货物堵塞",
    "配电箱未接地",
    "灭火器压力不足",
    "危化品仓库未设防爆灯",
    "有限空间作业无审批",
    "叉车未年检",
    "燃气管道锈蚀",
    "除尘系统泄爆口被封堵",
    "砂轮机防护罩缺失",
    "安全培训记录不全",
]
CATEGORIES = [
    "fire",
    "electrical",
    "fire",
    "hazchem",
    "confined_space",
    "special_equipment",
    "gas",
    "dust",
    "machinery",
]


@pytest.fixture
def browser_context_args(browser_context_args):
    """Desk screens: every context of this module opens at 1366x768 (the phone's test sets its own size)."""
    return {**browser_context_args, "viewport": DESK}


def _named(session, seeded) -> dict:
    """Chinese names for the seeded world, as a city's would read, and the people by role."""
    names = {
        "350200": "厦门市",
        "350206": "湖里区",
        "350206001": "禾山街道",
        "35020600100101": "禾山第一网格",
        "350203": "思明区",
        "35020300100101": "滨海第一网格",
    }
    for area in session.query(Area).all():
        area.name = names.get(area.code, area.name)
    home = session.get(Enterprise, seeded.enterprise_id)
    home.name = "厦门鹭岛精密机械有限公司"
    others = session.query(Enterprise).filter(Enterprise.id != home.id).order_by(Enterprise.id).all()
    for enterprise, name in zip(others, ["厦门海沧化工有限公司", "厦门滨海物流有限公司"], strict=False):
        enterprise.name = name
    far = session.query(Area).filter_by(code="350203").one()
    f.user(session, "inspector", area=far)  # 思明区's own: an inspector reports in their district only
    session.query(User).update({"display_name": User.username})
    session.flush()
    inspectors = session.query(User).filter_by(role="inspector").all()
    return {
        "reporter": lambda e: next(u for u in inspectors if e.area_path.startswith(u.area.path)),
        "home": home,
        "others": others,
        "inspector": user_named(session, seeded.inspector),
        "officer": user_named(session, seeded.officer),
        "supervisor": user_named(session, seeded.supervisor),
        "grid_worker": user_named(session, seeded.grid_worker),
    }


def seed_desk(app, seeded, count: int = 56) -> None:
    """`count` findings over the last twelve weeks in every state the desk counts: overdue, due, awaiting review,
    closed, voided, reported, major, an extension waiting — in both districts, in several categories."""
    with server_data(app) as session:
        w = _named(session, seeded)
        for i in range(count):
            days_ago = (i * 13) % 80 + 1
            then = f.NOW - timedelta(days=days_ago)
            kind = i % 8
            enterprise = w["home"] if kind in (2, 3, 7) else [w["home"], *w["others"]][i % 3]
            data = f.finding_data(
                enterprise,
                title=f"{TITLES[i % len(TITLES)]}（{i + 1}号）",
                category=CATEGORIES[i % len(CATEGORIES)],
                observed_at=then - timedelta(minutes=30),
                deadline=local_today(then) + timedelta(days=7 if kind != 7 else 60),
            )
            if kind == 4:
                data = f.major_data(enterprise, **{k: v for k, v in data.items() if k != "level"})
            if kind == 5:
                finding = f.report(session, w["grid_worker"], {**data, "enterprise_id": w["home"].id}, now=then)
                continue
            finding = f.report(session, w["reporter"](enterprise), data, now=then)
            later = then + timedelta(hours=6)
            if kind in (2, 3):
                fix = {"measures": "已清理并加装防护", "completed_on": local_today(later)}
                finding = f.act(session, w["officer"], finding, "submit_rectification", now=later, **fix)
            if kind == 3:
                f.act(session, w["supervisor"], finding, "approve", now=later + timedelta(hours=1), comment="同意销号")
            if kind == 6:
                f.act(session, w["supervisor"], finding, "void", now=later, reason="重复上报")
            if kind == 7:
                wanted = {"new_deadline": local_today(later) + timedelta(days=90), "reason": "设备到货延迟"}
                f.act(session, w["officer"], finding, "request_extension", now=later, **wanted)


def settle(page, size: dict) -> None:
    page.set_viewport_size(size)
    page.wait_for_function("([w, h]) => innerWidth === w && innerHeight === h", arg=[size["width"], size["height"]])
    page.wait_for_timeout(250)  # the charts redraw at the new width (a ResizeObserver)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def shoot(page, name: str, sizes=((DESK, "-1366"), (PHONE, ""))) -> None:
    """<name>-zh-CN-1366.png at 1366x768 and <name>-zh-CN.png at 360x640, each without sideways overflow."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in sizes:
        settle(page, size)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}{suffix}: the page is {overflow}px wider than the screen"
        page.screenshot(
            path=SCREENSHOTS / f"{name}-zh-CN{suffix}.png", full_page=True, animations="disabled", caret="hide"
        )
    settle(page, DESK)


def api(server_view, seeded, path: str) -> dict:
    status, body = server_view(seeded.supervisor).get(f"/api/v1/{path}")
    assert status == 200, (path, status, body)
    return body


def table_texts(page, testid: str) -> list[list[str]]:
    """A chart's table equivalent, row by row, cell by cell (its header row left out)."""
    return (
        page.get_by_test_id(testid)
        .locator("tbody tr")
        .evaluate_all("rows => rows.map((r) => [...r.cells].map((c) => c.textContent.trim()))")
    )


def percent(rate) -> str:
    """整改率 as the PWA writes it: to one decimal, a half rounded up (as JavaScript's Math.round)."""
    return "—" if rate is None else f"{math.floor(rate * 1000 + 0.5) / 10:.1f}%"


def test_the_dashboard_shows_the_apis_numbers(page, app, seeded, server_view):
    seed_desk(app, seeded)
    login(page, seeded.supervisor)
    board = page.get_by_test_id("dashboard")  # a supervisor's home at a desk
    expect(board).to_be_visible()
    expect(board).to_have_attribute("data-busy", "false", timeout=30_000)
    for testid in ("nav-dashboard", "nav-table", "nav-map"):
        expect(page.get_by_test_id(testid)).to_be_visible()
    expect(page.get_by_test_id("nav-dashboard")).to_have_attribute("aria-current", "page")

    # the cards: /stats's totals, major open from its level row, this month's 整改率
    by_level = api(server_view, seeded, "stats?group_by=level")
    total = by_level["total"]
    assert total["overdue"] > 0 and total["extension_pending"] > 0 and total["pending_review"] > 0
    expect(page.get_by_test_id("stat-overdue")).to_have_text(str(total["overdue"]))
    expect(page.get_by_test_id("stat-open")).to_have_text(str(total["open"]))
    expect(page.get_by_test_id("stat-pending-review")).to_have_text(str(total["pending_review"]))
    expect(page.get_by_test_id("stat-extension-pending")).to_have_text(str(total["extension_pending"]))
    expect(page.get_by_test_id("stat-listed")).to_have_text(str(total["listed"]))
    major = next(row for row in by_level["rows"] if row["key"] == "major")
    expect(page.get_by_test_id("stat-major-open")).to_have_text(str(major["open"]))
    first = local_today(utcnow()).replace(day=1).isoformat()
    expect(page.get_by_test_id("stat-month-rate")).to_have_text(
        percent(api(server_view, seeded, f"stats?group_by=level&from={first}")["total"]["rectified_rate"])
    )

    # the charts are drawn (SVG), and their tables say exactly what the API said
    for chart in ("chart-trend", "chart-area", "chart-category"):
        expect(page.get_by_test_id(chart).locator("svg")).to_have_count(1)
        expect(page.get_by_test_id(chart).locator("svg path").first).to_be_attached()
    trend = api(server_view, seeded, "stats/trend?weeks=12")["rows"]
    assert len(trend) == 12 and sum(r["found"] for r in trend) > 0
    assert [row[1:] for row in table_texts(page, "chart-trend-table")] == [
        [str(r["found"]), str(r["closed"])] for r in trend
    ]
    for testid, group in (("chart-area-table", "district"), ("chart-category-table", "category")):
        rows = sorted(api(server_view, seeded, f"stats?group_by={group}")["rows"], key=lambda r: -r["found"])
        shown = {row[0]: row[1:] for row in table_texts(page, testid)}
        expected = {
            r["name"]: [str(r[k]) for k in ("found", "open", "overdue", "closed")] + [percent(r["rectified_rate"])]
            for r in rows
        }
        assert shown == expected, testid
    expect(page.get_by_test_id("chart-area-table")).to_contain_text("湖里区")
    expect(page.get_by_test_id("chart-category-table")).to_contain_text("消防安全")

    # a chart's table on demand, for anyone
    page.get_by_test_id("chart-area-toggle").click()
    expect(page.get_by_test_id("chart-area-table")).to_be_visible()
    expect(page.get_by_test_id("chart-area")).to_be_hidden()
    page.get_by_test_id("chart-area-toggle").click()
    expect(page.get_by_test_id("chart-area")).to_be_visible()

    # the 10 most overdue, in the list's order; one opens its finding
    overdue = api(server_view, seeded, "findings?overdue=true&sort=deadline&limit=10")["items"]
    items = page.get_by_test_id("overdue-top-item")
    expect(items).to_have_count(len(overdue))
    assert items.evaluate_all("els => els.map((e) => e.dataset.findingId)") == [x["id"] for x in overdue]
    page.evaluate("location.hash = '#/dashboard'")  # at 360 px #/ is the phone's home: the dashboard by name
    expect(board).to_have_attribute("data-busy", "false")
    shoot(page, "desk-dashboard")
    items.first.locator("a").click()
    expect(page.locator(f'article[data-finding-id="{overdue[0]["id"]}"]')).to_be_visible()


def rows_shown(page) -> list[str]:
    """The table's rows once they are those of the URL's filters (the table marks the filters of its rows)."""
    query = urlsplit(page.url).fragment.partition("?")[2]
    expect(page.get_by_test_id("findings-table")).to_have_attribute("data-rows-for", query)
    return page.get_by_test_id("findings-row").evaluate_all("rows => rows.map((r) => r.dataset.findingId)")


def query_of(page) -> dict:
    return parse_qs(urlsplit(page.url).fragment.partition("?")[2])


def test_the_table_keeps_its_filters_in_the_url(page, app, seeded, server_view):
    seed_desk(app, seeded)
    login(page, seeded.supervisor)
    page.get_by_test_id("nav-table").click()
    table = page.get_by_test_id("findings-table")
    expect(table).to_be_visible()

    # unfiltered: the newest first, 50 a page, "load more" takes the next page by the keyset
    every = [x["id"] for x in server_view(seeded.supervisor).findings()]
    assert rows_shown(page) == every[:50]
    expect(page.get_by_test_id("table-count")).to_have_text(f"共 {len(every)} 条")
    page.get_by_test_id("table-more").click()
    expect(page.get_by_test_id("findings-row")).to_have_count(len(every))
    assert rows_shown(page) == every
    expect(page.get_by_test_id("table-more")).to_have_count(0)

    # filters: each is written into the URL, by the API's names
    page.get_by_test_id("filter-status-rectifying").check()
    expect(page).to_have_url(re.compile(r"status=rectifying"))
    page.get_by_test_id("filter-area").select_option("350206")
    page.get_by_test_id("filter-overdue").select_option("true")
    page.get_by_test_id("filter-q").fill("（")
    page.get_by_test_id("filter-q").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    assert query_of(page) == {"status": ["rectifying"], "area": ["350206"], "overdue": ["true"], "q": ["（"]}
    wanted = [
        x["id"]
        for x in server_view(seeded.supervisor).findings(status="rectifying", area="350206", overdue="true", q="（")
    ]
    assert 0 < len(wanted) < len(every)
    assert rows_shown(page) == wanted
    expect(page.get_by_test_id("table-count")).to_have_text(f"共 {len(wanted)} 条")

    # sorted by the deadline, soonest first, then the other way: the API's order both times
    page.get_by_test_id("sort-deadline").click()
    expect(page.get_by_test_id("sort-deadline")).to_have_attribute("data-dir", "asc")
    by_deadline = [
        x["id"]
        for x in server_view(seeded.supervisor).findings(
            status="rectifying", area="350206", overdue="true", q="（", sort="deadline"
        )
    ]
    assert rows_shown(page) == by_deadline
    page.get_by_test_id("sort-deadline").click()
    expect(page.get_by_test_id("sort-deadline")).to_have_attribute("data-dir", "desc")
    assert rows_shown(page)[0] == by_deadline[-1]

    # a reload restores the same filters and the same rows
    filtered_url = page.url
    page.reload()
    expect(page.get_by_test_id("findings-table")).to_be_visible()
    expect(page.get_by_test_id("filter-status-rectifying")).to_be_checked()
    expect(page.get_by_test_id("filter-status-closed")).not_to_be_checked()
    expect(page.get_by_test_id("filter-area")).to_have_value("350206")
    expect(page.get_by_test_id("filter-overdue")).to_have_value("true")
    expect(page.get_by_test_id("filter-q")).to_have_value("（")
    expect(page.get_by_test_id("sort-deadline")).to_have_attribute("data-dir", "desc")
    assert page.url == filtered_url
    assert rows_shown(page) == [
        x["id"]
        for x in server_view(seeded.supervisor).findings(
            status="rectifying", area="350206", overdue="true", q="（", sort="-deadline"
        )
    ]

    # back: the filters before the last change (the sort soonest first)
    page.go_back()
    expect(page.get_by_test_id("sort-deadline")).to_have_attribute("data-dir", "asc")
    assert rows_shown(page) == by_deadline

    # a date range: observed from/to, inclusive, in Shanghai
    page.evaluate("location.hash = '#/table'")
    assert rows_shown(page) == every[:50]
    since = (local_today(utcnow()) - timedelta(days=30)).isoformat()
    page.get_by_test_id("filter-from").fill(since)
    expect(page).to_have_url(re.compile(f"from={since}"))
    recent = [x["id"] for x in server_view(seeded.supervisor).findings(**{"from": since})]
    assert 0 < len(recent) < len(every)
    assert rows_shown(page) == recent

    # a row opens its finding
    page.get_by_test_id("findings-row").nth(1).locator("td").first.click()
    expect(page.locator(f'article[data-finding-id="{recent[1]}"]')).to_be_visible()
    page.go_back()
    assert rows_shown(page) == recent

    # the shot: a filtered table
    page.evaluate("location.hash = '#/table?status=rectifying,pending_review&level=general&area=350206'")
    expect(page.get_by_test_id("table-count")).to_have_attribute(
        "data-count",
        str(
            len(
                server_view(seeded.supervisor).findings(
                    status="rectifying,pending_review", level="general", area="350206"
                )
            )
        ),
    )
    shoot(page, "desk-table")


def test_the_export_downloads_the_filters_ledger(page, app, seeded, server_view, live_server, tmp_path):
    seed_desk(app, seeded)
    login(page, seeded.supervisor)
    page.evaluate("location.hash = '#/table?status=rectifying,pending_review&overdue=false'")
    count = page.get_by_test_id("table-count")
    wanted = server_view(seeded.supervisor).findings(status="rectifying,pending_review", overdue="false")
    expect(count).to_have_attribute("data-count", str(len(wanted)))
    assert len(wanted) > 0

    with page.expect_download() as started:
        page.get_by_test_id("export-xlsx").click()
    download = started.value
    assert download.suggested_filename.startswith("隐患台账") and download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    expect(page.get_by_test_id("export-done")).to_contain_text(download.suggested_filename)

    sheet = load_workbook(saved, read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    assert rows[0][0] == "隐患编号"
    assert len(rows) - 1 == int(count.get_attribute("data-count")) == len(wanted)
    assert sorted(row[0] for row in rows[1:]) == sorted(x["number"] for x in wanted)

    # the server gone: the export says so, in Chinese, and the button is there to try again
    live_server.stop()
    try:
        page.get_by_test_id("export-xlsx").click()
        error = page.get_by_test_id("export-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("导出失败")
        assert not any(ch.isascii() and ch.isalpha() for ch in error.inner_text()), error.inner_text()
        expect(page.get_by_test_id("export-xlsx")).to_be_enabled()
    finally:
        live_server.start()


def test_a_supervisors_phone_shows_the_cards_above_the_queues(page, app, seeded, server_view):
    seed_desk(app, seeded, count=24)
    page.set_viewport_size(PHONE)
    desk_chunks: list[str] = []
    page.on("request", lambda r: desk_chunks.append(r.url) if "/assets/desk/" in r.url else None)
    login(page, seeded.supervisor)
    cards = page.get_by_test_id("home-cards")
    expect(cards).to_be_visible()
    total = api(server_view, seeded, "stats?group_by=level")["total"]
    expect(cards.get_by_test_id("stat-overdue")).to_have_text(str(total["overdue"]))
    expect(cards.get_by_test_id("stat-pending-review")).to_have_text(str(total["pending_review"]))
    # the cards come before the queues, and every queue's tab says how many it holds
    assert cards.evaluate(
        "(el) => !!(el.compareDocumentPosition(document.querySelector('.tabs')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    findings = server_view(seeded.supervisor).findings()
    expect(page.get_by_test_id("tab-all").locator(".count")).to_have_text(str(len(findings)))
    expect(page.get_by_test_id("tab-review").locator(".count")).to_have_text(
        str(sum(x["status"] == "pending_review" for x in findings))
    )
    expect(page.get_by_test_id("tab-overdue").locator(".count")).to_have_text(str(total["overdue"]))
    expect(page.get_by_test_id("desk-nav")).to_have_count(0)
    page.get_by_test_id("tab-review").click()
    expect(page).to_have_url(re.compile(r"#/queue/review$"))
    expect(page.get_by_test_id("finding-item")).to_have_count(total["pending_review"])
    page.evaluate("location.hash = '#/'")
    expect(page.get_by_test_id("tab-todo")).to_have_attribute("aria-pressed", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the phone's home is {overflow}px wider than the screen"
    page.screenshot(path=SCREENSHOTS / "desk-supervisor-home-zh-CN.png", animations="disabled", caret="hide")
    assert desk_chunks == [], f"the phone's home fetched desk chunks: {desk_chunks}"

    # the same supervisor at a desk: the side navigation, the queues in it with their counts
    settle(page, DESK)
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    expect(page.get_by_test_id("side-queue-review")).to_contain_text(str(total["pending_review"]))
    page.get_by_test_id("side-queue-review").click()
    expect(page.get_by_test_id("side-queue-review")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("finding-item")).to_have_count(total["pending_review"])
    expect(page.get_by_test_id("home-cards")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "desk-supervisor-home-zh-CN-1366.png", animations="disabled", caret="hide")


def test_an_inspector_at_a_desk_gets_the_desk_but_keeps_the_lists_as_home(page, app, seeded):
    with server_data(app) as session:
        inspector = user_named(session, seeded.inspector)
        f.report(session, inspector, f.finding_data(session.get(Enterprise, seeded.enterprise_id), id=uuid.uuid4()))
    login(page, seeded.inspector)
    expect(page.get_by_test_id("finding-list")).to_be_visible()
    expect(page.get_by_test_id("dashboard")).to_have_count(0)
    expect(page.get_by_test_id("side-queue-mine")).to_contain_text("1")
    expect(page.get_by_test_id("side-register")).to_have_count(0)
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    expect(page.get_by_test_id("stat-overdue")).to_have_text("0")
