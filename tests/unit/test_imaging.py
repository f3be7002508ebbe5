"""app.imaging: the type from the bytes, refusals before decoding, upright stripped variants, the EXIF we keep.

No database. The three shared 12 MP phone photos are required: without them these tests fail, never skip.
"""

import hashlib
import io
import time
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import hostile_files as hostile
import pytest
from PIL import ExifTags, Image, ImageChops, ImageFile, ImageOps, ImageStat

from app.domain.errors import RuleViolation, UnsupportedMedia
from app.imaging import ProcessedPhoto, process_photo, sniff

PHOTOS = Path(__file__).resolve().parents[3] / "shared" / "photos"
SHARED = ["real_boats_12mp.jpg", "real_forest_12mp.jpg", "synthetic_12mp.jpg"]
SHANGHAI = timezone(timedelta(hours=8))
COMPARE_SIZE = (120, 160)  # portrait like the upright photos; a whole fraction of 3000x4000, 1200x1600 and 240x320


def shared_photo(name: str) -> bytes:
    path = PHOTOS / name
    if not path.is_file():
        pytest.fail(f"missing test photo {path}: the shared photos (../shared/photos, see its README) are required")
    return path.read_bytes()


@pytest.fixture(scope="module", params=SHARED)
def shared(request) -> tuple[bytes, ProcessedPhoto]:
    data = shared_photo(request.param)
    return data, process_photo(data)


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def assert_clean_jpeg(data: bytes) -> None:
    assert hostile.metadata_segments(data) == [], "only the JFIF APP0 may be there (no EXIF/ICC/XMP/COM)"
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(decode(data).info)


# --- the shared 12 MP phone photos (Orientation 6, GPS, 4000x3000 stored) ---------------------------------------


def test_shared_photos_give_portrait_variants_of_the_right_size(shared):
    data, photo = shared
    assert (photo.media_type, photo.sha256) == ("image/jpeg", hashlib.sha256(data).hexdigest())
    assert (photo.width, photo.height) == (3000, 4000)
    assert (photo.display_width, photo.display_height) == (1200, 1600)
    assert (photo.thumb_width, photo.thumb_height) == (240, 320)
    for variant, size in ((photo.display, (1200, 1600)), (photo.thumb, (240, 320))):
        im = decode(variant)
        assert (im.format, im.size, im.mode) == ("JPEG", size, "RGB")


def test_shared_photos_are_the_right_way_up_by_content(shared):
    data, photo = shared
    upright = ImageOps.exif_transpose(decode(data)).resize(COMPARE_SIZE, Image.Resampling.BOX)
    for variant in (photo.display, photo.thumb):
        ours = decode(variant).resize(COMPARE_SIZE, Image.Resampling.BOX)
        assert mean_abs_diff(ours, upright) < 5  # measured 0.5 (display) and 2.7 (thumb), on a 0-255 scale
        for wrong in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM):
            assert mean_abs_diff(ours, upright.transpose(wrong)) > 12, "the comparison cannot tell orientations apart"


def test_shared_photo_variants_carry_no_metadata(shared):
    data, photo = shared
    assert [marker for marker, _ in hostile.metadata_segments(data)] == [0xE1]  # the upload has EXIF ...
    for variant in (photo.display, photo.thumb):
        assert_clean_jpeg(variant)  # ... the variants do not
        assert b"Samsung" not in variant and b"SM-A536B" not in variant


def test_shared_photo_exif_gives_time_place_and_camera(shared):
    data, photo = shared
    exif = Image.open(io.BytesIO(data)).getexif()
    offset = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.OffsetTimeOriginal)
    zone = SHANGHAI if offset is None else datetime.strptime(offset, "%z").tzinfo
    assert photo.taken_at == datetime(2024, 5, 14, 10, 21, 33, tzinfo=zone)
    assert photo.taken_at.utcoffset() == zone.utcoffset(None)
    assert photo.exif_lat == pytest.approx(52.3754, abs=1e-4)
    assert photo.exif_lng == pytest.approx(4.8974, abs=1e-4)
    assert (photo.camera_make, photo.camera_model) == (exif[ExifTags.Base.Make], exif[ExifTags.Base.Model])


def test_a_12_mp_jpeg_is_decoded_at_half_scale_in_the_dct_domain(monkeypatch):
    from PIL.JpegImagePlugin import JpegImageFile

    decoded, draft = [], JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        decoded.append(self.size)  # the size the decoder will produce
        return result

    monkeypatch.setattr(JpegImageFile, "draft", spy)
    process_photo(shared_photo(SHARED[0]))
    assert decoded == [(2000, 1500)]  # a square (1600, 1600) box would give (4000, 3000): a full decode


