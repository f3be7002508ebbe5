"""From uploaded bytes to the two variants we serve: checked, shrunk the fast way, turned upright, stripped.

The order matters for speed and memory: a JPEG is decoded straight at 1/2, 1/4 or 1/8 scale in the DCT domain
(`draft`), so a 12 MP photo never exists at full size; the resize comes next, and the EXIF rotation is applied
to the small result rather than to the big one. Both variants are fresh JPEG encodes of decoded pixels, so
nothing of the upload's bytes (EXIF, GPS, comments, a script appended after the image) reaches them.

A PNG, WebP or HEIC has no such scaled decode: its pixels exist at full size once. What they may cost is
judged from the header before a byte is decoded (`max_decode_bytes`, 422 above it: a 97 KB PNG can declare
50 megapixels of 16-bit grey), and a big one is then converted and shrunk in strips of rows, so that the
conversions (16-bit grey to 8, a palette to RGB, alpha onto white) never make a second full-size copy. Without
the strips a 7071x7071 16-bit PNG cost 477 MiB; with them, its 95 MiB of decoded pixels and a few MiB more.
"""

import hashlib
import io
import math
import os
from dataclasses import dataclass, field
from datetime import datetime

import pillow_heif
from PIL import Image, ImageFile

from app.domain.errors import RuleViolation, UnsupportedMedia
from app.imaging.metadata import PhotoMetadata, read_metadata
from app.imaging.sniff import HEIC, JPEG, PNG, WEBP, sniff

DISPLAY_EDGE = 1600
THUMB_EDGE = 320
QUALITY = 82
MAX_PIXELS = 50_000_000
MAX_DECODE_BYTES = 256 * 1024 * 1024  # pixel memory of one decode: a 50 MP RGBA PNG needs 191 MiB, so it passes
# Bytes per pixel of Pillow's image memory in each mode it decodes into (every other mode takes 4).
MODE_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
HEIF_BUFFER_BYTES = 4  # libheif's own decoded buffer (RGB or RGBA, 8 bits) lives while Pillow copies it
# Above this much decoded pixel memory, a PNG/WebP/HEIC is converted and box-reduced strip by strip.
STRIPS_ABOVE = 16 * 1024 * 1024
STRIP_BYTES = 4 * 1024 * 1024  # the size of one converted strip
RESAMPLE = Image.Resampling.BICUBIC
# Box-reduce by whole factors while the remaining ratio stays above 2, then BICUBIC: close to a straight BICUBIC
# and much cheaper on a big PNG or WebP (a JPEG arrives here already DCT-scaled to less than 2x the target).
REDUCING_GAP = 2.0
# The thumb is a whole-factor box shrink of the display (1600 -> 320 is exactly 5x) plus a BICUBIC residual
# below 2x otherwise: what libvips' thumbnail does. 1.5 ms instead of 7 ms at 1600 px, which decides whether a
# phone's 1600 px upload fits in 20 ms of CPU; at 320 px the difference to a Lanczos thumb is within the noise
# of the q82 encode.
THUMB_REDUCING_GAP = 1.0

# Image.open tries only the plugin of the sniffed type, so the sniff and the decoder cannot disagree.
PILLOW_FORMATS = {JPEG: ("JPEG",), PNG: ("PNG",), WEBP: ("WEBP",), HEIC: ("HEIF",)}
# EXIF Orientation -> the transpose that makes the stored pixels upright (what ImageOps.exif_transpose does).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ALPHA_MODES = {"RGBA", "LA", "PA", "La", "RGBa"}
# What Pillow's decoders (and libheif through pillow-heif) raise on bytes that start right but go wrong.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError)
BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)  # the warning when run with -W error

UNSUPPORTED = "not a JPEG, PNG, WebP or HEIC image (judged by its bytes, not its name or Content-Type)"
CORRUPT = "the image is truncated or corrupt"

# HEIC's depth maps and auxiliary images are never served: don't decode them. libheif applies the HEIF
# rotation itself and pillow-heif then reports Orientation 1, so the EXIF step below cannot rotate twice.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


@dataclass(frozen=True)
class ProcessedPhoto:
    media_type: str  # of the upload, from its bytes
    sha256: str  # hex, of the upload's bytes
    width: int  # of the upload, upright (a portrait phone photo is taller than wide)
    height: int
    display: bytes = field(repr=False)  # JPEG, long edge <= 1600, no metadata
    display_width: int
    display_height: int
    thumb: bytes = field(repr=False)  # JPEG, long edge <= 320, no metadata
    thumb_width: int
    thumb_height: int
    taken_at: datetime | None
    exif_lat: float | None
    exif_lng: float | None
    camera_make: str | None
    camera_model: str | None


