"""Uploads that lie about their size: a chunked body over MAX_CONTENT_LENGTH is 413 with nothing stored (it used
to be cut at the limit and stored), and a PNG that is small on the wire but huge decoded (16-bit, palette) is
decoded within the memory budget or refused, its peak memory measured in a process of its own."""

import json
import struct
import subprocess
import sys
import threading
import uuid
import zlib
from pathlib import Path

import factories as f
import pytest
from chunked import put_chunked
from helpers import inspectors_finding
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.models import Photo, PhotoBlob

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


# --- hand-made PNGs that decode to far more than they weigh ----------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def flat_png(width: int, height: int, *, bit_depth: int = 8, colour: int = 0, plte: bytes = b"", trns: bytes = b""):
    """A valid PNG of zero bytes (black, or palette entry 0), built from one repeated full-flushed deflate block,
    so no full-size buffer is ever made here: 7071x7071 16-bit grey is 96 KB on the wire, 95 MiB decoded."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    row = 1 + (width * channels * bit_depth + 7) // 8
    per_block = max(1, min(height, (1 << 21) // row))
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(bytes(row * per_block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(height, per_block)
    tail = deflate.compress(bytes(row * rest)) + deflate.flush(zlib.Z_FINISH)
    idat = b"\x78\xda" + block * blocks + tail + struct.pack(">I", ((row * height) % 65521) << 16 | 1)
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    extra = (_chunk(b"PLTE", plte) if plte else b"") + (_chunk(b"tRNS", trns) if trns else b"")
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + extra + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


SIDE = 7071  # 49,999,041 pixels: just under the 50 MP limit, so only the memory budget can stop it


MEASURE = r"""
import json, sys
sys.path[:0] = [{root!r}, {tests!r}, {tests!r} + "/.."]
from test_upload_limits import flat_png
from app.domain.errors import RuleViolation
from app.imaging import process_photo

def status(field):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) * 1024 for line in lines if line.startswith(field + ":"))

process_photo(flat_png(64, 64, bit_depth=16))  # warm-up: every code path loaded
data = flat_png({side}, {side}, **{kwargs})
with open("/proc/self/clear_refs", "w") as reset:  # the high-water mark starts again from the RSS of now
    reset.write("5")
before = status("VmRSS")
try:
    photo = process_photo(data, max_decode_bytes={budget})
    outcome = {{"status": "processed", "size": [photo.display_width, photo.display_height],
               "display": photo.display.hex()}}
except RuleViolation as error:
    outcome = {{"status": "refused", "fields": error.fields}}
outcome.update(bytes=len(data), added=status("VmHWM") - before)
print(json.dumps(outcome))
"""


def measure(kwargs: dict, budget: int) -> dict:
    """Process one flat PNG in a fresh interpreter: how far its RSS high-water mark (VmHWM, reset just before)
    rose above the RSS it started from."""
    script = MEASURE.format(root=str(ROOT), tests=str(ROOT / "tests" / "api"), side=SIDE, kwargs=kwargs, budget=budget)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


DEFAULT_BUDGET = 256 * MB


def test_a_7071px_16_bit_png_is_decoded_within_the_memory_budget(record_property):
    outcome = measure({"bit_depth": 16}, DEFAULT_BUDGET)
    print(f"\n16-bit grey {SIDE}x{SIDE}: {outcome['bytes'] / 1024:.0f} KB, peak RSS +{outcome['added'] / MB:.1f} MiB")
    record_property("peak_rss_added_mib", round(outcome["added"] / MB, 1))
    assert outcome["bytes"] < 100 * 1024  # 96 KB on the wire ...
    assert outcome["status"] == "processed" and outcome["size"] == [1600, 1600]
    assert outcome["added"] < DEFAULT_BUDGET  # ... and it stays under the budget: 109 MiB measured
    assert outcome["added"] < 160 * MB  # its 95 MiB of 16-bit pixels and little more (it was 477 MiB)


def test_the_same_png_is_refused_before_decoding_under_a_smaller_budget():
    outcome = measure({"bit_depth": 16}, 64 * MB)
    assert outcome["status"] == "refused" and "MiB" in outcome["fields"]["file"]
    assert outcome["added"] < 8 * MB  # nothing was decoded


def test_a_palette_png_with_transparency_is_never_converted_at_full_size():
    palette = bytes([10, 20, 30]) + bytes(3 * 255)
    outcome = measure({"colour": 3, "plte": palette, "trns": b"\x00"}, DEFAULT_BUDGET)
    assert outcome["status"] == "processed"
    assert outcome["added"] < 110 * MB  # 48 MiB of palette indices (it was 509 MiB with the RGBA copy)
    from io import BytesIO

    from PIL import Image

    display = Image.open(BytesIO(bytes.fromhex(outcome["display"])))
    assert all(v > 245 for v in display.getpixel((800, 800)))  # transparent entry 0 lies on white


# --- a chunked body over the limit, through a real HTTP server --------------------------------------------------


@pytest.fixture
def scene(app, session):
    return inspectors_finding(session)


@pytest.fixture
def served(app):
    """The app on a free loopback port, served by werkzeug in a thread (it sets wsgi.input_terminated for a
    chunked body, as gunicorn does, so the app reads it through the capped stream)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(5)


