"""Photos are shrunk on the device (SPEC §6): each 12 MP phone photo leaves the browser as a JPEG of 1600 px on
the long edge, at most 500 KB, the right way up. What left the browser is read back from the server, which keeps
the uploaded bytes untouched as the original."""

import io

from PIL import Image, ImageChops, ImageOps, ImageStat

from .support import SHARED_PHOTOS, login, photo_path, report_finding, wait_outbox

COMPARE_SIZE = (120, 160)  # portrait, a whole fraction of 1200x1600 and 3000x4000, as tests/unit/test_imaging.py


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def test_shared_photos_leave_the_browser_shrunk_and_upright(page, seeded, server_view):
    login(page, seeded.inspector)
    finding_id = report_finding(
        page,
        title="配电箱门未关闭",
        enterprise_id=seeded.enterprise_id,
        photos=[photo_path(name) for name in SHARED_PHOTOS],
        category="electrical",
    )
    wait_outbox(page, 0)

    server = server_view(seeded.supervisor)
    print(server.findings())  # supervisors may read the untouched original
    photos = server.finding(finding_id)["photos"]
    assert len(photos) == 3 and all(p["arrived"] for p in photos)
    uploads = [server.photo_bytes(p["id"], "original") for p in photos]

    uprights = {}
    for name in SHARED_PHOTOS:
        with Image.open(photo_path(name)) as original:
            uprights[name] = ImageOps.exif_transpose(original).resize(COMPARE_SIZE, Image.Resampling.BOX)

    matched = []
    for data in uploads:
        assert len(data) <= 500 * 1024, f"{len(data)} bytes left the browser"
        sent = Image.open(io.BytesIO(data))
        assert sent.format == "JPEG"
        assert sent.size == (1200, 1600), "1600 px on the long edge, portrait as the phone held it"
        small = sent.resize(COMPARE_SIZE, Image.Resampling.BOX)
        diffs = {name: mean_abs_diff(small, upright) for name, upright in uprights.items()}
        name = min(diffs, key=diffs.get)
        assert diffs[name] < 5, diffs  # the same picture, the right way up
        upright = uprights[name]
        for wrong in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM):
            assert mean_abs_diff(small, upright.transpose(wrong)) > 12, "the comparison cannot tell orientations apart"
        assert "exif" not in sent.info, "the browser's re-encode carries no EXIF (no GPS leaves the phone)"
        matched.append(name)
    assert sorted(matched) == sorted(SHARED_PHOTOS), "each photo arrived once"
