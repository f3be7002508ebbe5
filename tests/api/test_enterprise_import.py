"""The bulk enterprise import (issue 11, acceptance 2), from XLSX and CSV made here with openpyxl and csv:
a file with a wrong check character, an unknown area, a duplicate credit code, an empty required column and a
non-numeric longitude is refused whole (422, each (row, column) listed, nothing written); fixed, it creates N;
again, N unchanged; one row edited, 1 updated; a dry run writes nothing; the command line does the same."""

import pytest
from admin_support import (
    ENTERPRISE_HEADERS,
    Admin,
    audit_rows,
    count,
    credit_code,
    csv_bytes,
    fresh,
    upload,
    wrong_check,
    xlsx_bytes,
)
from sqlalchemy import select

from app.models import AdminChange, Enterprise


@pytest.fixture
def admin(session):
    return Admin(session)


URL = "/api/v1/enterprises/import"
N = 6
FORMATS = {"xlsx": xlsx_bytes, "csv": csv_bytes}


def good_rows(grid: str, n: int = N) -> list[list]:
    return [
        [f"厦门导入{i}号有限公司", credit_code(100 + i), grid, ("制造业", "危化", "gas", "餐饮")[i % 4],
         f"湖里区导入路{i}号", 118.1 + i / 100, 24.5 + i / 100, f"负责人{i}", f"1380000{i:04d}"]
        for i in range(n)
    ]  # fmt: skip


def broken_rows(grid: str) -> list[list]:
    """The good rows with a problem in five of them; the expected (row, column) of each, rows as Excel counts."""
    rows = good_rows(grid)
    rows[1][1] = wrong_check(rows[1][1])  # sheet row 3
    rows[2][2] = "350299999"  # row 4: no such area
    rows[3][1] = rows[0][1]  # row 5: the credit code of row 2
    rows[4][0] = ""  # row 6: 企业名称 is required
    rows[5][5] = "东经118度"  # row 7: 经度 is not a number
    return rows


EXPECTED = {(3, "统一社会信用代码"), (4, "所在区划代码"), (5, "统一社会信用代码"), (6, "企业名称"), (7, "经度")}


def _send(client, admin, rows, fmt, **form):
    data = FORMATS[fmt]([ENTERPRISE_HEADERS, *rows])
    return upload(client, URL, admin.headers, data, name=f"enterprises.{fmt}", **form)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_with_problems_is_refused_whole_and_listed_row_by_row(client, session, admin, fmt):
    before = count(session, Enterprise)
    refused = _send(client, admin, broken_rows(admin.world.grid.code), fmt)
    assert refused.status_code == 422, refused.json
    body = refused.json
    assert body["error"]["code"] == "validation_error" and "nothing was imported" in body["error"]["message"]
    assert {(e["row"], e["column"]) for e in body["errors"]} == EXPECTED
    assert body["error_count"] == len(EXPECTED) and body["rows"] == N
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, 0)
    by_row = {e["row"]: e["message"] for e in body["errors"]}
    assert "check character" in by_row[3] and "row 2" in by_row[5] and "Required" in by_row[6]
    assert "Not a number" in by_row[7] and "No area" in by_row[4]
    assert count(session, Enterprise) == before and audit_rows(session) == []
    dry = _send(client, admin, broken_rows(admin.world.grid.code), fmt, dry_run="true")
    assert dry.status_code == 422 and {(e["row"], e["column"]) for e in dry.json["errors"]} == EXPECTED