def test_a_chunked_21_mb_upload_is_413_with_nothing_stored(app, session, scene, served):
    headers, finding = scene
    # A real JPEG followed by 21 MB: cut at the 20 MB limit it still decodes, which is how it used to be stored.
    body = f.jpeg() + bytes(21 * MB)
    status, payload, response = put_chunked(
        served, f"/api/v1/findings/{finding.id}/photos/{uuid.uuid4()}?kind=evidence", headers, body
    )
    assert status == 413 and payload["error"]["code"] == "payload_too_large"
    assert response.getheader("Content-Type").startswith("application/json")
    session.commit()
    assert list(app.extensions["storage"].keys()) == []
    assert list(app.extensions["storage"].unfinished()) == []
    assert session.scalar(select(func.count()).select_from(PhotoBlob)) == 0
    assert session.scalar(select(func.count()).select_from(Photo).where(Photo.sha256.is_not(None))) == 0


def test_a_chunked_upload_under_the_limit_is_stored(app, session, scene, served):
    headers, finding = scene
    status, payload, _ = put_chunked(
        served, f"/api/v1/findings/{finding.id}/photos/{uuid.uuid4()}?kind=evidence", headers, f.jpeg(), chunk=100
    )
    assert status == 201, payload
    session.commit()
    assert session.scalar(select(func.count()).select_from(PhotoBlob)) == 1


def test_a_chunked_multipart_upload_over_the_limit_is_413(app, session, scene, served):
    headers, finding = scene
    boundary = "closeloopboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + f.jpeg() + bytes(21 * MB) + f"\r\n--{boundary}--\r\n".encode()
    path = f"/api/v1/findings/{finding.id}/photos/{uuid.uuid4()}?kind=evidence"
    content_type = f"multipart/form-data; boundary={boundary}"
    status, payload, _ = put_chunked(served, path, headers, body, content_type=content_type)
    assert status == 413 and payload["error"]["code"] == "payload_too_large"
    session.commit()
    assert list(app.extensions["storage"].keys()) == []


def test_a_big_16_bit_png_over_the_configured_budget_is_422_through_the_api(app, client, session, scene):
    headers, finding = scene
    app.config["MAX_DECODE_MB"] = 64
    response = client.put(
        f"/api/v1/findings/{finding.id}/photos/{uuid.uuid4()}?kind=evidence",
        data=flat_png(SIDE, SIDE, bit_depth=16),
        headers={**headers, "Content-Type": "image/png"},
    )
    assert response.status_code == 422 and "64 MiB" in response.json["error"]["fields"]["file"]
    session.commit()
    assert list(app.extensions["storage"].keys()) == []
