"""The password rule: long enough, not the username, not a first guess."""

import pytest

from app.domain.passwords import password_problem


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        ("short1", "wang", "At least 10 characters."),
        ("wang-secure-2026", "wang", "Must not contain the username."),
        ("WANGxyz12345", "wang", "Must not contain the username."),
        ("1234567890", "", "Too common"),
        ("Password123", "", "Too common"),
        ("aaaaaaaaaaaa", "", "Too common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, username, problem):
    assert password_problem(password, username).startswith(problem)


def test_a_good_password_passes():
    assert password_problem("correct horse battery", "wang") is None
    assert password_problem("港口-巡查-2026-春", "li") is None
