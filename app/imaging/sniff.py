"""What kind of image a file is, judged by its first bytes only.

The file name and the Content-Type header are the client's claims; the magic bytes are what the decoder will
actually see, so they alone decide (an SVG or an HTML page named photo.jpg is not a photo).
"""

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# HEVC-coded HEIF brands (ISO/IEC 23008-12 Annex B): what phones write.
HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
# Generic HEIF brands: the codec is named elsewhere, so they count only when no AV1 brand says "AVIF" (the
# libheif build here has no AV1 decoder, so an AVIF would only fail later as "corrupt").
GENERIC_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
AV1_BRANDS = frozenset({b"avif", b"avis"})


def sniff(data: bytes) -> str | None:
    """The media type of `data` from its magic bytes: image/jpeg, image/png, image/webp, image/heic, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if _is_heic(data):
        return HEIC
    return None


def _ftyp_brands(data: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO-BMFF `ftyp` box at the start of the file, or an empty set."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return set()
    box_size = int.from_bytes(data[:4], "big")
    end = min(box_size, len(data), 1024)  # a real ftyp lists a handful of brands; don't walk a huge claim
    if box_size < 16:
        return set()
    brands = {data[8:12]}  # major brand; data[12:16] is the minor version, not a brand
    brands.update(data[i : i + 4] for i in range(16, end - 3, 4))
    return brands


def _is_heic(data: bytes) -> bool:
    brands = _ftyp_brands(data)
    if brands & HEVC_BRANDS:
        return True
    return bool(brands & GENERIC_HEIF_BRANDS) and not brands & AV1_BRANDS
