"""Helpers for the admin API tests: an admin and one user per other role, spreadsheets made in the test, and the
reference lists put back after a test that edits them (PostgreSQL keeps those tables between tests)."""

import csv
import io

import factories as f
from sqlalchemy import create_engine, func, select, text
from testbed import ON_POSTGRES, PG_URL, _truncate

from app.domain.credit_code import make_credit_code
from app.models import AdminChange
from app.services import reference_cache

OTHER_ROLES = ("inspector", "grid_worker", "enterprise_officer", "supervisor")
ENTERPRISE_HEADERS = [
    "企业名称", "统一社会信用代码", "所在区划代码", "行业", "地址", "经度", "纬度", "主要负责人", "联系电话",
]  # fmt: skip


class Admin:
    """A world (factories.World), an admin with a bearer token, and a token per other role."""

    def __init__(self, session):
        self.session = session
        self.world = f.World(session)
        self.admin = self.world.user("admin")
        self.headers = f.token_for(session, self.admin)
        self.role_headers = {role: f.token_for(session, self.world.user(role)) for role in OTHER_ROLES}
        session.commit()


def fresh(session):
    """End the test's own read transaction, so it sees what the requests committed since (SQLite's WAL keeps a
    reader on its snapshot), and forget the objects it loaded."""
    session.rollback()
    session.expire_all()
    return session


def audit_rows(session, **where) -> list[AdminChange]:
    fresh(session)
    query = select(AdminChange).order_by(AdminChange.id)
    for key, value in where.items():
        query = query.where(getattr(AdminChange, key) == value)
    return list(session.scalars(query))


def count(session, model) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(model))


def credit_code(n: int, division: str = "350206") -> str:
    """A valid credit code, different for every n."""
    body = f"{n:08d}".translate(str.maketrans("0123456789", "ABCDEFGHJK"))
    return make_credit_code(division, body)


def wrong_check(code: str) -> str:
    """The same code with a wrong 18th character."""
    return code[:17] + ("1" if code[17] != "1" else "2")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, url: str, headers: dict, data: bytes, name: str = "file.xlsx", **form):
    body = {"file": (io.BytesIO(data), name), **form}
    return client.post(url, data=body, headers=headers, content_type="multipart/form-data")


def reference_restored():
    """Put categories and criteria back as they were (a fixture's body: `yield from reference_restored()`): on
    PostgreSQL the tests share those two tables."""
    saved = _reference_rows() if ON_POSTGRES else {}
    yield
    reference_cache.forget()
    if not ON_POSTGRES:
        return
    _truncate(PG_URL)  # the findings that may cite an added criterion go first
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        for table, rows in saved.items():
            conn.execute(text(f"DELETE FROM {table} WHERE NOT (id = ANY(:ids))"), {"ids": [r["id"] for r in rows]})
            for row in rows:
                columns = ", ".join(f"{k} = :{k}" for k in row if k != "id")
                conn.execute(text(f"UPDATE {table} SET {columns} WHERE id = :id"), row)
    engine.dispose()


def _reference_rows() -> dict[str, list[dict]]:
    engine = create_engine(PG_URL)
    with engine.connect() as conn:
        saved = {t: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {t}"))] for t in REFERENCE}
    engine.dispose()
    return saved


REFERENCE = ("categories", "major_criteria")
