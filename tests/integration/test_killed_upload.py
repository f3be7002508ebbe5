"""A worker killed in the middle of writing a photo leaves its `.part-*` file on the disk; `photos verify` finds it
and `--repair` removes it once it is older than the grace time (a young one may still be being written)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.storage.local import LocalStorage

ROOT = Path(__file__).resolve().parents[2]

# A process that starts a real LocalStorage.put and is SIGKILLed after the bytes are written, before the rename
# that would have made them an object: exactly what an OOM kill or a killed gunicorn worker does.
KILLED_WRITER = r"""
import os, signal, sys
sys.path.insert(0, {root!r})
from app.storage import local

def killed(src, dst):
    os.kill(os.getpid(), signal.SIGKILL)

local.os.replace = killed
local.LocalStorage({photos!r}).put("originals/ab/" + "ab" * 32 + ".jpg", b"half of a photo" * 1000, "image/jpeg")
"""


def kill_an_upload(photos: Path) -> Path:
    script = KILLED_WRITER.format(root=str(ROOT), photos=str(photos))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == -9, done.stderr  # it died by SIGKILL, mid-write
    parts = list(photos.rglob(".part-*"))
    assert len(parts) == 1 and parts[0].stat().st_size == 15000
    return parts[0]


@pytest.fixture
def photos(app) -> Path:
    storage = app.extensions["storage"]
    assert isinstance(storage, LocalStorage)
    return storage.root


def verify(app, *args):
    return app.test_cli_runner().invoke(args=["photos", "verify", *args])


def age(path: Path, minutes: float) -> None:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def test_a_killed_uploads_part_file_is_found_and_removed_after_the_grace_time(app, photos):
    part = kill_an_upload(photos)
    name = part.relative_to(photos).as_posix()
    assert list(app.extensions["storage"].keys()) == []  # never an object

    young = verify(app, "--repair")  # grace 15 minutes: it may still be being written
    assert young.exit_code == 0, young.output
    assert "1 unfinished writes younger than 15 min left alone" in young.output
    assert part.exists()

    age(part, 16)
    found = verify(app)
    assert found.exit_code == 1 and f"unfinished write (a killed upload): {name}" in found.output
    assert part.exists()  # reported, not touched, without --repair

    repaired = verify(app, "--repair")
    assert repaired.exit_code == 0 and f"unfinished write (a killed upload): {name} (deleted)" in repaired.output
    assert not part.exists()
    assert "agree" in verify(app).output


def test_the_grace_time_is_the_operators_to_choose(app, photos):
    part = kill_an_upload(photos)
    age(part, 3)
    assert part.exists() and verify(app, "--repair", "--grace-minutes", "5").exit_code == 0
    assert part.exists()
    assert verify(app, "--repair", "--grace-minutes", "2").exit_code == 0
    assert not part.exists()
