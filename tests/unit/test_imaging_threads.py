"""app/imaging/pipeline.py takes two paths for speed on a threaded server (issue 15's uploads): it encodes into a
file in memory rather than a BytesIO (Pillow encodes into a file descriptor without holding the GIL) and hands the
decoder the whole upload at once rather than 64 KB at a time. Both must give exactly what Pillow's usual paths
give: the same JPEG bytes, the same pixels, the same refusals."""

import io

import pytest
from PIL import Image, ImageFile

from app.domain.errors import RuleViolation
from app.imaging import pipeline, process_photo
from bench.photos import load_photos, phone_upload


@pytest.fixture(scope="module")
def uploads() -> list[bytes]:
    originals = load_photos()
    return [originals[0], phone_upload(originals[1]), _png()]


def _png() -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((900, 700)).convert("RGB").save(out, "PNG")
    return out.getvalue()


def _usual_paths(monkeypatch) -> None:
    """Pillow's usual paths: a BytesIO to encode into, the decoder fed 64 KB at a time."""
    monkeypatch.setattr(pipeline, "IN_MEMORY_FILES", False)
    opened = pipeline._open

    def open_in_blocks(data, media_type, max_pixels):
        im = opened(data, media_type, max_pixels)
        im.decodermaxblock = ImageFile.MAXBLOCK
        return im

    monkeypatch.setattr(pipeline, "_open", open_in_blocks)


def test_the_in_memory_file_and_the_whole_upload_give_what_the_usual_paths_give(uploads, monkeypatch):
    assert pipeline.IN_MEMORY_FILES  # Linux: the paths under test are the ones taken
    fast = [process_photo(data) for data in uploads]
    _usual_paths(monkeypatch)
    usual = [process_photo(data) for data in uploads]
    for a, b in zip(fast, usual, strict=True):
        assert a.display == b.display and a.thumb == b.thumb  # byte for byte
        sizes = ("width", "height", "display_width", "display_height", "thumb_width", "thumb_height")
        assert [getattr(a, name) for name in sizes] == [getattr(b, name) for name in sizes]
        assert a.sha256 == b.sha256 and a.taken_at == b.taken_at and a.camera_model == b.camera_model


def test_a_truncated_upload_is_refused_on_either_path(uploads, monkeypatch):
    cut = uploads[0][: len(uploads[0]) // 2]
    with pytest.raises(RuleViolation):
        process_photo(cut)
    _usual_paths(monkeypatch)
    with pytest.raises(RuleViolation):
        process_photo(cut)


def test_the_encoded_file_holds_only_the_jpeg(uploads):
    processed = process_photo(uploads[1])
    for variant in (processed.display, processed.thumb):
        assert variant[:2] == b"\xff\xd8" and variant.endswith(b"\xff\xd9")
        with Image.open(io.BytesIO(variant)) as im:
            assert im.format == "JPEG" and "exif" not in im.info and "comment" not in im.info
