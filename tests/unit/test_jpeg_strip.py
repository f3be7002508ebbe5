"""A display-size JPEG served as its own coded image: metadata cut out losslessly, everything else re-encoded.

No database. A phone's upload is made from a shared 12 MP photo the way the PWA makes it (SPEC §6).
"""

import io
import random
from pathlib import Path

import hostile_files as hostile
import pytest
from PIL import Image, ImageChops, ImageOps

from app.domain.errors import RuleViolation
from app.imaging import process_photo
from app.imaging.jpeg_strip import strip_jpeg
from app.imaging.pipeline import KEPT_BYTES_PER_PIXEL

PHOTO = Path(__file__).resolve().parents[3] / "shared" / "photos" / "real_boats_12mp.jpg"
GPS = {"lat": ("N", (24, 28, 30.0)), "lng": ("E", (118, 5, 15.0))}


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def same_pixels(a: bytes, b: bytes) -> bool:
    return ImageChops.difference(decode(a).convert("RGB"), decode(b).convert("RGB")).getbbox() is None


def save(im: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", **params)
    return out.getvalue()


@pytest.fixture(scope="module")
def phone_picture() -> Image.Image:
    if not PHOTO.is_file():
        pytest.fail(f"missing test photo {PHOTO}: the shared photos are required")
    upright = ImageOps.exif_transpose(Image.open(PHOTO))
    upright.draft("RGB", (1200, 1600))
    return upright.resize((1200, 1600), Image.Resampling.LANCZOS)


def test_a_phone_upload_is_served_as_its_own_image_with_every_metadata_segment_cut_out(phone_picture):
    exif = hostile.exif_block(orientation=1, make="HUAWEI", **GPS)
    data = save(phone_picture, quality=80, exif=exif, comment=hostile.SCRIPT) + hostile.SCRIPT
    assert len(data) <= KEPT_BYTES_PER_PIXEL * 1200 * 1600  # as light as what the PWA sends
    photo = process_photo(data)
    assert photo.display == strip_jpeg(data)
    assert hostile.metadata_segments(photo.display) == []  # no EXIF, GPS or comment: only our JFIF header
    assert hostile.SCRIPT not in photo.display and photo.display.endswith(b"\xff\xd9")
    assert same_pixels(photo.display, data)  # lossless: not a second generation of JPEG
    assert (photo.display_width, photo.display_height) == (1200, 1600)
    assert (photo.thumb_width, photo.thumb_height) == (240, 320)
    assert hostile.metadata_segments(photo.thumb) == []
    assert (photo.exif_lat, photo.camera_make) == (pytest.approx(24.475), "HUAWEI")  # kept in the row only


def test_progressive_scans_and_restart_markers_are_kept_losslessly(phone_picture):
    for params in ({"progressive": True}, {"restart_marker_rows": 2}, {"progressive": True, "subsampling": 0}):
        data = save(phone_picture.resize((400, 533)), quality=80, comment=b"kept nowhere", **params)
        stripped = strip_jpeg(data)
        assert stripped is not None, params
        assert b"kept nowhere" not in stripped
        assert same_pixels(stripped, data), params


def _with_byte(data: bytes, marker: bytes, offset: int, value: int) -> bytes:
    """`data` with the byte at `offset` after the first `marker` set to `value`."""
    out = bytearray(data)
    out[out.index(marker) + offset] = value
    return bytes(out)


def _frame_marker(data: bytes, kind: int) -> bytes:
    return _with_byte(data, b"\xff\xc0", 1, kind)


BASELINE = hostile.jpeg_image((64, 48))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_frame_marker(BASELINE, 0xC1), id="extended-sequential"),
        pytest.param(_frame_marker(BASELINE, 0xC3), id="lossless"),
        pytest.param(_frame_marker(BASELINE, 0xC9), id="arithmetic-coded"),
        pytest.param(_with_byte(BASELINE, b"\xff\xc0", 4, 12), id="12-bit"),
        pytest.param(save(Image.new("CMYK", (64, 48))), id="four-components"),
        pytest.param(BASELINE[: len(BASELINE) // 2], id="no-end-of-image"),
        pytest.param(BASELINE[:-2] + BASELINE[2:], id="a-second-frame"),
        pytest.param(b"\xff\xd8" + BASELINE[BASELINE.index(b"\xff\xda") :], id="scan-before-frame"),
        pytest.param(BASELINE[: BASELINE.index(b"\xff\xda")] + b"\xff\xd9", id="no-scan"),
        pytest.param(b"\xff\xd8\xff\xfe\xff\xff" + BASELINE[2:], id="segment-longer-than-the-file"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + BASELINE, id="not-a-jpeg"),
        pytest.param(b"\xff\xd8\xff\x01" + BASELINE[2:], id="stray-marker"),
    ],
)
def test_what_not_every_browser_decodes_or_what_is_malformed_is_not_kept(data):
    assert strip_jpeg(data) is None


def _without_jfif(data: bytes) -> bytes:
    assert data[2:4] == b"\xff\xe0"
    return data[:2] + data[4 + int.from_bytes(data[4:6], "big") :]


def _noise(size: tuple[int, int]) -> Image.Image:
    rng = random.Random(7)
    return Image.frombytes("RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3)))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(hostile.oriented_jpeg(6, size=(400, 300)), id="turned-by-exif"),
        pytest.param(save(_noise((400, 300)), quality=100, subsampling=0), id="heavier-than-a-display"),
        pytest.param(_without_jfif(hostile.jpeg_image((400, 300))), id="no-jfif-header"),
        pytest.param(save(hostile.pattern_image((400, 300)).convert("CMYK")), id="cmyk"),
    ],
)
def test_other_display_size_jpegs_are_re_encoded_as_before(data):
    photo = process_photo(data)
    assert photo.display != strip_jpeg(data)
    assert photo.display[2:6] == b"\xff\xe0\x00\x10"  # Pillow's fresh encode: JFIF, then nothing else
    assert hostile.metadata_segments(photo.display) == []


def test_a_kept_jpeg_is_still_decoded_in_full_and_refused_when_broken():
    data = hostile.jpeg_image((640, 480))
    sof = data.index(b"\xff\xc0")  # marker, length(2), precision(1), height(2), width(2), count(1), then (id, hv, tq)
    broken = _with_byte(data, b"\xff\xc0", 12, 3)  # the first component asks for a quantisation table never defined
    assert broken[sof + 12] == 3
    assert strip_jpeg(broken) is not None  # well-formed segments: only decoding shows the fault
    with pytest.raises(RuleViolation):
        process_photo(broken)
