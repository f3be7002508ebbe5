"""One measured figure beside its floor, and the table they print as."""

from dataclasses import dataclass, replace


@dataclass
class Result:
    backend: str  # "SQLite" / "PostgreSQL"
    metric: str
    ours: str
    floor: str
    ratio: float
    target: str  # ">= 0.70" or "<= 1.20"
    detail: str = ""  # p90s, counts: printed under the table
    runs: tuple[float, ...] = ()  # every run's ratio when the benchmark ran more than once (see merge_runs)

    @property
    def passed(self) -> bool | None:
        """Against the target; a repeated figure passes only if its worst run does (a range, not the best)."""
        if not self.target:
            return None
        op, bound = self.target.split()
        ratios = self.runs or (self.ratio,)
        return min(ratios) >= float(bound) if op == ">=" else max(ratios) <= float(bound)

    @property
    def ratio_cell(self) -> str:
        if len(self.runs) < 2:
            return f"{self.ratio:.2f}"
        return f"{min(self.runs):.2f}-{max(self.runs):.2f}"

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "MISS", None: "(info)"}[self.passed]


HEADER = ["backend", "metric", "ours", "floor", "ratio", "target", "pass/fail"]


def table(results: list[Result]) -> str:
    """A Markdown table, readable as plain text too."""
    rows = [HEADER] + [
        [r.backend, r.metric, r.ours, r.floor, r.ratio_cell, r.target or "-", r.verdict] for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out)


def details(results: list[Result]) -> str:
    return "\n".join(f"- {r.backend}, {r.metric}: {r.detail}" for r in results if r.detail)


def merge_runs(runs: list[list[Result]]) -> list[Result]:
    """One row per figure of a benchmark run several times: the median run's figures and detail, its ratio the
    median, every run's ratio kept (the table shows their range; `passed` holds the worst to the target)."""
    if len(runs) < 2:
        return runs[0] if runs else []
    groups: dict[tuple[str, str], list[Result]] = {}
    for run in runs:
        for result in run:
            groups.setdefault((result.backend, result.metric), []).append(result)
    merged = []
    for same in groups.values():
        by_ratio = sorted(same, key=lambda r: r.ratio)
        middle = by_ratio[(len(by_ratio) - 1) // 2]
        ratios = tuple(r.ratio for r in same)
        listed = ", ".join(f"{ratio:.2f}" for ratio in ratios)
        detail = f"{len(same)} runs, ratios {listed} (the row shows the median run; its worst counts); {middle.detail}"
        merged.append(replace(middle, runs=ratios, detail=detail))
    return merged