def test_a_multi_picture_jpeg_is_decoded_in_the_dct_domain_too(monkeypatch):
    """Some phones and cameras write MPO (a JPEG with a second picture after it): Pillow opens those as format
    "MPO", not "JPEG", and they must not lose the scaled decode (a 48 MP one would cost ~250 MB in full)."""
    from PIL.JpegImagePlugin import JpegImageFile

    out = io.BytesIO()
    hostile.pattern_image((3200, 2400)).save(out, "MPO", save_all=True, append_images=[hostile.pattern_image()])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    decoded, draft = [], JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        decoded.append(self.size)
        return result

    monkeypatch.setattr(JpegImageFile, "draft", spy)
    photo = process_photo(out.getvalue())
    assert decoded == [(1600, 1200)]
    assert (photo.width, photo.height, photo.display_width, photo.display_height) == (3200, 2400, 1600, 1200)


def test_variant_bytes_stay_out_of_the_repr(shared):
    _, photo = shared
    assert "display=" not in repr(photo) and len(repr(photo)) < 1000


# --- the type comes from the bytes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (hostile.tiny_jpeg(), "image/jpeg"),
        (hostile.png_with_alpha(), "image/png"),
        (hostile.webp_image(), "image/webp"),
        (hostile.heic_image(), "image/heic"),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00mif1heix", "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1avif", None),  # AVIF: no AV1 decoder here
        (b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif", None),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isommp41", None),  # an MP4 video
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"BM\x3a\x00\x00\x00", None),
        (b"II*\x00\x08\x00\x00\x00", None),  # TIFF
        (hostile.svg_image(), None),
        (hostile.html_page(), None),
        (b"\xff\xd8", None),  # too short to be a JPEG
        (b"", None),
    ],
    ids=lambda v: None if isinstance(v, bytes) else str(v),
)
def test_sniff_reads_the_magic_bytes(data, expected):
    assert sniff(data) == expected


# --- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(hostile.REFUSED_UPLOADS))
def test_hostile_uploads_are_refused_with_the_right_error(name):
    make, status = hostile.REFUSED_UPLOADS[name]
    expected = {415: UnsupportedMedia, 422: RuleViolation}[status]
    with pytest.raises(expected) as caught:
        process_photo(make())
    assert caught.value.fields.get("file")


@pytest.mark.parametrize(
    "make",
    [
        lambda: hostile.png_bomb(20_000, 10_000),  # 200 MP: above Pillow's own limit, which raises in open()
        lambda: hostile.png_bomb(12_000, 9_000),  # 108 MP: Pillow only warns; our limit refuses
        lambda: hostile.png_bomb(10_000, 6_000),  # 60 MP: only our limit sees it
        lambda: hostile.jpeg_declaring_size(8_000, 7_000),  # 56 MP declared by a 700-byte JPEG
        lambda: hostile.jpeg_declaring_size(65_000, 65_000),
    ],
    ids=["png-200MP", "png-108MP", "png-60MP", "jpeg-56MP", "jpeg-4GP"],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bombs_are_refused_from_the_header_without_decoding(make, monkeypatch):
    data = make()

    def no_decoding(self):
        raise AssertionError("a bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(RuleViolation, match="megapixels"):
            process_photo(data)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 2 * len(data) + 1_000_000  # the input's copy at most; the pixels would be 56-4000 MB


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_as_an_error_is_a_422_too():
    with pytest.raises(RuleViolation, match="megapixels"):
        process_photo(hostile.png_bomb(12_000, 9_000), max_pixels=200_000_000)


def test_max_pixels_is_the_limit_inclusive():
    data = hostile.jpeg_image((640, 480))
    assert process_photo(data, max_pixels=640 * 480).width == 640
    with pytest.raises(RuleViolation):
        process_photo(data, max_pixels=640 * 480 - 1)


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.9, -2], ids=["quarter", "half", "most", "all-but-EOI"])
def test_a_truncated_jpeg_is_refused_not_filled_in(keep):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    whole = hostile.jpeg_image((640, 480))
    cut = whole[: int(len(whole) * keep)] if keep > 0 else whole[:keep]
    with pytest.raises(RuleViolation, match="truncated"):
        process_photo(cut)


