"""The account rows bearer tokens were read with in the last minute, kept per worker for the create and the
photo upload.

Only a caller whose own statement reads the account again before it writes may let a request in with one of
these (app.api.remembered, for app.api.findings and app.api.photos; services.create_pg, services.create_sqlite,
services.photo_upload): nothing else is answered from memory, so a revocation still ends access at the next
request. See services.accounts.
"""

import time

SECONDS = 60.0
MOST = 10_000  # rows per worker; at that size the memory starts over
_rows: dict[str, tuple[float, tuple]] = {}  # token digest -> (monotonic expiry, account row)


class StaleCredential(Exception):
    """The account a request was let in with from memory has ended or changed: sign the request in afresh."""


def remember(key: str, row) -> None:
    """The row a fresh read gave for the token of digest `key` (None: forget it)."""
    if row is None:
        _rows.pop(key, None)
        return
    if len(_rows) >= MOST:
        _rows.clear()
    _rows[key] = (time.monotonic() + SECONDS, row)


def recall(key: str):
    found = _rows.get(key)
    return None if found is None or found[0] < time.monotonic() else found[1]


def still(key: str, row, fresh) -> bool:
    """Whether `fresh` (a new read) is the remembered `row` but for when it was last seen; forgets it if not."""
    same = fresh is not None and tuple(fresh)[:-1] == tuple(row)[:-1]
    if not same:
        _rows.pop(key, None)
    return same
