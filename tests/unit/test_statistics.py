"""The statistics' arithmetic (app/domain/statistics.py): 整改率 and how the counts add up."""

import pytest

from app.domain.statistics import COUNTS, Tally, rectified_rate, total


@pytest.mark.parametrize(
    "closed,found,voided,rate",
    [
        (6, 10, 2, 0.75),  # voided findings are no hazard to fix: 6 of 8
        (0, 5, 0, 0.0),
        (3, 3, 0, 1.0),
        (2, 3, 0, 0.6667),
        (1, 3, 0, 0.3333),
        (1, 32, 0, 0.0313),  # 0.03125 rounds half up, as a ledger rounds (round() would give 0.0312)
        (1, 7, 0, 0.1429),
        (0, 0, 0, None),  # nothing found: no rate, not 0 %
        (0, 4, 4, None),  # everything voided: the divisor is 0
    ],
)
def test_rectified_rate_is_closed_over_found_less_voided(closed, found, voided, rate):
    assert rectified_rate(closed, found, voided) == rate


def test_a_tally_says_what_is_open_and_adds_up_field_by_field():
    a = Tally(found=7, reported=1, rectifying=2, pending_review=1, closed=2, voided=1, overdue=1, major=2, listed=1)
    b = Tally(found=3, rectifying=1, closed=1, voided=1, extension_pending=1)
    assert a.open == 4 and a.open == a.found - a.closed - a.voided
    both = total([a, b])
    assert both == a + b
    assert both.as_dict() == {
        "found": 10, "reported": 1, "rectifying": 3, "pending_review": 1, "closed": 3, "voided": 2, "overdue": 1,
        "major": 2, "listed": 1, "extension_pending": 1, "open": 5, "rectified_rate": 0.375,
    }  # fmt: skip
    assert total([]) == Tally() and Tally().as_dict()["rectified_rate"] is None
    assert set(COUNTS) | {"open", "rectified_rate"} == set(both.as_dict())
