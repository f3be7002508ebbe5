"""The sample files in docs/samples import cleanly into the demo's area tree, and say what the script that
writes them says (scripts/make_import_samples.py)."""

import importlib.util
from pathlib import Path

import factories as f
from admin_support import fresh, upload

from app.demo.xiamen import AREAS
from app.models import Area, Enterprise, User

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "samples"


def _script():
    spec = importlib.util.spec_from_file_location("make_import_samples", ROOT / "scripts" / "make_import_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _demo_tree(session) -> None:
    made = {}
    for code, name, level, parent in AREAS:
        made[code] = f.area(session, code, level, made.get(parent), name=name)


def test_the_samples_import_into_the_demo_tree(client, session):
    _demo_tree(session)
    admin = f.user(session, "admin", area=None)
    headers = f.token_for(session, admin)
    session.commit()
    done = upload(client, "/api/v1/enterprises/import", headers, (SAMPLES / "enterprises-sample.xlsx").read_bytes())
    assert done.status_code == 200, done.json
    assert (done.json["created"], done.json["rows"]) == (20, 20)
    same = upload(client, "/api/v1/enterprises/import", headers, (SAMPLES / "enterprises-sample.csv").read_bytes(),
                  name="enterprises-sample.csv")  # fmt: skip
    assert (same.json["unchanged"], same.json["created"], same.json["updated"]) == (20, 0, 0)
    staff = upload(client, "/api/v1/users/import", headers, (SAMPLES / "users-sample.xlsx").read_bytes())
    assert staff.status_code == 200 and staff.json["created"] == 4, staff.json
    tree = upload(client, "/api/v1/areas/import", headers, (SAMPLES / "areas-sample.csv").read_bytes(),
                  name="areas-sample.csv")  # fmt: skip
    assert tree.status_code == 200 and tree.json["created"] == 4, tree.json
    session = fresh(session)
    assert session.query(Enterprise).count() == 20 and session.query(User).filter(User.role != "system").count() == 5
    assert session.query(Area).filter(Area.code.like("350206004%")).count() == 4
    sectors = {e.sector for e in session.query(Enterprise)}
    assert {"chemical", "fireworks", "fire_key_unit", "road_transport", "industry_trade"} <= sectors


def test_the_samples_are_what_the_script_writes(tmp_path):
    from openpyxl import load_workbook

    script = _script()
    rows = script.enterprise_rows()
    csv_text = (SAMPLES / "enterprises-sample.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_text[0].split(",") == script.ENTERPRISE_HEADERS and len(csv_text) == len(rows) + 1
    sheet = load_workbook(SAMPLES / "enterprises-sample.xlsx", read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values == [script.ENTERPRISE_HEADERS, *rows]
