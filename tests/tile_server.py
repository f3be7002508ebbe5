"""A map tile server on loopback for the map's tests: it answers any path ending in /{z}/{x}/{y}[.png] (or a 天地图
WMTS GetTile query) with a generated 256 px PNG and remembers every request. `mode` makes it misbehave as an
upstream can: "refuse" (403 with 天地图's JSON), "html" (200 with a page), "slow" (answers after `delay`
seconds), "cut" (a body shorter than its Content-Length)."""

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image, ImageDraw

XYZ = re.compile(r"/(\d+)/(\d+)/(\d+)(?:\.png)?$")
_TILE: bytes | None = None


def tile_png() -> bytes:
    """A pale tile with a grid line on two edges, so a page of tiles reads as a background, not a blank."""
    global _TILE
    if _TILE is None:
        image = Image.new("RGB", (256, 256), (236, 240, 233))
        draw = ImageDraw.Draw(image)
        draw.line([(0, 0), (255, 0)], fill=(200, 208, 196), width=2)
        draw.line([(0, 0), (0, 255)], fill=(200, 208, 196), width=2)
        out = io.BytesIO()
        image.save(out, "PNG")
        _TILE = out.getvalue()
    return _TILE


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that cancels a tile it no longer wants closes the connection mid-answer: not an error."""


class TileServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.mode = "ok"
        self.delay = 0.0
        self._lock = threading.Lock()
        server = QuietServer(("127.0.0.1", 0), self._handler())
        self._server = server
        self.port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def tiles(self) -> list[dict]:
        with self._lock:
            return list(self.requests)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _record(self, entry: dict) -> None:
        with self._lock:
            self.requests.append(entry)

    def _handler(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(parts.query).items()}
                owner._record({"path": parts.path, "query": query, "user_agent": self.headers.get("User-Agent")})
                if owner.mode == "slow":
                    time.sleep(owner.delay)
                if owner.mode == "refuse":
                    return self._send(403, "application/json", '{"msg":"权限类型错误","code":301012}'.encode())
                if owner.mode == "html":
                    return self._send(200, "text/html", b"<html><body>error</body></html>")
                if not (XYZ.search(parts.path) or query.get("REQUEST") == "GetTile"):
                    return self._send(404, "text/plain", b"no such tile")
                if owner.mode == "cut":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(tile_png()) + 1000))
                    self.end_headers()
                    self.wfile.write(tile_png()[:100])
                    self.close_connection = True
                    return None
                return self._send(200, "image/png", tile_png())

            def _send(self, status: int, content_type: str, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

        return Handler
