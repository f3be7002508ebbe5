"""A JPEG without its metadata, losslessly: what `jpegtran -copy none` does, for the files we may serve as sent.

The PWA shrinks every photo on the phone to 1600 px (SPEC §6) before it is queued, so most uploads are already
display-sized. Decoding and re-encoding such a file costs half the server's CPU per photo and a second
generation of JPEG loss. Instead the upload's own coded image is kept and everything around it dropped: every
APPn segment (EXIF with its GPS, ICC, XMP, maker notes), every comment, and anything after the end-of-image
marker. A fresh JFIF header goes in front, so every decoder reads the colours as the upload's decoder did.

Only the two kinds every browser decodes are kept: baseline and progressive Huffman-coded frames. Anything
else (arithmetic coding, lossless, hierarchical, 12-bit, a second frame, a malformed segment) returns None and
the caller re-encodes the pixels as before.
"""

import re

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
SERVABLE_FRAMES = {0xC0, 0xC2}  # SOF0 baseline, SOF2 progressive: Huffman, 8-bit
TABLES = {0xDB, 0xC4, 0xDD}  # DQT, DHT, DRI: needed to decode, carry nothing else
DROPPED = set(range(0xE0, 0xF0)) | {0xFE}  # APP0-APP15, COM
JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"  # version 1.1, aspect 1:1, no thumbnail
# In entropy-coded data 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; anything else ends the scan.
SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")


def strip_jpeg(data: bytes) -> bytes | None:
    """`data` with only what decodes the image, behind a JFIF header; None when we would not serve it as is."""
    if data[:2] != b"\xff\xd8":
        return None
    kept, position, frame_seen, scans = [b"\xff\xd8", JFIF], 2, False, 0
    while True:
        marker, position = _next_marker(data, position)
        if marker == EOI:
            break
        if marker is None or position + 2 > len(data):
            return None
        end = position + int.from_bytes(data[position : position + 2], "big")
        if end <= position + 1 or end > len(data):
            return None
        segment = data[position - 2 : end]
        if marker in SERVABLE_FRAMES:
            if frame_seen or not _eight_bit_grey_or_colour(data, position, end):
                return None
            frame_seen = True
        elif marker == SOS:
            if not frame_seen:
                return None
            scan_end = SCAN_END.search(data, end)
            if scan_end is None:
                return None
            segment, end, scans = data[position - 2 : scan_end.start()], scan_end.start(), scans + 1
        elif marker not in TABLES and marker not in DROPPED:
            return None
        if marker not in DROPPED:
            kept.append(segment)
        position = end
    return b"".join([*kept, b"\xff\xd9"]) if scans else None


def _eight_bit_grey_or_colour(data: bytes, position: int, end: int) -> bool:
    """A frame header: length (2), precision (1), height (2), width (2), components (1), ..."""
    return end - position >= 8 and data[position + 2] == 8 and data[position + 7] in (1, 3)


def _next_marker(data: bytes, position: int) -> tuple[int | None, int]:
    """(the marker at `position`, the position after it); fill bytes (0xFF runs) before a marker are allowed."""
    if position >= len(data) or data[position] != 0xFF:
        return None, position
    while position < len(data) and data[position] == 0xFF:
        position += 1
    if position >= len(data) or data[position] in (0x00, SOI):
        return None, position
    return data[position], position + 1
