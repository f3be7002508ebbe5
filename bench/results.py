"""One measured figure beside its floor, and the table they print as."""

from dataclasses import dataclass


@dataclass
class Result:
    backend: str  # "SQLite" / "PostgreSQL"
    metric: str
    ours: str
    floor: str
    ratio: float
    target: str  # ">= 0.70" or "<= 1.20"
    detail: str = ""  # p90s, counts: printed under the table

    @property
    def passed(self) -> bool | None:
        if not self.target:
            return None
        op, bound = self.target.split()
        return self.ratio >= float(bound) if op == ">=" else self.ratio <= float(bound)

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "MISS", None: "(info)"}[self.passed]


HEADER = ["backend", "metric", "ours", "floor", "ratio", "target", "pass/fail"]


def table(results: list[Result]) -> str:
    """A Markdown table, readable as plain text too."""
    rows = [HEADER] + [
        [r.backend, r.metric, r.ours, r.floor, f"{r.ratio:.2f}", r.target or "-", r.verdict] for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out)


def details(results: list[Result]) -> str:
    return "\n".join(f"- {r.backend}, {r.metric}: {r.detail}" for r in results if r.detail)
