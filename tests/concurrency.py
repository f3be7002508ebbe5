"""Calls made at the same moment, for the tests of races (twins of a create, numbers, inspections)."""

import threading
from concurrent.futures import ThreadPoolExecutor


def concurrently(n: int, call):
    """Run `call` n times at once, released together by a barrier; the answers in order."""
    barrier = threading.Barrier(n)

    def run(_):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))
