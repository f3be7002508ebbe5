"""The one rule for a storage key, shared by every adapter so a key means the same object on each."""


def key_parts(key: str) -> list[str]:
    """The names of a key, which must be a relative path of plain names: no '.', '..', empty or NUL-holding part
    (every key the app makes is one: photos.object_key). Anything else is refused, never normalised: on disk it
    could escape the root, and on S3 a proxy or SDK could normalise a presigned URL onto another object."""
    parts = key.split("/")
    if not key or key.startswith("/") or any(part in ("", ".", "..") or "\0" in part for part in parts):
        raise ValueError(f"not a storage key: {key!r}")
    return parts
