"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-symbol alphabet (no I, O, S, V, Z); the eighteenth is the
GB 32100 check character over the first seventeen. Characters 9-17 are usually a GB 11714
organisation code with a check character of its own, but not for every registrant (sole
proprietors' 92... codes), so validation enforces only the GB 32100 check; generated demo
codes satisfy both.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_character(org8: str) -> str:
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(org8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid credit code, or None when it is."""
    if not isinstance(code, str) or len(code) != 18:
        return "must be 18 characters"
    if any(ch not in _VALUE for ch in code):
        return "contains a character outside the GB 32100 alphabet (I, O, S, V, Z are not used)"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the administrative division code"
    if code[17] != check_character(code[:17]):
        return "the check character (18th) is wrong"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def make_credit_code(division: str, org8: str, kind: str = "91") -> str:
    """Build a valid code from a 6-digit division code and an 8-character organisation body."""
    org9 = org8 + org_check_character(org8)
    first17 = kind + division + org9
    return first17 + check_character(first17)
