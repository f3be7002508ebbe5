"""Where photo bytes live: a port with a local-disk adapter and an S3 adapter, chosen by STORAGE_URL.

Nothing outside this package knows which adapter is in use. Keys are content addresses chosen by the
caller ("originals/ab/abcdef....jpg"); writing the same key twice is harmless.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Protocol


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str = "") -> Iterator[str]: ...

    def listing(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        """(key, last modified, aware) for every object under `prefix`."""

    def unfinished(self) -> Iterator[tuple[str, datetime]]:
        """(name, last modified) of every write that never finished: the temporary file a killed upload leaves
        on local disk. Never an object: listing() does not show them. None on S3 (a PUT is all or nothing)."""

    def delete_unfinished(self, name: str) -> None:
        """Remove one of unfinished()'s leftovers."""

    def open(self, key: str) -> IO[bytes] | None:
        """A readable file to stream from, or None where the adapter hands out URLs instead."""

    def signed_url(self, key: str, *, expires_s: int, content_type: str) -> str | None:
        """A short-lived URL the client can fetch directly, or None where the adapter streams instead."""


def storage_from_url(url: str, environ: dict | None = None) -> Storage:
    """file:///var/lib/closeloop/photos or s3://bucket/prefix (endpoint, region, keys from the environment)."""
    if url.startswith("file://"):
        from app.storage.local import LocalStorage

        return LocalStorage(url.removeprefix("file://"))
    if url.startswith("s3://"):
        from app.storage.s3 import S3Storage

        return S3Storage.from_url(url, environ or {})
    raise ValueError(f"STORAGE_URL must start with file:// or s3://, not {url!r}")
