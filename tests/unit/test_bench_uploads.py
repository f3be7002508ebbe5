"""bench/uploads.py's CPU readings: a stretch is one reading minus another, slices add up (bench.uploads.sliced)."""

import pytest

from bench.uploads import Cpu


def test_a_stretch_is_the_difference_of_two_readings_and_slices_add_up():
    start = Cpu(workers=1.0, database=0.5, client=0.25, machine=2.0, per_worker=(0.6, 0.4))
    middle = Cpu(workers=3.0, database=0.75, client=0.5, machine=5.0, per_worker=(1.8, 1.2))
    end = Cpu(workers=4.0, database=1.0, client=1.0, machine=7.0, per_worker=(2.5, 1.5))
    first, second = middle - start, end - middle
    first.elapsed, second.elapsed = 1.5, 0.5
    both = first + second
    assert (both.workers, both.database, both.client, both.machine) == (3.0, 0.5, 0.75, 5.0)
    assert both.per_worker == pytest.approx((1.9, 1.1)) and both.elapsed == 2.0
    assert both.split == "63 % / 37 %"
    assert (Cpu(1.0, None, 0.0, 1.0) + Cpu(2.0, None, 0.0, 2.0)).database is None  # SQLite: no server to read
