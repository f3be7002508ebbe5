"""Unified social credit codes, GB 32100-2015."""

import pytest

from app.domain.credit_code import credit_code_problem, is_valid_credit_code, make_credit_code

# Published codes of Xiamen companies: the algorithm must accept real ones.
REAL = ["91350200MA33GULG91", "91350200MA2Y2YLQ19", "91350200072829926E", "91350200MA31JMWX0Y", "91350200761740855U"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    "code,problem",
    [
        ("91350200MA33GULG9", "18 characters"),
        ("91350200MA33GULG9I", "alphabet"),  # I is never used
        ("91350200MA33GULG92", "check character (18th)"),
        ("91ABCDEFMA33GULG91", "administrative division"),
        ("", "18 characters"),
    ],
)
def test_bad_codes_say_why(code, problem):
    assert problem in credit_code_problem(code)


def test_every_single_character_change_is_caught():
    """31 is prime and no weight is a multiple of it, so any one substitution changes the check."""
    code = REAL[0]
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in range(17):
        for ch in alphabet:
            if ch != code[i]:
                changed = code[:i] + ch + code[i + 1 :]
                assert not is_valid_credit_code(changed)


def test_generated_codes_validate():
    assert is_valid_credit_code(make_credit_code("350206", "MA2XK4L7"))
