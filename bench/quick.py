"""`python -m bench --quick`: every benchmark's ratio on a small world, to see in a few minutes that none is broken
or far off (the figures for docs/benchmarks.md come from the full run, never from this one).

The shared world gets 10,000 findings instead of 1,000,000, and every benchmark runs fewer rounds and smaller
batches. The benchmarks that build worlds or files of a fixed size of their own take a small variant of them,
named here rather than in each module: the same code measures the same things, on less. Each override names a
module attribute that must exist (tests/unit/test_bench_imports.py checks it, so a rename here or there fails
loudly instead of quietly measuring the full size).
"""

from contextlib import contextmanager

from bench import deadlines, exports, imports, photos, pwa, stats, uploads

ROWS = 10_000
ROUNDS = 3
CREATE_ROUNDS = 30
CREATE_BATCH = 10
LIST_BATCH = 10
REPEATS = 1  # the create and uploads once: a range is for the full run

# module -> {attribute: small value}. Budgets scale with the work they bound, so each ratio keeps its meaning.
OVERRIDES = {
    # the 台账 at 1,000 and 10,000 rows (the list's text filter on the bulk numbers picks exactly them), one round
    exports: {"SIZES": {1_000: "YH-BULK-0000", 10_000: "YH-BULK-000"}, "ROUNDS": 1},
    # a 5,000-row register: a tenth of the rows, a tenth of the 60 s budget
    imports: {"ROWS": 5_000, "BUDGET_S": 6.0, "ROUNDS": 1},
    # the deadline job and /stats build their own worlds of --rows findings (10,000 here): fewer rounds
    deadlines: {"ROUNDS": 2, "FLOOR_REPEATS": 2},
    stats: {"ROUNDS": 3},
    photos: {"MEMORY_RUNS": 1},
    uploads: {"PHONE_UPLOADS": 48, "ORIGINAL_UPLOADS": 8, "SLICES": 1},
    pwa: {"RUNS": 1},  # one Lighthouse run per page
}


def apply(args, parser) -> None:
    """Shrink the run's arguments to the quick world; any of them given on the command line still wins."""
    if args.write_docs:
        parser.error("--quick measures small variants: its figures never go in docs/benchmarks.md (--write-docs)")
    smalls = (("rows", ROWS), ("rounds", ROUNDS), ("create_rounds", CREATE_ROUNDS), ("create_batch", CREATE_BATCH),
              ("list_batch", LIST_BATCH), ("repeats", REPEATS))
    for name, small in smalls:
        if getattr(args, name) == parser.get_default(name):
            setattr(args, name, small)


@contextmanager
def small_variants():
    """The overrides above for the length of the run, the full values put back afterwards."""
    saved = []
    try:
        for module, values in OVERRIDES.items():
            for name, value in values.items():
                saved.append((module, name, getattr(module, name)))  # AttributeError: an override gone stale
                setattr(module, name, value)
        yield
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)
