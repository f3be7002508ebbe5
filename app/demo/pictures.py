"""Photos for the demo findings, drawn rather than shipped: a before-photo with the hazard marked in red and
yellow, an after-photo with the same scene tidied and a green tick. A handful of variants is made once and
reused, so the demo also shows that the same bytes are stored once however many findings carry them."""

import io
import random
from functools import cache

from PIL import Image, ImageDraw

SIZE = (960, 720)
VARIANTS = 6
FLOOR = [(118, 122, 128), (142, 134, 120), (104, 116, 110), (128, 120, 112), (96, 104, 118), (136, 128, 132)]


@cache
def picture(kind: str, variant: int) -> bytes:
    """A JPEG of `kind` 'evidence' (the hazard) or 'rectification' (the fix); `variant` picks the scene."""
    rng = random.Random(f"{kind}-{variant % VARIANTS}")
    im = Image.new("RGB", SIZE, FLOOR[variant % VARIANTS])
    draw = ImageDraw.Draw(im)
    _scene(draw, rng)
    if kind == "evidence":
        _hazard(draw, rng)
    else:
        _fixed(draw)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80)
    return out.getvalue()


def _scene(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    width, height = SIZE
    draw.rectangle((0, 0, width, height * 0.45), fill=(182, 190, 198))  # wall
    for x in range(0, width, 120):  # wall panels
        draw.line((x, 0, x, height * 0.45), fill=(160, 168, 176), width=3)
    for _ in range(5):  # machines and racks along the wall
        x, w, h = rng.randint(20, width - 200), rng.randint(90, 180), rng.randint(120, 260)
        base = int(height * 0.45) + rng.randint(20, 60)
        shade = rng.choice([(70, 96, 140), (88, 88, 92), (150, 110, 60), (60, 110, 90)])
        draw.rectangle((x, base - h, x + w, base), fill=shade, outline=(40, 40, 40), width=3)


def _hazard(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    width, height = SIZE
    for _ in range(9):  # boxes piled where the walkway should be clear
        x, y = rng.randint(200, width - 260), rng.randint(int(height * 0.55), height - 120)
        box = (x, y, x + rng.randint(70, 140), y + rng.randint(50, 100))
        draw.rectangle(box, fill=(176, 138, 90), outline=(90, 60, 30), width=3)
    cx, cy = width - 130, 130  # a warning sign
    draw.polygon([(cx, cy - 80), (cx - 90, cy + 70), (cx + 90, cy + 70)], fill=(250, 204, 21), outline=(20, 20, 20))
    draw.rectangle((cx - 8, cy - 30, cx + 8, cy + 25), fill=(20, 20, 20))
    draw.ellipse((cx - 9, cy + 36, cx + 9, cy + 54), fill=(20, 20, 20))
    draw.ellipse((180, int(height * 0.5), width - 220, height - 40), outline=(220, 38, 38), width=12)  # the marking


def _fixed(draw: ImageDraw.ImageDraw) -> None:
    width, height = SIZE
    lane = (0, int(height * 0.62), width, int(height * 0.86))
    draw.rectangle(lane, fill=(150, 156, 150))  # the walkway, clear again
    for x in range(0, width, 80):  # yellow-black edge marking
        draw.rectangle((x, lane[1] - 14, x + 40, lane[1]), fill=(250, 204, 21))
        draw.rectangle((x, lane[3], x + 40, lane[3] + 14), fill=(250, 204, 21))
    cx, cy = width - 130, 130
    draw.ellipse((cx - 80, cy - 80, cx + 80, cy + 80), fill=(22, 163, 74))
    draw.line((cx - 42, cy + 2, cx - 10, cy + 36, cx + 46, cy - 34), fill=(255, 255, 255), width=18)
