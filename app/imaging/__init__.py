"""Photos: what an upload is (from its bytes), whether we take it, and the variants we serve.

No Flask, no SQLAlchemy: bytes in, a ProcessedPhoto (or a domain error: 415 / 422) out. The API stores the
original by its sha256 and serves only the variants, which carry no EXIF (GPS in a photo is personal data).
"""

from app.imaging.pipeline import DISPLAY_EDGE, MAX_PIXELS, THUMB_EDGE, ProcessedPhoto, fit, process_photo
from app.imaging.sniff import HEIC, JPEG, PNG, WEBP, sniff

__all__ = [
    "DISPLAY_EDGE",
    "HEIC",
    "JPEG",
    "MAX_PIXELS",
    "PNG",
    "THUMB_EDGE",
    "WEBP",
    "ProcessedPhoto",
    "fit",
    "process_photo",
    "sniff",
]
