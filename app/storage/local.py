"""Photos on the local disk: written to a temporary name and renamed, so a reader never sees half a file.

A process killed between the two (an OOM kill, a power cut, SIGKILL of a worker) leaves the temporary
`.part-*` file behind: never an object, but disk taken. unfinished() finds them for `photos verify --repair`.
"""

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from app.storage.keys import key_parts

PARTIAL = ".part-"


class LocalStorage:
    def __init__(self, root: str):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._resolved = str(self.root.resolve())  # once: resolving the root per call was a dozen stat calls
        self._folders: set[str] = set()  # made (or found) already by this process: one mkdir per folder, not per put

    def _path(self, key: str) -> Path:
        return Path(self._resolved, *key_parts(key))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        folder = str(path.parent)
        if folder not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=PARTIAL)
        except FileNotFoundError:  # the folder was removed since (by hand): made again
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=PARTIAL)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        for key, _modified in self.listing(prefix):
            yield key

    def listing(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and not path.name.startswith(PARTIAL) and key.startswith(prefix):
                yield key, datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def unfinished(self) -> Iterator[tuple[str, datetime]]:
        for path in sorted(self.root.rglob(PARTIAL + "*")):
            try:
                modified = path.stat().st_mtime
            except FileNotFoundError:  # renamed into place (or removed) since the listing: finished after all
                continue
            if path.is_file():
                yield path.relative_to(self.root).as_posix(), datetime.fromtimestamp(modified, UTC)

    def delete_unfinished(self, name: str) -> None:
        path = self._path(name)
        if not path.name.startswith(PARTIAL):
            raise ValueError(f"not an unfinished write: {name!r}")
        path.unlink(missing_ok=True)

    def open(self, key: str) -> IO[bytes] | None:
        return self._path(key).open("rb")

    def signed_url(self, key: str, *, expires_s: int, content_type: str) -> str | None:
        return None
