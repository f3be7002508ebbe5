"""bench/results.py: a figure measured in several runs is reported as their range and passes only if every run
does (issue 15: "the ranges of several runs, not the best one")."""

from bench.results import Result, merge_runs, table


def result(ratio: float, metric: str = "create", target: str = ">= 0.70", detail: str = "") -> Result:
    return Result("SQLite", metric, f"{ratio * 1000:.0f}/s", "1000/s", ratio, target, detail or f"run at {ratio}")


def test_the_median_run_is_shown_with_every_runs_ratio_kept():
    runs = [[result(0.74), result(1.0, "info", "")], [result(0.71), result(1.1, "info", "")], [result(0.78)]]
    merged = merge_runs(runs)
    create = merged[0]
    assert create.runs == (0.74, 0.71, 0.78)
    assert create.ratio == 0.74 and create.ours == "740/s"  # the median run's figures, not the best one's
    assert create.detail.startswith("3 runs, ratios 0.74, 0.71, 0.78") and create.detail.endswith("run at 0.74")
    assert create.ratio_cell == "0.71-0.78"
    assert merged[1].runs == (1.0, 1.1) and merged[1].passed is None  # an info row ran twice: kept, no verdict
    assert "0.71-0.78" in table(merged)


def test_a_range_passes_only_when_its_worst_run_does():
    low = merge_runs([[result(0.75)], [result(0.69)], [result(0.80)]])[0]
    assert low.ratio == 0.75 and low.passed is False and low.verdict == "MISS"
    high = merge_runs([[result(1.0, target="<= 1.10")], [result(1.12, target="<= 1.10")]])[0]
    assert high.passed is False
    assert merge_runs([[result(0.70)], [result(0.72)]])[0].passed is True


def test_one_run_is_reported_as_it_was():
    single = [result(0.72)]
    assert merge_runs([single]) == single
    assert single[0].ratio_cell == "0.72" and single[0].runs == ()
    assert merge_runs([]) == []