def test_processing_refuses_to_run_with_truncated_loading_switched_on(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        process_photo(hostile.tiny_jpeg())


@pytest.mark.parametrize("make", [hostile.png_with_alpha, hostile.webp_image, hostile.heic_image])
def test_other_accepted_kinds_refuse_truncation_too(make):
    whole = make()
    with pytest.raises(RuleViolation):
        process_photo(whole[: len(whole) // 2])


# --- defused and accepted ---------------------------------------------------------------------------------------


def test_a_polyglot_is_accepted_only_as_a_re_encoded_image():
    data = hostile.polyglot_jpeg()
    assert data.count(hostile.SCRIPT) == 2  # in a COM segment and after EOI
    photo = process_photo(data)
    for variant in (photo.display, photo.thumb):
        assert b"<script" not in variant and b"alert(" not in variant
        assert_clean_jpeg(variant)


def assert_colours_close(seen: dict, expected: dict, tolerance: int = 24) -> None:
    for name, colour in expected.items():
        assert max(abs(a - b) for a, b in zip(seen[name], colour, strict=True)) <= tolerance, (name, seen[name])


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(orientation):
    photo = process_photo(hostile.oriented_jpeg(orientation, size=(400, 300)))
    assert (photo.width, photo.height) == (400, 300)
    assert (photo.display_width, photo.display_height, photo.thumb_width, photo.thumb_height) == (400, 300, 320, 240)
    for variant in (photo.display, photo.thumb):
        assert_colours_close(hostile.quadrant_colours(decode(variant)), hostile.QUADRANTS)


@pytest.mark.parametrize(
    ("make", "media_type"),
    [(hostile.webp_image, "image/webp"), (hostile.heic_image, "image/heic"), (hostile.tiny_jpeg, "image/jpeg")],
)
def test_webp_heic_and_small_jpegs_are_processed_and_never_enlarged(make, media_type):
    data = make()
    source = decode(data)
    photo = process_photo(data)
    assert photo.media_type == media_type
    assert (photo.width, photo.height) == source.size
    assert (photo.display_width, photo.display_height) == source.size  # below 1600: kept as it is
    assert photo.thumb_width <= min(320, source.width) and photo.thumb_height <= source.height
    assert_colours_close(hostile.quadrant_colours(decode(photo.display)), hostile.QUADRANTS)
    for variant in (photo.display, photo.thumb):
        assert_clean_jpeg(variant)


def test_transparent_png_is_flattened_on_white():
    photo = process_photo(hostile.png_with_alpha((400, 300)))
    assert photo.media_type == "image/png"
    display = decode(photo.display)
    assert display.mode == "RGB"
    assert_colours_close(
        hostile.quadrant_colours(display), {**hostile.QUADRANTS, "top_right": (255,) * 3, "bottom_right": (255,) * 3}
    )


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(lambda: hostile.pattern_image().convert("CMYK"), id="cmyk-jpeg"),
        pytest.param(lambda: hostile.pattern_image().convert("L"), id="grey-jpeg"),
        pytest.param(lambda: hostile.pattern_image().convert("P", palette=Image.Palette.ADAPTIVE), id="palette-png"),
        pytest.param(lambda: Image.new("I;16", (64, 48), 32768), id="16-bit-grey-png"),
    ],
)
def test_other_colour_modes_become_ordinary_jpegs(image):
    im = image()
    fmt = "JPEG" if im.mode in ("CMYK", "L") else "PNG"
    out = io.BytesIO()
    im.save(out, fmt)
    display = decode(process_photo(out.getvalue()).display)
    assert display.mode in ("RGB", "L")
    reference = im.convert("I").point(lambda v: v / 256).convert("L") if im.mode == "I;16" else im.convert("RGB")
    assert mean_abs_diff(display, reference) < 8  # 16-bit grey is scaled, not clipped to white


# --- the EXIF we keep -------------------------------------------------------------------------------------------


def with_exif(**tags) -> ProcessedPhoto:
    return process_photo(hostile.jpeg_image((64, 48), exif=hostile.exif_block(**tags)))


def test_an_offset_tag_gives_the_zone_and_southern_western_positions_are_negative():
    photo = with_exif(taken="2023:01:02 03:04:05", offset="-05:00", lat=("S", (33, 52, 4.2)), lng=("W", (70, 30, 0)))
    assert photo.taken_at == datetime(2023, 1, 2, 8, 4, 5, tzinfo=UTC)
    assert photo.taken_at.utcoffset() == timedelta(hours=-5)
    assert photo.exif_lat == pytest.approx(-(33 + 52 / 60 + 4.2 / 3600))
    assert photo.exif_lng == pytest.approx(-70.5)


def test_no_exif_means_nothing_known():
    photo = process_photo(hostile.tiny_jpeg())
    assert (photo.taken_at, photo.exif_lat, photo.exif_lng, photo.camera_make, photo.camera_model) == (None,) * 5


@pytest.mark.parametrize(
    ("tags", "field", "expected"),
    [
        ({"taken": "0000:00:00 00:00:00"}, "taken_at", None),  # what a camera writes for "unknown"
        ({"taken": "9999:12:31 23:59:59"}, "taken_at", None),
        ({"taken": "yesterday"}, "taken_at", None),
        (
            {"taken": "2024:05:14 10:21:33", "offset": "+99:00"},
            "taken_at",
            datetime(2024, 5, 14, 2, 21, 33, tzinfo=UTC),
        ),
        ({"lat": ("N", (95, 0, 0)), "lng": ("E", (4, 0, 0))}, "exif_lat", None),
        ({"lat": ("N", (52, 0, 0))}, "exif_lat", None),  # half a position is no position
        ({"make": "\x00\x00  "}, "camera_make", None),
        ({"make": "Evil\x1b[31m\nCorp" + "x" * 500}, "camera_make", "Evil[31mCorp" + "x" * 52),
    ],
)
def test_impossible_or_junk_exif_values_are_dropped_or_cleaned(tags, field, expected):
    assert getattr(with_exif(**tags), field) == expected


def test_broken_gps_rationals_lose_the_position_not_the_photo():
    from PIL.TiffImagePlugin import IFDRational

    photo = with_exif(lat=("N", (IFDRational(52, 0), 0, 0)), lng=("E", (4, 0, 0)), make="Acme")
    assert (photo.exif_lat, photo.exif_lng, photo.camera_make) == (None, None, "Acme")
