"""How bench/load.py drives its workload: closed loops (a kind alone, as fast as answers come) and an open loop
(Poisson arrivals at set rates, each request's latency counted from its scheduled moment), bounded in time and
count, with a tally per kind of request."""

import http.client
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from bench.load_client import Client, Failed, Workload

KINDS = ("sync", "list", "detail", "history", "create", "event", "upload")


@dataclass
class Tally:
    latencies: list = field(default_factory=list)  # seconds: from the scheduled moment (open loop) or the send
    errors: int = 0
    samples: list = field(default_factory=list)  # the first few failures


def run_closed(
    workload: Workload, kind: str, ports: list[int], turn, *, threads: int, seconds: float, limit: int
) -> tuple[Tally, float]:
    """`threads` clients doing only `kind` as fast as answers come, for `seconds` or `limit` requests."""
    tally, lock, count = Tally(), threading.Lock(), iter(range(10**9))
    stop_at = time.monotonic() + seconds

    def loop(n):
        client, rng = Client(ports, turn), random.Random(n)
        while time.monotonic() < stop_at and next(count) < limit:
            _one(workload, kind, client, rng, time.perf_counter(), tally, lock)

    started = time.perf_counter()
    _join([threading.Thread(target=loop, args=(n,)) for n in range(threads)])
    return tally, time.perf_counter() - started


def run_open(
    workload: Workload, rates: dict[str, float], ports: list[int], turn, *, threads: int, seconds: float, seed: int = 7
) -> tuple[dict[str, Tally], float, float]:
    """Poisson arrivals at `rates` (per second, per kind) for `seconds`, served by `threads` clients; a request's
    latency counts from its scheduled moment, so a generator that falls behind shows as latency, not as a
    lighter load. Returns the tallies, the wall time and the largest lag of a request's start."""
    rng, total = random.Random(seed), sum(rates.values())
    kinds, weights = list(rates), list(rates.values())
    plan, at = [], 0.0
    while (at := at + rng.expovariate(total)) < seconds:
        plan.append((at, rng.choices(kinds, weights)[0]))
    tallies, lock = {k: Tally() for k in kinds}, threading.Lock()
    jobs, lag = deque(plan), [0.0]
    ready = threading.Condition()
    started = time.perf_counter()

    def loop(n):
        client, local = Client(ports, turn), random.Random(seed * 1000 + n)
        while True:
            with ready:
                if not jobs:
                    return
                at, kind = jobs.popleft()
            due = started + at
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            else:
                lag[0] = max(lag[0], -wait)
            _one(workload, kind, client, local, due, tallies[kind], lock)

    _join([threading.Thread(target=loop, args=(n,)) for n in range(threads)])
    return tallies, time.perf_counter() - started, lag[0]


def _one(workload, kind, client, rng, since, tally, lock) -> None:
    try:
        getattr(workload, kind)(client, rng)
        failure = None
    except (Failed, OSError, http.client.HTTPException) as error:
        failure = str(error)
    took = time.perf_counter() - since
    with lock:
        tally.latencies.append(took)
        if failure:
            tally.errors += 1
            if len(tally.samples) < 3 and failure.split(": ")[0] not in {f.split(": ")[0] for f in tally.samples}:
                tally.samples.append(failure)  # one of each kind: "PUT /path -> 409"


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