def test_a_row_refused_for_one_cell_still_has_its_area_checked(client, session, admin):
    """Every problem of a row at once: an unknown area is listed beside a bad longitude in the same row."""
    before = count(session, Enterprise)
    rows = good_rows(admin.world.grid.code, 2)
    rows[1][2], rows[1][5] = "350299999", "abc"  # sheet row 3
    refused = _send(client, admin, rows, "csv")
    assert refused.status_code == 422, refused.json
    assert {(e["row"], e["column"]) for e in refused.json["errors"]} == {(3, "所在区划代码"), (3, "经度")}
    assert count(session, Enterprise) == before and audit_rows(session) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixed_it_creates_then_is_unchanged_then_updates_one(client, session, admin, fmt):
    grid = admin.world.grid.code
    before = count(session, Enterprise)
    dry = _send(client, admin, good_rows(grid), fmt, dry_run="true")
    assert dry.status_code == 200, dry.json
    assert (dry.json["created"], dry.json["dry_run"]) == (N, True)
    assert count(session, Enterprise) == before and audit_rows(session) == []

    created = _send(client, admin, good_rows(grid), fmt)
    assert created.status_code == 200, created.json
    assert {k: created.json[k] for k in ("rows", "created", "updated", "unchanged", "errors", "dry_run")} == {
        "rows": N, "created": N, "updated": 0, "unchanged": 0, "errors": [], "dry_run": False,
    }  # fmt: skip
    assert count(session, Enterprise) == before + N
    first = fresh(session).scalars(select(Enterprise).where(Enterprise.credit_code == credit_code(100))).one()
    assert (first.name, first.sector, first.area_id, first.area_path) == (
        "厦门导入0号有限公司", "manufacturing", admin.world.grid.id, admin.world.grid.path,
    )  # fmt: skip
    assert (first.lng, first.lat, first.contact_name, first.contact_phone) == (118.1, 24.5, "负责人0", "13800000000")
    sector = select(Enterprise.sector).where(Enterprise.credit_code == credit_code(101))
    assert fresh(session).scalars(sector).one() == "chemical"
    assert len(audit_rows(session, entity="enterprise", action="import")) == N

    again = _send(client, admin, good_rows(grid), fmt)
    assert (again.json["created"], again.json["updated"], again.json["unchanged"]) == (0, 0, N)
    assert len(audit_rows(session, entity="enterprise")) == N

    edited = good_rows(grid)
    edited[2][8] = "0592-5550000"
    edited[2][2] = admin.world.street.code
    dry_edit = _send(client, admin, edited, fmt, dry_run="1")
    assert (dry_edit.json["updated"], dry_edit.json["unchanged"]) == (1, N - 1)
    changed = _send(client, admin, edited, fmt)
    assert (changed.json["created"], changed.json["updated"], changed.json["unchanged"]) == (0, 1, N - 1)
    row = fresh(session).scalars(select(Enterprise).where(Enterprise.credit_code == credit_code(102))).one()
    assert (row.contact_phone, row.area_id, row.area_path) == ("0592-5550000", admin.world.street.id,
                                                               admin.world.street.path)  # fmt: skip
    [update] = audit_rows(session, entity="enterprise", entity_key=credit_code(102), action="import")[1:]
    assert update.before == {"contact_phone": "13800000002", "area": admin.world.grid.code}
    assert update.after == {"contact_phone": "0592-5550000", "area": admin.world.street.code}
    assert update.actor_id == admin.admin.id


def test_csv_in_gb18030_and_without_bom(client, session, admin):
    rows = [ENTERPRISE_HEADERS, *good_rows(admin.world.grid.code, 3)]
    for encoding in ("gb18030", "utf-8"):
        data = csv_bytes(rows, encoding=encoding)
        response = upload(client, URL, admin.headers, data, name="ledger.csv", dry_run="true")
        assert response.status_code == 200, (encoding, response.json)
        assert response.json["created"] == 3


def test_a_file_that_is_not_a_table_says_so(client, session, admin):
    for data, words in ((b"\xff\xfe\x00\x00garbage\x00", "UTF-8"), (b"PK\x03\x04broken", ".xlsx"),
                        (xlsx_bytes([["名称", "地址"], ["x", "y"]]), "Missing column")):  # fmt: skip
        refused = upload(client, URL, admin.headers, data)
        assert refused.status_code == 422, refused.json
        assert words in str(refused.json["errors"]), refused.json
    no_file = client.post(URL, data={}, headers=admin.headers, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "file" in no_file.json["error"]["fields"]
    bad_flag = upload(client, URL, admin.headers, csv_bytes([ENTERPRISE_HEADERS]), dry_run="maybe")
    assert bad_flag.status_code == 422 and "dry_run" in bad_flag.json["error"]["fields"]


def test_a_missing_optional_column_leaves_the_field_alone(client, session, admin):
    grid = admin.world.grid.code
    assert _send(client, admin, good_rows(grid, 2), "xlsx").json["created"] == 2
    short = [[r[0] + "（新）", r[1], r[2], r[3]] for r in good_rows(grid, 2)]
    response = upload(client, URL, admin.headers, xlsx_bytes([ENTERPRISE_HEADERS[:4], *short]))
    assert response.json["updated"] == 2, response.json
    row = fresh(session).scalars(select(Enterprise).where(Enterprise.credit_code == credit_code(100))).one()
    assert row.name == "厦门导入0号有限公司（新）" and row.contact_phone == "13800000000" and row.lng == 118.1


def test_the_command_line_imports_with_the_same_rules(app, session, admin, tmp_path):
    runner = app.test_cli_runner()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(xlsx_bytes([ENTERPRISE_HEADERS, *broken_rows(admin.world.grid.code)]))
    refused = runner.invoke(args=["enterprises", "import", str(broken)])
    assert refused.exit_code == 1
    assert "row 3, 统一社会信用代码" in refused.output and "row 7, 经度" in refused.output
    assert count(session, Enterprise) == 3
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([ENTERPRISE_HEADERS, *good_rows(admin.world.grid.code)]))
    dry = runner.invoke(args=["enterprises", "import", str(good), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{N} created" in dry.output and "nothing was written" in dry.output and count(session, Enterprise) == 3
    done = runner.invoke(args=["enterprises", "import", str(good)])
    assert done.exit_code == 0 and f"{N} rows: {N} created, 0 updated, 0 unchanged" in done.output
    assert count(session, Enterprise) == 3 + N
    rows = audit_rows(session, entity="enterprise")
    assert len(rows) == N and {r.actor_id for r in rows} == {None} and session.scalar(select(AdminChange.id)) > 0
    again = runner.invoke(args=["enterprises", "import", str(good)])
    assert f"0 created, 0 updated, {N} unchanged" in again.output
