"""Upload test files, made in memory at test time: hostile ones the server must refuse or defuse, and small
well-formed ones of every accepted kind. Nothing large is committed; every function returns fresh bytes.

For the API tests too: `REFUSED_UPLOADS` maps a name to (maker, expected HTTP status), ready for
`pytest.mark.parametrize`. SCRIPT is what a polyglot carries; no served variant may contain it.
"""

import io
import struct
import zlib
from collections.abc import Callable
from functools import cache

import pillow_heif
from PIL import ExifTags, Image

SCRIPT = b"<script>alert(document.cookie)</script>"
EMPTY = b""

# The transpose that stores an upright picture so that EXIF Orientation n turns it back upright. Written out here
# rather than taken from app.imaging, so a wrong table there cannot make its own test pass.
STORE_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
QUADRANTS = {
    "top_left": (220, 30, 30),
    "top_right": (30, 200, 30),
    "bottom_left": (30, 30, 220),
    "bottom_right": (240,) * 3,
}


def pattern_image(size: tuple[int, int] = (640, 480)) -> Image.Image:
    """An upright RGB picture with a different colour in each quadrant (QUADRANTS): any rotation or flip shows."""
    width, height = size
    im = Image.new("RGB", size)
    for name, box in {
        "top_left": (0, 0, width // 2, height // 2),
        "top_right": (width // 2, 0, width, height // 2),
        "bottom_left": (0, height // 2, width // 2, height),
        "bottom_right": (width // 2, height // 2, width, height),
    }.items():
        im.paste(QUADRANTS[name], box)
    return im


def quadrant_colours(im: Image.Image) -> dict[str, tuple[int, ...]]:
    """The colour at the centre of each quadrant, to compare with QUADRANTS: which way up is a decoded variant?"""
    w, h = im.size
    points = {"top_left": (w // 4, h // 4), "top_right": (3 * w // 4, h // 4)}
    points |= {"bottom_left": (w // 4, 3 * h // 4), "bottom_right": (3 * w // 4, 3 * h // 4)}
    return {name: im.convert("RGB").getpixel(xy) for name, xy in points.items()}


def _save(im: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def jpeg_image(size: tuple[int, int] = (640, 480), **save_params) -> bytes:
    """A valid baseline JPEG of pattern_image(size); save_params go to Pillow (exif=, comment=, quality=...)."""
    return _save(pattern_image(size), "JPEG", quality=90, **save_params)


def tiny_jpeg() -> bytes:
    """A 100x80 JPEG: smaller than both variants, so it must not be enlarged."""
    return jpeg_image((100, 80))


def truncated_jpeg() -> bytes:
    """The first half of a valid JPEG: a phone upload cut off mid-transfer. Must be refused (422), not padded."""
    whole = jpeg_image((640, 480))
    return whole[: len(whole) // 2]


def corrupt_jpeg() -> bytes:
    """JPEG magic bytes followed by noise: sniffed as JPEG, undecodable (422)."""
    return b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


def jpeg_declaring_size(width: int = 65_000, height: int = 65_000) -> bytes:
    """A tiny JPEG whose frame header (SOF0) claims width x height pixels: a header-only decompression bomb."""
    data = bytearray(jpeg_image((16, 16)))
    sof = data.index(b"\xff\xc0")  # marker, length(2), precision(1), height(2), width(2)
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@cache
def png_bomb(width: int = 20_000, height: int = 10_000) -> bytes:
    """A valid greyscale PNG of width x height black pixels (200 megapixels by default) in a few hundred KB.

    Decoding it would allocate width*height bytes. The IDAT stream is built by hand from one deflate block of
    zero rows, full-flushed so that its bytes can simply be repeated (a flush resets the compressor's history),
    and zero bytes have the closed-form Adler-32 (a = 1, b = n mod 65521): no 200 MB buffer is ever made.
    """
    row = width + 1  # a filter-type byte (0, "None") and one byte per pixel
    rows_per_block = max(1, min(height, (1 << 21) // row))
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: we write the zlib header and trailer
    block = deflate.compress(bytes(row * rows_per_block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(height, rows_per_block)
    tail = deflate.compress(bytes(row * rest)) + deflate.flush(zlib.Z_FINISH)
    adler = ((row * height) % 65521) << 16 | 1
    idat = b"\x78\xda" + block * blocks + tail + struct.pack(">I", adler)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale, no interlace
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def svg_image() -> bytes:
    """An SVG with a script: an image to a browser, XML to us (415)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" '
        b'onload="alert(1)"><rect width="100" height="100" fill="red"/>' + SCRIPT + b"</svg>\n"
    )


def html_page() -> bytes:
    """An HTML page, as a captive portal or an attacker would send it under a .jpg name (415)."""
    return b"<!DOCTYPE html>\n<html><head><title>photo.jpg</title></head><body>" + SCRIPT + b"</body></html>\n"


def polyglot_jpeg() -> bytes:
    """A valid JPEG carrying SCRIPT twice: in a COM segment and appended after the end-of-image marker.

    Accepted, but only as re-encoded variants: neither copy may reach a served file."""
    return jpeg_image((640, 480), comment=SCRIPT) + SCRIPT


def png_with_alpha(size: tuple[int, int] = (400, 300)) -> bytes:
    """An RGBA PNG: the left half opaque pattern, the right half fully transparent (flattens to white)."""
    im = pattern_image(size).convert("RGBA")
    im.paste((0, 0, 0, 0), (size[0] // 2, 0, size[0], size[1]))
    return _save(im, "PNG")


def webp_image(size: tuple[int, int] = (640, 480)) -> bytes:
    """A lossy WebP of pattern_image(size)."""
    return _save(pattern_image(size), "WEBP", quality=85)


def heic_image(size: tuple[int, int] = (640, 480)) -> bytes:
    """A HEIC (HEVC in HEIF) of pattern_image(size), encoded in memory by pillow-heif's libheif + x265."""
    out = io.BytesIO()
    pillow_heif.from_pillow(pattern_image(size)).save(out, quality=80)
    return out.getvalue()


def exif_block(
    *,
    orientation: int | None = None,
    taken: str | None = None,
    offset: str | None = None,
    lat: tuple[str, tuple] | None = None,
    lng: tuple[str, tuple] | None = None,
    make: str | None = None,
    model: str | None = None,
) -> bytes:
    """EXIF as a camera writes it; lat/lng are (ref, (degrees, minutes, seconds)), e.g. ("S", (33, 52, 4.2))."""
    exif = Image.Exif()
    top = {ExifTags.Base.Orientation: orientation, ExifTags.Base.Make: make, ExifTags.Base.Model: model}
    for tag, value in top.items():
        if value is not None:
            exif[tag] = value
    times = exif.get_ifd(ExifTags.IFD.Exif)
    if taken is not None:
        times[ExifTags.Base.DateTimeOriginal] = taken
    if offset is not None:
        times[ExifTags.Base.OffsetTimeOriginal] = offset
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    for (ref_tag, tag), value in (
        ((ExifTags.GPS.GPSLatitudeRef, ExifTags.GPS.GPSLatitude), lat),
        ((ExifTags.GPS.GPSLongitudeRef, ExifTags.GPS.GPSLongitude), lng),
    ):
        if value is not None:
            gps[ref_tag], gps[tag] = value
    return exif.tobytes()


def oriented_jpeg(orientation: int, size: tuple[int, int] = (400, 300)) -> bytes:
    """A JPEG whose stored pixels, turned by EXIF `orientation`, show pattern_image(size) upright."""
    method = STORE_FOR_ORIENTATION[orientation]
    stored = pattern_image(size) if method is None else pattern_image(size).transpose(method)
    return _save(stored, "JPEG", quality=90, exif=exif_block(orientation=orientation))


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment of a baseline JPEG up to its scan; asserts that EOI ends the file.

    Parsed by hand, so a test of what Pillow wrote does not take Pillow's word for it."""
    assert data[:2] == b"\xff\xd8", "no SOI"
    segments, pos = [], 2
    while True:
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
        if marker == 0xDA:  # SOS: entropy-coded data follows, where 0xFF is followed only by 0x00 or RSTn
            break
    while not (data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8))):
        pos += 1
    assert data[pos : pos + 2] == b"\xff\xd9", "the scan is not followed by EOI (progressive, or more scans?)"
    assert pos + 2 == len(data), f"{len(data) - pos - 2} bytes after EOI"
    return segments


def metadata_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The APPn and COM segments of a JPEG other than the JFIF APP0: EXIF/GPS, ICC, XMP, comments. A served
    variant must have none."""
    jfif = (0xE0, b"JFIF\x00")
    return [(m, p) for m, p in jpeg_segments(data) if (0xE0 <= m <= 0xEF or m == 0xFE) and (m, p[:5]) != jfif]


REFUSED_UPLOADS: dict[str, tuple[Callable[[], bytes], int]] = {
    "empty": (lambda: EMPTY, 415),
    "svg": (svg_image, 415),
    "html": (html_page, 415),
    "gif": (lambda: _save(pattern_image((32, 32)), "GIF"), 415),
    "truncated_jpeg": (truncated_jpeg, 422),
    "corrupt_jpeg": (corrupt_jpeg, 422),
    "jpeg_declaring_65000x65000": (jpeg_declaring_size, 422),
    "png_bomb_200_megapixels": (png_bomb, 422),
}
