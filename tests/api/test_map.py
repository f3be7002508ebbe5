"""The map's base layers (issue 13): /api/v1/map/config tells the PWA what to draw and never the 天地图 key; the
tile proxy fetches 天地图 with the key from a stub upstream on loopback, checks z/x/y, answers 502 JSON when the
upstream fails (refused, not an image, cut short, too slow, down), and the key appears in no answer and no log
line; a direct XYZ source is allowed by the page's img-src and by nothing else."""

import logging

import factories as f
import pytest
from testbed import FAST_SETTINGS, IsolatedClient
from tile_server import TileServer, tile_png

from app import create_app
from app.maptiles import TIANDITU_URL

KEY = "0123456789abcdef0123456789abcdef"
STUB_PATH = "https://t{s}.tianditu.gov.cn"


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


@pytest.fixture
def upstream():
    server = TileServer()
    yield server
    server.stop()


@pytest.fixture
def headers(session, inspector):
    token = f.token_for(session, inspector)
    session.commit()
    return token


@pytest.fixture
def client_with(database_url, tmp_path):
    """A test client of an app started with these map settings, on the test's database."""

    def make(**settings):
        base = {"SQLALCHEMY_DATABASE_URI": database_url, "PWA_DIST": str(tmp_path / "dist")}
        app = create_app({**FAST_SETTINGS, **base, "STORAGE_URL": f"file://{tmp_path / 'photos'}", **settings})
        app.test_client_class = IsolatedClient
        return app.test_client()

    return make


@pytest.fixture
def tianditu(client_with, upstream):
    """天地图 configured with a key, its real URL template pointed at the stub upstream."""
    return client_with(TIANDITU_KEY=KEY, TIANDITU_URL=TIANDITU_URL.replace(STUB_PATH, upstream.url),
                       MAP_REVIEW_NO="审图号：GS(2024)0568号", MAP_TILE_TIMEOUT=0.5)  # fmt: skip


def test_the_map_needs_a_signed_in_user(tianditu, upstream):
    for path in ("/api/v1/map/config", "/api/v1/map/tiles/vec/1/0/0"):
        response = tianditu.get(path)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert upstream.tiles() == []  # nothing fetched for a stranger


def test_the_config_names_the_proxied_layers_and_never_the_key(tianditu, headers):
    response = tianditu.get("/api/v1/map/config", headers=headers)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.json == {
        "layers": [
            {"name": "vec", "url": "/api/v1/map/tiles/vec/{z}/{x}/{y}", "min_zoom": 1, "max_zoom": 18},
            {"name": "cva", "url": "/api/v1/map/tiles/cva/{z}/{x}/{y}", "min_zoom": 1, "max_zoom": 18},
        ],
        "crs": "wgs84",
        "attribution": "天地图",
        "review_no": "审图号：GS(2024)0568号",
    }
    assert KEY not in response.get_data(as_text=True)


def test_without_a_key_there_are_no_layers_and_no_proxy(client_with, headers):
    client = client_with()  # MAP_TILES defaults to tianditu; TIANDITU_KEY unset
    config = client.get("/api/v1/map/config", headers=headers).json
    assert config["layers"] == [] and config["crs"] == "wgs84" and config["attribution"] == "天地图"
    tile = client.get("/api/v1/map/tiles/vec/1/0/0", headers=headers)
    assert tile.status_code == 404 and tile.json["error"]["code"] == "not_found"


def test_a_tile_is_fetched_with_the_servers_key_and_cached_privately(tianditu, headers, upstream):
    for layer, (z, x, y) in (("vec", (12, 3371, 1760)), ("cva", (1, 1, 0))):
        response = tianditu.get(f"/api/v1/map/tiles/{layer}/{z}/{x}/{y}", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "image/png" and response.data == tile_png()
        assert response.headers["Cache-Control"] == "private, max-age=86400"
        asked = upstream.tiles()[-1]
        assert asked["path"] == f"/{layer}_w/wmts"
        assert asked["query"] == {
            "SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "LAYER": layer, "STYLE": "default",
            "TILEMATRIXSET": "w", "FORMAT": "tiles", "TILEMATRIX": str(z), "TILEROW": str(y), "TILECOL": str(x),
            "tk": KEY,
        }  # fmt: skip
        assert "Mozilla" not in asked["user_agent"]  # a 服务端 key: 天地图 must not take the proxy for a browser


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("vec/0/0/0", {"z"}),  # 天地图's "w" matrix set starts at level 1
        ("vec/19/0/0", {"z"}),
        ("vec/abc/0/0", {"z"}),
        ("vec/1/2/0", {"x"}),  # zoom 1 has columns 0 and 1
        ("vec/1/0/2", {"y"}),
        ("vec/3/-1/0", {"x"}),
        ("vec/3/1.5/8", {"x", "y"}),
        ("vec/18/99999999999/0", {"x"}),
        ("cva/2/%20/0", {"x"}),
    ],
)
def test_a_z_x_or_y_that_names_no_tile_is_422_with_its_fields(tianditu, headers, upstream, path, fields):
    response = tianditu.get(f"/api/v1/map/tiles/{path}", headers=headers)
    assert response.status_code == 422 and response.is_json
    assert response.json["error"]["code"] == "validation_error"
    assert set(response.json["error"]["fields"]) == fields
    assert upstream.tiles() == []


