"""Staff accounts from an XLSX (or CSV): 用户名, 姓名, 角色, 所在区划代码, 企业信用代码, 初始密码. All or nothing.

Keyed by username. A new username becomes an account with the initial password, which the user must change at
the first sign-in; a known one gets the row's name, role, home area and enterprise (its password is not the
file's to change: 初始密码 is read for new accounts only, and an admin resets a password one account at a time).
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.accounts import ROLE_NAMES_ZH, account_problems, role_code, username_problem
from app.domain.actors import Actor
from app.domain.enterprises import as_text, normalise_credit_code
from app.domain.passwords import password_problem
from app.models import Area, Enterprise, User
from app.services.accounts import create_user
from app.services.admin.audit import changed, record_many
from app.services.admin.tabular import Column, Problems, open_table, reject, report
from app.services.admin.users import ROLES, snapshot

COLUMNS = (
    Column("username", "用户名", ("账号", "登录名"), required=True),
    Column("display_name", "姓名", ("显示名称",)),
    Column("role", "角色", ("用户角色",), required=True),
    Column("area", "所在区划代码", ("区划代码",)),
    Column("credit_code", "企业信用代码", ("统一社会信用代码", "企业统一社会信用代码")),
    Column("password", "初始密码", ("密码",)),
)


def import_users(
    session: Session, actor: Actor | None, data: bytes, *, now: datetime, dry_run: bool, hash_method: str = "scrypt"
) -> dict:
    problems = Problems()
    table = open_table(data, COLUMNS, problems)
    head = table.headers
    rows, seen = [], {}
    for number, raw in table:
        row = {key: as_text(raw.get(key)) for key in ("username", "display_name", "area", "password")}
        row["row"], row["role"] = number, role_code(as_text(raw.get("role")))
        row["credit_code"] = normalise_credit_code(raw.get("credit_code"))
        if (problem := username_problem(row["username"])) is not None:
            problems.add(number, head["username"], problem)
        elif row["username"] in seen:
            problems.add(number, head["username"], f"The same username as row {seen[row['username']]}.")
        else:
            seen[row["username"]] = number
        if row["role"] is None:
            problems.add(number, head["role"], f"One of {', '.join(ROLES)} (or {'/'.join(ROLE_NAMES_ZH.values())}).")
        if len(row["display_name"]) > 100:
            problems.add(number, head["display_name"], "At most 100 characters.")
        rows.append(row)
    areas = _by(session, Area, Area.code, {r["area"] for r in rows if r["area"]})
    enterprises = _by(session, Enterprise, Enterprise.credit_code, {r["credit_code"] for r in rows if r["credit_code"]})
    known = _by(session, User, User.username, {r["username"] for r in rows})
    for row in rows:
        _judge(row, areas, enterprises, known.get(row["username"]), actor, problems, head)
    if problems:
        reject(problems, rows=table.data_rows, dry_run=dry_run)
    new = [r for r in rows if r["username"] not in known]
    changes = [(r, known[r["username"]]) for r in rows if r["username"] in known]
    changes = [(r, u) for r, u in changes if _differs(r, u, areas, enterprises)]
    if not dry_run:
        _write(session, actor, new, changes, areas, enterprises, now, hash_method)
    return report(rows=table.data_rows, created=len(new), updated=len(changes),
                  unchanged=len(rows) - len(new) - len(changes), dry_run=dry_run)  # fmt: skip


def _by(session: Session, model, column, keys: set[str]) -> dict:
    keys, found = sorted(keys), {}
    for i in range(0, len(keys), 500):
        rows = session.scalars(select(model).where(column.in_(keys[i : i + 500])))
        found.update({getattr(row, column.key): row for row in rows})
    return found


def _judge(row, areas, enterprises, user, actor, problems: Problems, head) -> None:
    number = row["row"]
    area = areas.get(row["area"])
    if row["area"] and (area is None or not area.active):
        problems.add(number, head["area"], "No active area with this code.")
    enterprise = enterprises.get(row["credit_code"])
    if row["credit_code"] and (enterprise is None or not enterprise.active):
        problems.add(number, head["credit_code"], "No active enterprise with this credit code.")
    if row["role"] is None:
        return
    has_area = bool(row["area"]) or row["role"] == "enterprise_officer"  # an officer's is the enterprise's
    columns = {"area": head["area"], "enterprise_id": head["credit_code"]}
    needs = account_problems(row["role"], has_area=has_area, has_enterprise=bool(row["credit_code"]))
    for key, message in needs.items():
        problems.add(number, columns[key], message)
    if user is None:
        if (problem := password_problem(row["password"], row["username"])) is not None:
            problems.add(number, head["password"], problem)
    elif actor is not None and user.id == actor.id and row["role"] != user.role:
        problems.add(number, head["role"], "You cannot change your own role.")


def _target(row, areas, enterprises) -> dict:
    enterprise = enterprises.get(row["credit_code"])
    area = areas.get(row["area"]) or (enterprise.area if enterprise else None)
    return {"role": row["role"], "area": area, "enterprise": enterprise, "display_name": row["display_name"]}


def _differs(row, user: User, areas, enterprises) -> bool:
    t = _target(row, areas, enterprises)
    return (
        user.role != t["role"]
        or user.area_id != (t["area"].id if t["area"] else None)
        or user.enterprise_id != (t["enterprise"].id if t["enterprise"] else None)
        or (bool(t["display_name"]) and user.display_name != t["display_name"])
    )


def _write(session, actor, new, changes, areas, enterprises, now, hash_method) -> None:
    created = []
    for row in new:
        t = _target(row, areas, enterprises)
        user = create_user(session, username=row["username"], password=row["password"], role=row["role"], now=now,
                           area_code=t["area"].code if t["area"] else None,
                           credit_code=t["enterprise"].credit_code if t["enterprise"] else None,
                           display_name=row["display_name"], hash_method=hash_method)  # fmt: skip
        user.must_change_password, user.password_changed_at = True, now
        created.append(user)
    audit = []
    for row, user in changes:
        before, t = snapshot(user), _target(row, areas, enterprises)
        user.role, user.area, user.enterprise = t["role"], t["area"], t["enterprise"]
        user.area_id = t["area"].id if t["area"] else None
        user.enterprise_id = t["enterprise"].id if t["enterprise"] else None
        if t["display_name"]:
            user.display_name = t["display_name"]
        audit.append((user.username, *changed(before, snapshot(user))))
    session.flush()
    record_many(session, actor, "user", "import", [(u.username, None, snapshot(u)) for u in created], now=now)
    record_many(session, actor, "user", "import", audit, now=now)
