"""What is worth keeping from a photo's EXIF: when it was taken, where, with what camera, and which way is up.

Everything else in the EXIF (and the EXIF itself) is dropped: the served variants carry no metadata at all.
EXIF is written by whoever made the file, so every value is checked and a broken tag loses that tag, never the
photo.
"""

import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

# Phones write DateTimeOriginal as the wall clock, without a zone. Closeloop's users work in China (SPEC §1), so a
# time without an OffsetTimeOriginal tag is read as Asia/Shanghai local time.
CAMERA_ZONE = ZoneInfo("Asia/Shanghai")
# A dead clock battery gives 1970 or 2000-01-01; a forged tag can give year 9999, which no UTC column can hold
# once the offset is applied. Outside this window the time is unknown rather than wrong.
YEARS = range(1990, 2101)
LABEL_MAX = 64  # make/model are short names; a longer "model" is junk or an attack on whoever displays it
OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")

# What a hostile or merely broken EXIF block makes Pillow's TIFF parser (and our conversions) raise.
EXIF_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    ZeroDivisionError,
    OverflowError,
    OSError,
    SyntaxError,
    struct.error,
)


@dataclass(frozen=True)
class PhotoMetadata:
    orientation: int = 1  # the EXIF Orientation tag, 1-8; 1 = the stored pixels are upright
    taken_at: datetime | None = None  # aware
    lat: float | None = None
    lng: float | None = None
    make: str | None = None
    model: str | None = None


def read_metadata(im: Image.Image) -> PhotoMetadata:
    """The kept EXIF values of an opened image (call it after load(): a PNG may put eXIf after its pixels)."""
    exif = _tolerant(im.getexif)
    if exif is None:
        return PhotoMetadata()
    lat, lng = _tolerant(_position, exif) or (None, None)
    return PhotoMetadata(
        orientation=_tolerant(_orientation, exif) or 1,
        taken_at=_tolerant(_taken_at, exif),
        lat=lat,
        lng=lng,
        make=_tolerant(_label, exif, ExifTags.Base.Make),
        model=_tolerant(_label, exif, ExifTags.Base.Model),
    )


def _tolerant(read: Callable, *args):
    try:
        return read(*args)
    except EXIF_ERRORS:
        return None


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(ExifTags.Base.Orientation)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value).strip("\x00 \t\r\n") if value is not None else ""


def _label(exif: Image.Exif, tag: int) -> str | None:
    text = "".join(ch for ch in _text(exif.get(tag)) if ch.isprintable()).strip()
    return text[:LABEL_MAX] or None


def _taken_at(exif: Image.Exif) -> datetime | None:
    tags = exif.get_ifd(ExifTags.IFD.Exif)
    raw = _text(tags.get(ExifTags.Base.DateTimeOriginal))
    if not raw:
        return None
    wall_clock = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")  # "0000:00:00 00:00:00" (unknown) raises
    if wall_clock.year not in YEARS:
        return None
    zone = _offset(_text(tags.get(ExifTags.Base.OffsetTimeOriginal))) or CAMERA_ZONE
    return wall_clock.replace(tzinfo=zone)


def _offset(text: str) -> timezone | None:
    match = OFFSET.fullmatch(text)
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


def _position(exif: Image.Exif) -> tuple[float, float] | None:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = _coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S", 90)
    lng = _coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W", 180)
    return (lat, lng) if lat is not None and lng is not None else None  # half a position is no position


def _coordinate(value, ref, negative: str, limit: float) -> float | None:
    """Degrees from EXIF's (degrees, minutes, seconds) rationals; None when absent or impossible."""
    if value is None:
        return None
    parts = [float(part) for part in (value if isinstance(value, tuple) else (value,))]
    if not 1 <= len(parts) <= 3 or not all(math.isfinite(p) and p >= 0 for p in parts):
        return None  # a zero denominator reads as nan
    degrees = sum(part / 60**i for i, part in enumerate(parts))
    if degrees > limit:
        return None
    return round(-degrees if _text(ref).upper().startswith(negative) else degrees, 7)