@pytest.mark.parametrize("layer", ["img", "VEC", "vec_w", "..", "cia"])
def test_an_unknown_layer_is_404(tianditu, headers, upstream, layer):
    response = tianditu.get(f"/api/v1/map/tiles/{layer}/1/0/0", headers=headers)
    assert response.status_code == 404
    assert response.json["error"]["fields"] == {"layer": "Not one of this server's layers."}
    assert upstream.tiles() == []


@pytest.mark.parametrize("mode", ["refuse", "html", "cut", "slow", "down"])
def test_an_upstream_failure_is_502_json_and_the_key_stays_secret(tianditu, headers, upstream, caplog, mode):
    upstream.mode, upstream.delay = mode, 3.0  # slow: past the 0.5 s MAP_TILE_TIMEOUT
    if mode == "down":
        upstream.stop()
    with caplog.at_level(logging.DEBUG):
        response = tianditu.get("/api/v1/map/tiles/vec/5/26/13", headers=headers)
    assert response.status_code == 502 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"  # a failure is not kept as the tile
    error = response.json["error"]
    assert error["code"] == "tiles_unavailable" and "天地图" in error["message"]
    assert KEY not in response.get_data(as_text=True)
    assert "天地图" in caplog.text  # the failure is logged ...
    assert KEY not in caplog.text  # ... without the key


def test_a_direct_xyz_source_is_allowed_by_the_pages_img_src_only(client_with, headers):
    settings = {"MAP_TILES": "https://{s}.tiles.example.cn/base/{z}/{x}/{y}.png", "MAP_SUBDOMAINS": "ab"}
    names = {"MAP_ATTRIBUTION": "示例地图", "MAP_REVIEW_NO": "审图号：GS(2025)1号"}
    client = client_with(**settings, **names, MAP_TILES_CRS="gcj02")
    config = client.get("/api/v1/map/config", headers=headers).json
    assert config == {
        "layers": [{"name": "xyz", "url": "https://{s}.tiles.example.cn/base/{z}/{x}/{y}.png", "subdomains": "ab",
                    "min_zoom": 0, "max_zoom": 19}],
        "crs": "gcj02",
        "attribution": "示例地图",
        "review_no": "审图号：GS(2025)1号",
    }  # fmt: skip
    page = directives(client.get("/").headers["Content-Security-Policy"])
    assert page["img-src"] == ["'self'", "blob:", "https://a.tiles.example.cn", "https://b.tiles.example.cn"]
    assert page["connect-src"] == ["'self'"] and page["script-src"] == ["'self'"]  # images only
    data = directives(client.get("/api/v1/map/config", headers=headers).headers["Content-Security-Policy"])
    assert data["default-src"] == ["'none'"]
    assert client.get("/api/v1/map/tiles/vec/1/0/0", headers=headers).status_code == 404  # nothing proxied


def test_an_xyz_source_without_subdomains_adds_its_one_origin(client_with, upstream):
    client = client_with(MAP_TILES=f"{upstream.url}/{{z}}/{{x}}/{{y}}.png")
    page = directives(client.get("/").headers["Content-Security-Policy"])
    assert page["img-src"] == ["'self'", "blob:", upstream.url]


def test_with_tianditu_the_page_allows_images_from_itself_only(tianditu):
    assert directives(tianditu.get("/").headers["Content-Security-Policy"])["img-src"] == ["'self'", "blob:"]


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"MAP_TILES": "ftp://tiles.example.cn/{z}/{x}/{y}.png"}, "MAP_TILES"),
        ({"MAP_TILES": "https://tiles.example.cn/tiles.png"}, "MAP_TILES"),
        ({"MAP_TILES": "/tiles/{z}/{x}/{y}.png"}, "MAP_TILES"),
        ({"MAP_TILES_CRS": "bd09"}, "MAP_TILES_CRS"),
        ({"MAP_TILES_CRS": "gcj02"}, "MAP_TILES_CRS"),  # 天地图 is WGS-84
        ({"TIANDITU_URL": "https://t0.tianditu.gov.cn/vec_w/wmts?tk={key}"}, "TIANDITU_URL"),
    ],
)
def test_a_setting_that_cannot_be_read_stops_the_app_naming_it(client_with, settings, named):
    with pytest.raises(ValueError, match=named):
        client_with(**settings)
