"""CPU seconds from /proc, for the benchmarks that say where a request's CPU went (uploads, the province's load):
a process's own utime + stime (and its reaped children's), its live children, the machine's busy time, and the
local PostgreSQL server's postmaster."""

import os
from pathlib import Path

from sqlalchemy import create_engine, text

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces); None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return raw[raw.rindex(")") + 2 :].split()


def cpu_s(pid: int, *, reaped: bool = False) -> float:
    """utime + stime of a live process (+ its waited-for children's when `reaped`), 0 once it is gone."""
    fields = stat_fields(pid)
    if fields is None:
        return 0.0
    return sum(int(f) for f in fields[11 : 15 if reaped else 13]) / TICK  # utime stime [cutime cstime]


def children(pid: int) -> list[int]:
    kids = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(c) for c in (task / "children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by `pid`, its reaped children and its live descendants."""
    if stat_fields(pid) is None:
        return 0.0
    return cpu_s(pid, reaped=True) + sum(tree_cpu(child) for child in children(pid))


def machine_busy_s() -> float:
    """CPU seconds every process on the machine has used since boot (user, nice, system, irq, softirq, steal)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def postmaster_pid(url: str) -> int | None:
    """The postmaster of the PostgreSQL server behind `url` (a backend's parent), if it runs on this machine;
    None on SQLite or a remote server."""
    if not url.startswith("postgresql"):
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            fields = stat_fields(conn.scalar(text("SELECT pg_backend_pid()")))
            return int(fields[1]) if fields else None  # field 4 of stat, the parent's pid
    except (OSError, ValueError):
        return None
    finally:
        engine.dispose()
