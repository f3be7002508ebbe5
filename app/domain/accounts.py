"""What an account must be: a username people can type, a role, a home area for all but an admin, and an
enterprise for an enterprise officer (and only for one)."""

import re

from app.domain.terms import PERSON_ROLES, Role

ROLE_NAMES_ZH: dict[str, str] = {
    Role.INSPECTOR.value: "检查员",
    Role.GRID_WORKER.value: "网格员",
    Role.ENTERPRISE_OFFICER.value: "企业安全员",
    Role.SUPERVISOR.value: "审核人",
    Role.ADMIN.value: "管理员",
}
_ROLE_WORDS = {
    **{r.value: r.value for r in PERSON_ROLES},
    **{zh: code for code, zh in ROLE_NAMES_ZH.items()},
    "执法检查员": "inspector", "执法人员": "inspector", "安全员": "enterprise_officer", "审核员": "supervisor",
    "系统管理员": "admin",
}  # fmt: skip
RESERVED_USERNAMES = frozenset({"system"})  # the jobs' actor (migration 0006)
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,49}$")


def role_code(value: str) -> str | None:
    """The role a word names: its code (inspector) or its Chinese name (检查员)."""
    word = value.strip() if isinstance(value, str) else ""
    return _ROLE_WORDS.get(word) or _ROLE_WORDS.get(word.lower())


def username_problem(username: str) -> str | None:
    if not _USERNAME.match(username or ""):
        return "2 to 50 letters, digits, '.', '_', '-' or '@', starting with a letter or digit."
    if username.lower() in RESERVED_USERNAMES:
        return "This username is reserved."
    return None


def account_problems(role: str, *, has_area: bool, has_enterprise: bool) -> dict[str, str]:
    """Keyed area / enterprise_id: what the role asks of the account that it lacks or must not have."""
    problems = {}
    if role != Role.ADMIN.value and not has_area:
        problems["area"] = "Every user except an admin has a home area."
    if role == Role.ENTERPRISE_OFFICER.value and not has_enterprise:
        problems["enterprise_id"] = "An enterprise officer belongs to one enterprise."
    if role != Role.ENTERPRISE_OFFICER.value and has_enterprise:
        problems["enterprise_id"] = "Only an enterprise officer belongs to an enterprise."
    return problems
