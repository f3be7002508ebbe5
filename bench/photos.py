"""Issue 3: server CPU per photo against a reference and a naive pipeline, a phone's 1600 px upload, and the memory
one photo in flight adds. Both pipelines are written here; the inputs are the three shared 12 MP phone photos.

The photo pipeline touches no database: `world` and `backend` are not used, and the figures are measured once per
run however many backends run. CPU is time.process_time() around each call (Pillow decodes, resizes and encodes
on the calling thread), interleaved (the sides take turns going first), medians decide.

Memory is the RSS high-water mark of a fresh subprocess per measurement (python -m bench.photos --rss ...): the
peak is reset after the imports and a warm-up (Linux /proc/self/clear_refs), then the upload is read and processed
once; added = VmHWM - VmRSS at the reset. tracemalloc would miss most of it: Pillow keeps pixels in its own
arenas and libjpeg allocates with malloc, outside Python's allocator.
"""

import argparse
import io
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

from app.imaging import fit, process_photo
from bench.results import Result
from bench.timing import Sample

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT.parent / "shared" / "photos"
SHARED = ["real_boats_12mp.jpg", "real_forest_12mp.jpg", "synthetic_12mp.jpg"]
ROTATE = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_270, 8: Image.Transpose.ROTATE_90}
UPLOAD_BUDGET_MS = 20.0
MEMORY_BUDGET_MIB = 40.0
MEMORY_RUNS = 2  # fresh subprocesses per (pipeline, photo); the median counts

_measured: list[Result] = []  # filled by the first backend's run; later backends add nothing


class BenchmarkFailed(RuntimeError):
    """A pipeline gave a wrong answer or the photos are missing: the benchmark is broken, not merely slow."""


def _jpeg(im: Image.Image, quality: int = 82) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality)
    return out.getvalue()


def reference(data: bytes) -> tuple:
    """Issue 3's reference: draft to 1/2 (aspect-correct box) + BICUBIC to 1600 + 320 thumbnail + q82, EXIF read
    (orientation, time, GPS), the orientation applied after the resize."""
    im = Image.open(io.BytesIO(data))
    exif = im.getexif()
    taken = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    place = exif.get_ifd(ExifTags.IFD.GPSInfo).get(ExifTags.GPS.GPSLatitude)
    turn = ROTATE.get(exif.get(ExifTags.Base.Orientation, 1))
    size = fit(im.size, 1600)
    im.draft("RGB", size)
    display = im.resize(size, Image.Resampling.BICUBIC)
    thumb = display.copy()
    thumb.thumbnail((320, 320))
    if turn is not None:
        display, thumb = display.transpose(turn), thumb.transpose(turn)
    return _jpeg(display), _jpeg(thumb), taken, place


def naive(data: bytes) -> tuple[bytes, bytes]:
    """What a first version does: full decode, LANCZOS to 1600 and to 320, q82; orientation after the resize,
    as in the reference, so the ratio measures the decode and the filter only."""
    im = Image.open(io.BytesIO(data))
    turn = ROTATE.get(im.getexif().get(ExifTags.Base.Orientation, 1))
    im.load()
    display = im.resize(fit(im.size, 1600), Image.Resampling.LANCZOS)
    thumb = display.resize(fit(im.size, 320), Image.Resampling.LANCZOS)
    if turn is not None:
        display, thumb = display.transpose(turn), thumb.transpose(turn)
    return _jpeg(display), _jpeg(thumb)


def decode_only(data: bytes) -> None:
    """The floor of any pipeline that reads the upload: the JPEG decode at 1/2 scale, nothing else."""
    im = Image.open(io.BytesIO(data))
    im.draft("RGB", fit(im.size, 1600))
    im.load()


PIPELINES: dict[str, Callable[[bytes], object]] = {
    "ours": process_photo,
    "reference": reference,
    "naive": naive,
    "decode": decode_only,
}


def load_photos() -> list[bytes]:
    missing = [name for name in SHARED if not (PHOTOS / name).is_file()]
    if missing:
        raise BenchmarkFailed(f"missing {', '.join(missing)} in {PHOTOS} (see its README)")
    return [(PHOTOS / name).read_bytes() for name in SHARED]


def phone_upload(data: bytes) -> bytes:
    """What the PWA sends (SPEC §6): upright, 1600 px long edge, quality 0.8, no EXIF."""
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    return _jpeg(upright.resize(fit(upright.size, 1600), Image.Resampling.LANCZOS), quality=80)


def check_answers(photos: list[bytes], uploads: list[bytes]) -> None:
    for data in photos + uploads:
        photo = process_photo(data)
        if (photo.display_width, photo.display_height, photo.thumb_width, photo.thumb_height) != (1200, 1600, 240, 320):
            raise BenchmarkFailed(f"process_photo gave {photo!r}")
    for make in (reference, naive):
        display = make(photos[0])[0]
        if Image.open(io.BytesIO(display)).size != (1200, 1600):
            raise BenchmarkFailed(f"the {make.__name__} pipeline is broken")


