"""Interleaved measurement: warm both sides up, then alternate batches (A B, B A, A B, ...) so that machine
noise and the database's growth hit both sides alike. Medians decide; p90s are reported beside them."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    batch_rates: list[float] = field(default_factory=list)  # requests/s, one per batch

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p90_ms(self) -> float:
        return quantile(self.latencies, 0.9) * 1000

    @property
    def median_rate(self) -> float:
        return statistics.median(self.batch_rates)

    @property
    def p10_rate(self) -> float:
        return quantile(self.batch_rates, 0.1)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_batch(call: Callable[[], None], n: int, sample: Sample | None) -> None:
    gc.collect()
    latencies = []
    started = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    if sample is not None:
        sample.latencies.extend(latencies)
        sample.batch_rates.append(n / elapsed)


def interleave(sides: dict[str, Callable[[], None]], *, rounds: int, batch: int, warmup: int) -> dict[str, Sample]:
    """Each side's `call` makes one request; returns a Sample per side."""
    names = list(sides)
    for name in names:
        run_batch(sides[name], warmup, None)
    samples = {name: Sample() for name in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            run_batch(sides[name], batch, samples[name])
    return samples
