"""Issue 13, the supervisor's map at 1366x768: a supervisor opens 隐患地图 and sees one marker per located finding
of the API's GeoJSON (counted on the map: the single markers plus the totals of the clusters), on tiles a local
test tile server served (MAP_TILES pointed at it, so the page's CSP allows it and nothing is refused), coloured
by status with overdue red; a click on a cluster zooms in, a click on a marker opens its popup (number, title,
status) and its link opens the finding. The table's filters in the hash select the same markers the API does.
With the tile server down the markers are still there on a plain background and the map says 底图不可用.
Screenshots desk-map in zh-CN at 1366x768 and 360x640."""

import re
from datetime import timedelta

import factories as f
import pytest
from playwright.sync_api import expect
from tile_server import TileServer

from app.maptiles import tile_source
from app.models import Enterprise

from .support import SCREENSHOTS, login, server_data, user_named
from .test_admin import DESK, PHONE, no_overflow, watch_csp

REVIEW_NO = "审图号：GS(2024)0568号"
# (lat, lng, title, state): spread over Xiamen, and five within a street's length that cluster at the fitted view
SPREAD = [
    (24.5120, 118.1010, "配电箱线路私拉乱接", "rectifying"),
    (24.4850, 118.1800, "消防通道被货物堵塞", "overdue"),
    (24.5600, 118.1100, "灭火器压力不足", "pending_review"),
    (24.4600, 118.0800, "安全出口指示灯损坏", "closed"),
    (24.5300, 118.2300, "有限空间作业未审批", "overdue"),
    (24.6000, 118.0500, "叉车司机无证驾驶", "rectifying"),
    (24.4400, 118.1500, "危化品仓库通风不良", "reported"),
]
CLOSE = [
    ("二号仓库堆放杂物", "rectifying"),
    ("消防栓被遮挡", "overdue"),
    ("电焊作业无监护", "rectifying"),
    ("应急照明失效", "pending_review"),
    ("楼梯间堆放纸箱", "rectifying"),
]
CLUSTER = [(24.49800 + d * 0.0004, 118.13900 + d * 0.0005, title, state) for d, (title, state) in enumerate(CLOSE)]
COUNT_ON_MAP = """() => {
  const map = document.querySelector('[data-testid=findings-map]');
  const clusters = [...map.querySelectorAll('.map-cluster')].map((c) => Number(c.textContent.trim()));
  const clustered = clusters.reduce((a, b) => a + b, 0);
  return { pins: map.querySelectorAll('.map-pin').length, clustered, clusters: clusters.length };
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESK}


@pytest.fixture
def tiles():
    server = TileServer()
    yield server
    server.stop()


@pytest.fixture
def app(app, tiles):
    """The app with its map on the test tile server, as MAP_TILES would set it (read again, as at start)."""
    app.config.update(
        MAP_TILES=f"{tiles.url}/{{z}}/{{x}}/{{y}}.png", MAP_ATTRIBUTION="测试底图", MAP_REVIEW_NO=REVIEW_NO
    )
    app.extensions["map_tiles"] = tile_source(app.config)
    return app


@pytest.fixture
def scene(app, seeded) -> dict:
    """The findings of SPREAD and CLUSTER in their states, and two without a location: {title: id}."""
    made = {}
    with server_data(app) as session:
        inspector, officer = user_named(session, seeded.inspector), user_named(session, seeded.officer)
        supervisor, grid_worker = user_named(session, seeded.supervisor), user_named(session, seeded.grid_worker)
        enterprise = session.get(Enterprise, seeded.enterprise_id)
        for lat, lng, title, state in SPREAD + CLUSTER:
            where = {"location": {"lat": lat, "lng": lng, "accuracy_m": 6.0, "source": "gps"}}
            made[title] = str(report_in_state(session, (inspector, officer, supervisor, grid_worker), enterprise,
                                              title, state, where).id)  # fmt: skip
        for title in ("厂区围墙破损", "值班记录缺失"):
            made[title] = str(f.report(session, inspector, f.finding_data(enterprise, title=title, location=None)).id)
    return made


def report_in_state(session, people, enterprise, title: str, state: str, where: dict):
    inspector, officer, supervisor, grid_worker = people
    if state == "reported":
        return f.report(session, grid_worker, f.finding_data(enterprise, title=title, **where))
    if state == "overdue":  # reported ten days ago with a deadline that passed two days ago
        then = f.NOW - timedelta(days=10)
        data = f.finding_data(enterprise, title=title, observed_at=then, deadline=f.TODAY - timedelta(days=2), **where)
        return f.report(session, inspector, data, now=then)
    finding = f.report(session, inspector, f.finding_data(enterprise, title=title, **where))
    if state in ("pending_review", "closed"):
        finding = f.act(session, officer, finding, "submit_rectification", measures="已整改", completed_on=f.TODAY)
    if state == "closed":
        finding = f.act(session, supervisor, finding, "approve")
    return finding


def located_from_api(server_view, username: str, query: str = "") -> dict:
    status, body = server_view(username).get(f"/api/v1/findings/export?format=geojson{query}")
    assert status == 200 and body["type"] == "FeatureCollection", body
    return {feature["properties"]["id"]: feature for feature in body["features"]}


def open_map(page, username: str, hash_: str = "#/map") -> None:
    login(page, username, offline_ready=False)
    page.evaluate("(h) => { location.hash = h; }", hash_)
    expect(page.get_by_test_id("findings-map")).to_have_attribute("data-state", "ready")


def wait_for_count(page, expected: int) -> dict:
    """Until the map's single markers and cluster totals add up to `expected` (animations settle): what it shows."""
    page.wait_for_function(f"() => {{ const c = ({COUNT_ON_MAP})(); return c.pins + c.clustered === {expected}; }}")
    return page.evaluate(COUNT_ON_MAP)