def process_photo(
    data: bytes,
    *,
    max_pixels: int = MAX_PIXELS,
    sha256: str | None = None,
    max_decode_bytes: int = MAX_DECODE_BYTES,
) -> ProcessedPhoto:
    """Check an upload and make its variants. UnsupportedMedia (415) for bytes that are no image we accept;
    RuleViolation (422) for a truncated or corrupt image, one of more than `max_pixels` pixels, or one whose
    decoded pixels would take more than `max_decode_bytes` of memory."""
    media_type = sniff(data)
    if media_type is None:
        raise UnsupportedMedia(UNSUPPORTED, {"file": UNSUPPORTED})
    _require_strict_loading()
    display, meta, stored_size = _shrink(data, media_type, max_pixels, max_decode_bytes)
    thumb = display.resize(fit(display.size, THUMB_EDGE), RESAMPLE, reducing_gap=THUMB_REDUCING_GAP)
    display, thumb = _upright(display, meta.orientation), _upright(thumb, meta.orientation)
    width, height = _upright_size(stored_size, meta.orientation)
    return ProcessedPhoto(
        media_type=media_type,
        sha256=sha256 or hashlib.sha256(data).hexdigest(),  # the caller's digest, when it hashed them already
        width=width,
        height=height,
        display=_encode(display),
        display_width=display.width,
        display_height=display.height,
        thumb=_encode(thumb),
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        taken_at=meta.taken_at,
        exif_lat=meta.lat,
        exif_lng=meta.lng,
        camera_make=meta.make,
        camera_model=meta.model,
    )


def fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """`size` scaled so its long edge is `edge`, keeping the aspect ratio; never enlarged."""
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _require_strict_loading() -> None:
    # With this global on, Pillow pads a truncated file with grey and reports success: a broken upload would
    # be stored as evidence. Better to fail loudly than to accept it.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES is on: truncated uploads would be accepted")


def _shrink(
    data: bytes, media_type: str, max_pixels: int, max_decode_bytes: int = MAX_DECODE_BYTES
) -> tuple[Image.Image, PhotoMetadata, tuple[int, int]]:
    """The display-size RGB image (stored orientation), the kept EXIF, and the stored size of the upload.

    The decoded full-size (or DCT-scaled) pixels live only inside this function."""
    im = _open(data, media_type, max_pixels)
    stored_size = im.size  # from the header: nothing is decoded yet
    _check_pixels(stored_size, max_pixels)
    target = fit(stored_size, DISPLAY_EDGE)
    if media_type == JPEG:
        # The box has the photo's own aspect ratio: Pillow picks the largest 1/2^n scale that still covers it in
        # BOTH dimensions, so a square box (1600, 1600) on a 4:3 photo would get no scaling at all.
        im.draft("RGB", target)
    decode_bytes = _decode_bytes(im, media_type, target)  # the header (and the draft) say it all
    _check_decode_bytes(decode_bytes, max_decode_bytes)
    _load(im)
    meta = read_metadata(im)
    if media_type != JPEG and decode_bytes > STRIPS_ABOVE:
        display = _shrink_in_strips(im, target)
        im.close()
        return display, meta, stored_size
    decoded = _normalise(im)
    if decoded.size == target:  # already display size (a phone's 1600 px upload): no copy
        return _flatten(decoded), meta, stored_size
    display = decoded.resize(target, RESAMPLE, reducing_gap=REDUCING_GAP)
    del decoded
    im.close()  # frees the big pixels now, before the encoders allocate theirs
    return _flatten(display), meta, stored_size


def _open(data: bytes, media_type: str, max_pixels: int) -> Image.Image:
    try:
        im = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS[media_type])  # lazy: reads the header only
        # Pillow feeds the decoder 64 KB at a time and holds the GIL between the calls: whole, a worker's threads
        # decode two uploads on two cores (a 12 MP JPEG at 1/2: 1.50 -> 1.96 cores busy with two threads).
        im.decodermaxblock = max(im.decodermaxblock, len(data))
        return im
    except BOMB_ERRORS as exc:  # Pillow's own limit (2x MAX_IMAGE_PIXELS), checked on the header in open()
        raise _too_many_pixels(None, max_pixels) from exc
    except DECODE_ERRORS as exc:
        raise RuleViolation(CORRUPT, {"file": CORRUPT}) from exc


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    if size[0] * size[1] > max_pixels:
        raise _too_many_pixels(size, max_pixels)


def decode_cost(width: int, height: int, mode: str, media_type: str) -> int:
    """The bytes of pixel memory decoding an image of this size and (Pillow) mode takes at its peak."""
    pixels = width * height
    cost = pixels * MODE_BYTES.get(mode, 4)
    if media_type == HEIC:
        cost += pixels * HEIF_BUFFER_BYTES
    return cost


def _decode_bytes(im: Image.Image, media_type: str, target: tuple[int, int]) -> int:
    width, height = im.size  # a JPEG's after the draft: the scale it will actually be decoded at
    cost = decode_cost(width, height, im.mode, media_type)
    if media_type != JPEG and cost > STRIPS_ABOVE:
        fx, fy = _factors(im.size, target)
        cost += math.ceil(width / fx) * math.ceil(height / fy) * 4  # the box-reduced canvas
        cost += target[0] * target[1] * 4 * 2  # its resample to the target: the output and one pass between
    return cost


