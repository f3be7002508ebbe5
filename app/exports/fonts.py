"""The Chinese font the PDFs are drawn with (the quarterly table, the enforcement documents), embedded as a subset
so a PDF reads the same on a machine without Chinese fonts.

The font is REPORT_FONT when set (a .ttf/.otf, or a .ttc's first face), else the Chinese font fontconfig knows
(Debian's fonts-wqy-microhei, installed by scripts/system-deps.sh, or fonts-noto-cjk).
"""

import os
import subprocess
from dataclasses import dataclass
from functools import lru_cache

PREFERRED = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK", "Noto Serif CJK SC")
FONT_HELP = "install fonts-wqy-microhei (scripts/system-deps.sh does) or set REPORT_FONT to a Chinese TTF/TTC file"


class ReportFontMissing(RuntimeError):
    """No Chinese font to draw the PDF with: the message says what to install or set."""


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # the face within a .ttc collection


def _fontconfig_faces() -> list[tuple[str, int, str]]:
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh-cn", "--format", "%{file}|%{index}|%{family}\n"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for line in listed.splitlines():
        path, _, rest = line.partition("|")
        index, _, family = rest.partition("|")
        if path.lower().endswith((".ttf", ".ttc", ".otf")) and index.isdigit():
            faces.append((path, int(index), family))
    return faces


def _rank(face: tuple[str, int, str]) -> tuple[int, str, int]:
    family = face[2]
    for rank, name in enumerate(PREFERRED):
        if name in family and "Mono" not in family:
            return rank, face[0], face[1]
    return len(PREFERRED), face[0], face[1]


@lru_cache(maxsize=4)
def find_font(configured: str | None = None) -> FontFile:
    """The font to draw with; a failure is not cached, so installing the font mends it without a restart."""
    if configured:
        if not os.path.isfile(configured):
            raise ReportFontMissing(f"REPORT_FONT={configured} is not a file: {FONT_HELP}.")
        return FontFile(configured)
    faces = _fontconfig_faces()
    if not faces:
        raise ReportFontMissing(f"No Chinese font for the PDF report: {FONT_HELP}.")
    path, index, _ = min(faces, key=_rank)
    return FontFile(path, index)


def configured_font(config) -> FontFile:
    """find_font for this app: REPORT_FONT from its config, else from the environment, else fontconfig's."""
    return find_font(config.get("REPORT_FONT") or os.environ.get("REPORT_FONT") or None)