def test_the_map_shows_one_marker_per_located_finding_on_the_test_tiles(page, app, seeded, scene, tiles, server_view):
    refused = watch_csp(page)
    located = located_from_api(server_view, seeded.supervisor)
    assert set(located) == {scene[t] for _, _, t, _ in SPREAD + CLUSTER}  # the API places exactly the located ones
    open_map(page, seeded.supervisor)
    shown = page.get_by_test_id("findings-map")
    expect(shown).to_have_attribute("data-markers", str(len(located)))
    counted = wait_for_count(page, len(located))
    assert counted["clusters"] >= 1  # the five close together are one cluster at this view
    expect(page.get_by_test_id("map-count")).to_have_text(f"地图上 {len(located)} 条隐患，另有 2 条没有位置")

    asked = [r["path"] for r in tiles.tiles()]
    assert asked and all(p.endswith(".png") and p.count("/") == 3 for p in asked)  # /{z}/{x}/{y}.png
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.get_by_test_id("map-base-note")).to_have_count(0)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("测试底图")
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(REVIEW_NO)
    expect(page.get_by_test_id("map-legend")).to_contain_text("已逾期")

    overdue = page.locator(f'[data-finding-id="{scene["消防通道被货物堵塞"]}"]')
    expect(overdue).to_have_class(re.compile(r"\bmap-pin tone-overdue\b"))
    assert overdue.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgb(192, 22, 27)"  # red
    red_cluster = page.locator(".map-cluster.tone-overdue")  # the close five hold an overdue one
    expect(red_cluster).to_have_count(1)
    expect(red_cluster).to_have_text("5")

    red_cluster.click()  # zooms in until the five part
    hidden = page.locator(f'[data-finding-id="{scene["消防栓被遮挡"]}"]')
    expect(hidden).to_be_visible()
    hidden.click()
    popup = page.get_by_test_id("map-popup")
    expect(popup).to_contain_text("消防栓被遮挡")
    expect(popup).to_contain_text(located[scene["消防栓被遮挡"]]["properties"]["number"])
    expect(popup).to_contain_text("整改中 · 逾期 2 天")
    popup.get_by_test_id("map-popup-open").click()
    page.wait_for_url(f"**/#/f/{scene['消防栓被遮挡']}")
    expect(page.locator("main")).to_contain_text(located[scene["消防栓被遮挡"]]["properties"]["number"])
    assert refused == []


