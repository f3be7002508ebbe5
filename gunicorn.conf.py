"""gunicorn's settings for Closeloop: `gunicorn -c gunicorn.conf.py wsgi:app` (what `make run` does; gunicorn
also reads this file by itself when started in this folder, command-line options winning).

- 2 workers x 4 threads on 127.0.0.1:5000 (PORT or GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS to change them).
- Login throttling holds across the workers: without REDIS_URL (or an explicit RATELIMIT_STORAGE_URI) the
  counters go in one SQLite file in the instance folder that every worker shares (app/throttle.py); Redis is
  for several hosts.
- Each worker keeps the memory it frees for its next requests (keep_freed_memory): a 12 MP upload's buffers
  were otherwise handed back to the kernel and faulted in again by the next one, ~7,000 page faults per photo.
- The limits on what gunicorn reads before the app sees a request are the ones the API documents: a request line
  of at most 8190 bytes, at most 100 header fields of at most 8190 bytes each. The app answers a query string
  over MAX_QUERY_BYTES (4096) itself, in JSON; what gunicorn refuses on its own is answered in JSON too (its
  built-in refusal is an HTML page): 414 for a request line too long, 431 for headers, 400 for the rest.
"""

import ctypes
import json
import os
from pathlib import Path

from gunicorn import util

INSTANCE = Path(__file__).resolve().parent / "instance"

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 5000}"  # make run: PORT=8080
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # make run passes --access-logfile -

# The request limits the API documents (info.description of /api/v1/openapi.json and README).
limit_request_line = 8190  # gunicorn's maximum; the app's own limit on the query string is below it
limit_request_fields = 100
limit_request_field_size = 8190

if not os.environ.get("REDIS_URL") and not os.environ.get("RATELIMIT_STORAGE_URI"):
    INSTANCE.mkdir(parents=True, exist_ok=True)
    os.environ["RATELIMIT_STORAGE_URI"] = f"sqlite:///{INSTANCE / 'ratelimit.sqlite'}"  # read by app.config

ERROR_CODES = {400: "bad_request", 403: "forbidden", 414: "uri_too_long", 431: "request_header_fields_too_large",
               500: "internal_error", 501: "not_implemented"}  # fmt: skip


def json_refusal(sock, status_int, reason, mesg):
    """gunicorn.util.write_error, answering {"error": {"code", "message", "fields"}} like the app does."""
    if status_int == 400 and mesg.startswith("Request Line is too large"):
        status_int, reason = 414, "URI Too Long"
    body = json.dumps(
        {"error": {"code": ERROR_CODES.get(status_int, "error"), "message": mesg or reason, "fields": {}}}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = json_refusal  # the workers' handle_error looks it up at each refusal


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 2**20  # glibc's upper limit: blocks below it come from the heap, reusable
TRIM_THRESHOLD = 256 * 2**20  # free memory a heap keeps before giving it back


def keep_freed_memory() -> bool:
    """Let glibc's malloc keep what a worker frees, so the next request's image buffers reuse it.

    glibc serves a block over its mmap threshold with a fresh mapping and unmaps it when freed, and gives a heap's
    free top back to the kernel beyond its trim threshold. Both adapt on their own in a single-threaded process,
    but not across the arenas of gunicorn's threads: a 12 MP photo processed there took ~7,000 page faults (its
    decode, resize and encode buffers, the upload's bytes), and on this benchmark machine's VM a fresh page
    costs more than the copy into it. With fixed thresholds the freed buffers stay in the worker and the faults
    are 1-145 per photo (tests/unit/test_worker_memory.py); the price is memory held: a worker's RSS stays near
    its high-water mark (about +100 MB after 12 MP originals, docs/benchmarks.md). False where the C library has
    no mallopt (not glibc)."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def post_fork(server, worker):
    keep_freed_memory()  # in each worker: its malloc state is its own from the fork on
