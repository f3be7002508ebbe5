"""The file's name, 隐患台账_<scope>_<YYYYMMDD>.<ext>, and the Content-Disposition that carries it: RFC 6266 with
RFC 5987's filename* (UTF-8, percent-encoded) for the Chinese name and an ASCII filename for old clients."""

import re
from datetime import date
from urllib.parse import quote

TITLE = "隐患台账"
# what no file system or header should get from an area's or an enterprise's name
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f;]+')
ATTR_CHARS = "!#$&+-.^_`|~"  # RFC 5987 attr-char besides letters and digits: left as they are
MAX_SCOPE = 60


def ledger_filename(scope_name: str, scope_tag: str, today: date, extension: str) -> tuple[str, str]:
    """(the name, its ASCII fallback): 隐患台账_湖里区_20261201.xlsx and ledger_350206_20261201.xlsx."""
    day = today.strftime("%Y%m%d")
    scope = UNSAFE.sub("_", scope_name).strip(" ._")[:MAX_SCOPE] or "全部"
    tag = re.sub(r"[^A-Za-z0-9-]+", "_", scope_tag).strip("_")[:MAX_SCOPE] or "all"
    return f"{TITLE}_{scope}_{day}.{extension}", f"ledger_{tag}_{day}.{extension}"


def content_disposition(name: str, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"