def test_the_tables_filters_select_the_same_markers_as_the_api(page, app, seeded, scene, server_view):
    overdue = located_from_api(server_view, seeded.supervisor, "&overdue=true")
    titles = {f["properties"]["title"] for f in overdue.values()}
    assert titles == {"消防通道被货物堵塞", "有限空间作业未审批", "消防栓被遮挡"}
    open_map(page, seeded.supervisor, "#/map?overdue=true")
    expect(page.get_by_test_id("findings-map")).to_have_attribute("data-markers", str(len(overdue)))
    wait_for_count(page, len(overdue))
    assert page.locator(".map-pin:not(.tone-overdue)").count() == 0
    expect(page.get_by_test_id("map-filters")).to_contain_text("仅逾期")
    expect(page.get_by_test_id("map-to-table")).to_have_attribute("href", "#/table?overdue=true")

    page.evaluate("() => { location.hash = '#/map?status=pending_review'; }")  # the same route, other filters
    pending = located_from_api(server_view, seeded.supervisor, "&status=pending_review")
    expect(page.get_by_test_id("findings-map")).to_have_attribute("data-markers", str(len(pending)))
    wait_for_count(page, len(pending))
    expect(page.get_by_test_id("map-filters")).to_contain_text("状态：待验收")

    page.evaluate("() => { location.hash = '#/map?q=没有这样的隐患'; }")
    expect(page.get_by_test_id("map-empty")).to_have_text("当前筛选条件下没有带位置的隐患")
    expect(page.get_by_test_id("findings-map")).to_have_attribute("data-markers", "0")


def test_with_no_tiles_the_markers_stay_on_a_plain_background(page, app, seeded, scene, tiles, server_view):
    tiles.stop()  # no tile server at all: every tile fails
    located = located_from_api(server_view, seeded.supervisor)
    open_map(page, seeded.supervisor)
    expect(page.get_by_test_id("map-base-note")).to_have_text("底图不可用")
    expect(page.get_by_test_id("findings-map")).to_have_attribute("data-markers", str(len(located)))
    wait_for_count(page, len(located))
    expect(page.locator(".leaflet-tile-loaded")).to_have_count(0)
    page.locator(f'[data-finding-id="{scene["消防通道被货物堵塞"]}"]').click()
    expect(page.get_by_test_id("map-popup")).to_contain_text("消防通道被货物堵塞")


SETTLED = r"""() => {
  const map = document.querySelector('[data-testid=findings-map]');
  const tiles = [...map.querySelectorAll('.leaflet-tile')];
  const shown = (t) => t.classList.contains('leaflet-tile-loaded') && getComputedStyle(t).opacity === '1';
  // a zoom shows the old level's tiles scaled until the new level's have come, then drops them
  const levels = [...map.querySelectorAll('.leaflet-tile-container')].filter((c) => c.querySelector('.leaflet-tile'));
  const oneLevel = levels.length === 1 && /scale\(1\)/.test(levels[0].style.transform);
  const moving = map.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim');
  return tiles.length > 0 && tiles.every(shown) && oneLevel && !moving;
}"""


def test_screenshots_of_the_map(page, app, seeded, scene, server_view):
    """desk-map-zh-CN-1366.png and desk-map-zh-CN.png (360x640), each once the map has settled on its tiles."""
    located = located_from_api(server_view, seeded.supervisor)
    open_map(page, seeded.supervisor)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((DESK, "-1366"), (PHONE, "")):
        page.set_viewport_size(size)
        page.wait_for_function(f"() => document.documentElement.clientWidth === {size['width']}")
        wait_for_count(page, len(located))  # the view refits to the markers on the resize
        page.wait_for_function(SETTLED)
        no_overflow(page)
        expect(page.locator("body")).to_contain_text("隐患地图")
        shot = SCREENSHOTS / f"desk-map-zh-CN{suffix}.png"
        page.screenshot(path=shot, full_page=True, animations="disabled", caret="hide")
