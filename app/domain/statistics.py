"""The arithmetic of the statistics (issue 13): what each count of /stats means, and 整改率.

The read side counts rows in SQL (read.stats); what a count is made of, how counts add up and how the rate is
rounded is decided here, once, for /stats, the dashboard and any report that shows the same figures.
"""

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from app.domain.terms import Level, State

# 未闭环: still to be fixed or signed off. Not terms.OPEN_STATES (the states an enterprise's order is open in):
# a finding waiting for review is still open in the statistics, as the bureaus count it.
UNFINISHED_STATES = (State.REPORTED, State.RECTIFYING, State.PENDING_REVIEW)
RATE_PLACES = Decimal("0.0001")

STATE_NAMES = {
    State.REPORTED: "待确认",
    State.RECTIFYING: "整改中",
    State.PENDING_REVIEW: "待验收",
    State.CLOSED: "已销号",
    State.VOIDED: "已撤销",
}
LEVEL_NAMES = {Level.GENERAL: "一般隐患", Level.MAJOR: "重大隐患"}


def rectified_rate(closed: int, found: int, voided: int) -> float | None:
    """整改率 = closed ÷ (found − voided): of the findings that count (a voided one was never a hazard to fix),
    the share closed (销号). None when nothing counts (the divisor is 0). Rounded half up (四舍五入) to 4
    places, as a ledger rounds, not to the nearest even as Python's round() does."""
    due = found - voided
    if due <= 0:
        return None
    return float((Decimal(closed) / Decimal(due)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP))


@dataclass
class Tally:
    """The counts of one row of the statistics (or their total). `found` is every finding the row selects."""

    found: int = 0
    reported: int = 0
    rectifying: int = 0
    pending_review: int = 0
    closed: int = 0
    voided: int = 0
    overdue: int = 0  # 逾期, by calendar.OVERDUE_STATE and the deadline (read.filters.overdue_clause)
    major: int = 0  # level major
    listed: int = 0  # 挂牌督办 now (an open listing)
    extension_pending: int = 0  # 延期申请 waiting for a decision

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def open(self) -> int:
        """未闭环: reported + rectifying + pending_review (= found − closed − voided)."""
        return self.reported + self.rectifying + self.pending_review

    @property
    def rate(self) -> float | None:
        return rectified_rate(self.closed, self.found, self.voided)

    def as_dict(self) -> dict:
        counts = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**counts, "open": self.open, "rectified_rate": self.rate}


COUNTS = tuple(f.name for f in fields(Tally))


def total(tallies) -> Tally:
    return sum(tallies, Tally())