def cpu_interleaved(names: list[str], inputs: list[bytes], rounds: int, repeat: int = 1) -> dict[str, Sample]:
    """CPU seconds per call, in Sample.latencies. Each round rotates which side goes first, on every input."""
    for name in names:
        for data in inputs:
            PIPELINES[name](data)  # warm-up: plugin imports, first allocations
    samples = {name: Sample() for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for data in inputs:
            for name in order:
                for _ in range(repeat):
                    started = time.process_time()
                    PIPELINES[name](data)
                    samples[name].latencies.append(time.process_time() - started)
    return samples


def memory_mib(name: str) -> float:
    """The worst photo's median added RSS (MiB) for one pipeline, each run in a fresh subprocess."""
    per_photo = []
    for photo in SHARED:
        runs = sorted(_child_added_kib(name, PHOTOS / photo) for _ in range(MEMORY_RUNS))
        per_photo.append(runs[(len(runs) - 1) // 2] / 1024)
    return max(per_photo)


def _child_added_kib(name: str, path: Path) -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run(
        [sys.executable, "-m", "bench.photos", "--rss", name, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise BenchmarkFailed(f"memory probe {name} {path.name} failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout)["added_kib"]


def _status_kib(field: str) -> int:
    return int(re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M).group(1))


def _reset_peak() -> bool:
    """Make the RSS high-water mark the current RSS (Linux >= 4.0); False where that cannot be done."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def probe(name: str, path: str) -> dict:
    """In a fresh process: the RSS one call of pipeline `name` adds, upload bytes included (they are in memory
    while the photo is in flight)."""
    PIPELINES[name](_jpeg(Image.new("RGB", (64, 48))))  # warm-up: plugin imports and libjpeg's first tables
    # Without the reset, ru_maxrss still holds the imports' peak, which can hide part of the photo's.
    resettable = _reset_peak()
    before = _status_kib("VmRSS") if resettable else _maxrss_kib()
    PIPELINES[name](Path(path).read_bytes())
    after = _status_kib("VmHWM") if resettable else _maxrss_kib()
    return {"added_kib": after - before, "method": "VmHWM after clear_refs" if resettable else "ru_maxrss"}


def _ms(sample: Sample) -> str:
    return f"{sample.median_ms:.1f} ms"


def _row(metric: str, ours: str, floor: str, ratio: float, target: str, detail: str) -> Result:
    return Result("no DB", metric, ours, floor, ratio, target, detail)


def cpu_results(big: dict[str, Sample], rounds: int) -> list[Result]:
    ours, ref, naive_, decode = (big[n] for n in ("ours", "reference", "naive", "decode"))
    p90s = f"p90 ours {ours.p90_ms:.1f} ms, reference {ref.p90_ms:.1f} ms, naive {naive_.p90_ms:.1f} ms"
    return [
        _row(
            "12 MP photo, server CPU vs reference pipeline (ratio = ours/ref)",
            _ms(ours),
            f"{_ms(ref)} (ref)",
            ours.median_ms / ref.median_ms,
            "<= 1.15",
            f"{rounds} rounds x 3 photos per side; {p90s}; reference = draft 1/2 + BICUBIC 1600 + thumbnail 320 "
            "+ q82, EXIF read, orientation after the resize",
        ),
        _row(
            "12 MP photo, CPU speed-up over naive (ratio = naive/ours)",
            _ms(ours),
            f"{_ms(naive_)} (naive)",
            naive_.median_ms / ours.median_ms,
            ">= 2.00",
            "naive = full decode + LANCZOS to 1600 and 320 + q82, orientation after the resize (as ours)",
        ),
        _row(
            "12 MP photo: JPEG decode at 1/2 alone (ratio = ours/decode)",
            _ms(ours),
            f"{_ms(decode)} (decode)",
            ours.median_ms / decode.median_ms,
            "",
            "the Huffman decode every pipeline that reads the upload pays; the rest is resize, encode, sha256",
        ),
    ]


def upload_result(small: dict[str, Sample], uploads: list[bytes], rounds: int) -> Result:
    ours = small["ours"]
    sizes = "/".join(str(len(u) // 1000) for u in sorted(uploads, key=len))
    return _row(
        f"phone 1600 px upload, CPU per photo (ratio = ours/{UPLOAD_BUDGET_MS:.0f} ms budget)",
        _ms(ours),
        f"{UPLOAD_BUDGET_MS:.0f} ms budget",
        ours.median_ms / UPLOAD_BUDGET_MS,
        "<= 1.00",
        f"the 3 photos upright at 1600 px, q80, no EXIF ({sizes} KB); {rounds} rounds x 5 calls per side; "
        f"p90 ours {ours.p90_ms:.1f} ms; the reference pipeline on them {_ms(small['reference'])}",
    )


def memory_result(memory: dict[str, float]) -> Result:
    return _row(
        f"12 MP photo, memory added in flight (ratio = ours/{MEMORY_BUDGET_MIB:.0f} MiB budget)",
        f"{memory['ours']:.1f} MiB",
        f"{MEMORY_BUDGET_MIB:.0f} MiB budget",
        memory["ours"] / MEMORY_BUDGET_MIB,
        "<= 1.00",
        "RSS high-water minus RSS after imports and a warm-up, a fresh subprocess per run, the upload's bytes "
        f"included; the worst photo's median of {MEMORY_RUNS} runs; reference {memory['reference']:.1f} MiB, "
        f"naive {memory['naive']:.1f} MiB",
    )


def run(world, backend: str, cfg) -> list[Result]:
    """The bench entry point (see bench/__main__.py); the photos' figures once per run, whatever the backend."""
    if _measured:
        return []
    photos = load_photos()
    uploads = [phone_upload(data) for data in photos]
    check_answers(photos, uploads)
    big = cpu_interleaved(["ours", "reference", "naive", "decode"], photos, cfg.rounds)
    small = cpu_interleaved(["ours", "reference"], uploads, cfg.rounds, repeat=5)
    memory = {name: memory_mib(name) for name in ("ours", "reference", "naive")}
    _measured.extend([*cpu_results(big, cfg.rounds), upload_result(small, uploads, cfg.rounds), memory_result(memory)])
    return list(_measured)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.photos", description="memory probe for python -m bench")
    parser.add_argument("--rss", nargs=2, metavar=("PIPELINE", "PHOTO"), required=True)
    args = parser.parse_args()
    print(json.dumps(probe(*args.rss)))