def _check_decode_bytes(cost: int, budget: int) -> None:
    if cost > budget:
        message = (
            f"decoding the image would take {cost / 2**20:.0f} MiB of memory; at most {budget / 2**20:.0f} MiB are "
            "allowed: send it as a JPEG, or smaller"
        )
        raise RuleViolation(message, {"file": message})


def _factors(size: tuple[int, int], target: tuple[int, int]) -> tuple[int, int]:
    """Whole box-reduction factors that leave less than 2x to the final resample (libvips' thumbnail)."""
    return max(1, size[0] // target[0]), max(1, size[1] // target[1])


def _shrink_in_strips(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Convert (to RGB or L, alpha flattened onto white) and box-reduce the decoded image a strip of rows at a
    time, then resample the reduced canvas to the target. Flattening before averaging is exact: compositing
    onto a constant background is linear, so it commutes with the box filter. Strip heights are multiples of
    the vertical factor, so every box lies inside one strip and the result is the whole image's reduce."""
    width, height = im.size
    fx, fy = _factors(im.size, target)
    mode = _flatten(_normalise(im.crop((0, 0, min(width, 8), min(height, 8))))).mode
    rows = max(fy, STRIP_BYTES // (width * 4) // fy * fy)  # 4 bytes a pixel: the widest intermediate mode
    canvas = Image.new(mode, (math.ceil(width / fx), math.ceil(height / fy)))
    for top in range(0, height, rows):
        strip = _flatten(_normalise(im.crop((0, top, width, min(height, top + rows)))))
        canvas.paste(strip.reduce((fx, fy)) if (fx, fy) != (1, 1) else strip, (0, top // fy))
        del strip
    if canvas.size == target:
        return canvas
    # The reduced image maps onto the original's extent exactly; the last box may be partial, as in Pillow's
    # own reducing_gap path.
    return canvas.resize(target, RESAMPLE, box=(0, 0, width / fx, height / fy))


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> RuleViolation:
    declared = f"{size[0]}x{size[1]} = {size[0] * size[1] / 1e6:.0f} megapixels" if size else "too many pixels"
    message = f"the image declares {declared}; at most {max_pixels / 1e6:g} megapixels are accepted"
    return RuleViolation(message, {"file": message})


def _load(im: Image.Image) -> None:
    """Decode every pixel or refuse: with LOAD_TRUNCATED_IMAGES off, a short file raises instead of being padded."""
    try:
        im.load()
    except DECODE_ERRORS as exc:
        raise RuleViolation(CORRUPT, {"file": CORRUPT}) from exc


def _normalise(im: Image.Image) -> Image.Image:
    """RGB, L or RGBA: the modes JPEG holds (after flattening) and resize handles well (RGBA premultiplied)."""
    if im.mode == "I" or im.mode.startswith("I;16"):
        # 16-bit grey (a PNG): convert("L") would clip everything above 255 to white instead of scaling it.
        return im.convert("I").point(lambda v: v / 256).convert("L")
    if im.mode in ALPHA_MODES or "transparency" in im.info:
        return im if im.mode == "RGBA" else im.convert("RGBA")
    return im if im.mode in ("RGB", "L") else im.convert("RGB")


def _flatten(im: Image.Image) -> Image.Image:
    """Transparent pixels on white: JPEG has no alpha, and black (what dropping it gives) hides dark content."""
    if im.mode != "RGBA":
        return im
    background = Image.new("RGB", im.size, "white")
    background.paste(im, mask=im.getchannel("A"))
    return background


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    method = UPRIGHT.get(orientation)
    return im.transpose(method) if method is not None else im


def _upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def _encode(im: Image.Image) -> bytes:
    # resize/transpose copy the source's `info`, and the JPEG encoder writes info["comment"] back out as a COM
    # segment unless told otherwise: start from nothing. No exif=, icc_profile= or xmp= is passed, so the
    # output holds only libjpeg's JFIF APP0. Baseline, unoptimised: the cheapest encode at this quality.
    im.info = {}
    if not IN_MEMORY_FILES:
        out = io.BytesIO()
        im.save(out, "JPEG", quality=QUALITY, optimize=False, progressive=False)
        return out.getvalue()
    # Into a file in memory rather than a BytesIO: Pillow encodes into a stream holding the GIL throughout, and
    # into a file descriptor without it, so the threads of one worker encode on every core (two threads: 1.00 ->
    # 1.98 cores busy). The same bytes either way (tests/unit/test_imaging_threads.py).
    with open(os.memfd_create("closeloop-jpeg", os.MFD_CLOEXEC), "w+b") as out:
        im.save(out, "JPEG", quality=QUALITY, optimize=False, progressive=False)
        out.seek(0)
        return out.read()


IN_MEMORY_FILES = hasattr(os, "memfd_create")  # Linux; elsewhere a BytesIO, holding the GIL as before
