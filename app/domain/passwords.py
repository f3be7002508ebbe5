"""What makes a password acceptable: long enough, not the username, not one of the first guesses.

The list is the short one an attacker tries first (the common lists' leaders plus what Chinese users pick);
a rate limit on login covers the rest.
"""

MIN_LENGTH = 10
COMMON = frozenset(
    {
        "1234567890", "0123456789", "12345678910", "1234567890a", "123456789a", "a123456789", "1qaz2wsx3edc",
        "qwertyuiop", "qwerty1234", "1q2w3e4r5t", "password12", "password123", "password1234", "passw0rd12",
        "iloveyou12", "woaini1314", "5201314520", "1314520520", "abc1234567", "abcd123456", "aa12345678",
        "admin12345", "admin123456", "administrator", "closeloop1", "closeloop123", "changeme123", "welcome123",
        "letmein123", "qazwsxedcr", "asdfghjkl1", "zxcvbnm123", "1111111111", "0000000000", "8888888888",
        "6666666666", "1234512345", "1234554321", "9876543210", "p@ssw0rd12", "p@ssword123", "anquan12345",
        "yinhuan1234",
    }
)  # fmt: skip


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` will not do, in a sentence for the person choosing it; None when it will."""
    if len(password) < MIN_LENGTH:
        return f"At least {MIN_LENGTH} characters."
    lowered = password.lower()
    if username and username.lower() in lowered:
        return "Must not contain the username."
    if lowered in COMMON or len(set(lowered)) <= 2:
        return "Too common: choose one that is not on the lists attackers try first."
    return None
