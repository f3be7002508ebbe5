"""Migration 0009 (issue 14): the inspection tables and findings' two links, added in place and taken away again.

The old world of tests/integration/test_migrations.py (findings with events, plans, requests and photos pointing at
them) is built at 0002, brought to 0008, and must come through 0009 and back unchanged.
"""

import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from test_migrations import AT, IDS, INSPECTOR, SUPERVISOR, _counts, _old_world, empty_database_url  # noqa: F401
from testbed import FAST_SETTINGS, ON_POSTGRES

from app import create_app
from app.extensions import db

NEW_TABLES = {"checklists", "checklist_versions", "checklist_items", "campaigns", "campaign_areas",
              "campaign_checklists", "campaign_targets", "inspections", "inspection_inspectors",
              "inspection_results", "inspection_notes"}  # fmt: skip
CHECKLIST, ITEM, INSPECTION = (uuid.uuid5(uuid.NAMESPACE_URL, n) for n in ("checklist", "item", "inspection"))


def _key(value: uuid.UUID):
    return value if ON_POSTGRES else value.hex  # a text() bind: SQLite keeps a Uuid as hex


def _an_inspection(conn) -> None:
    """A checklist of one item, an inspection that failed it, and the planned finding linked to both."""
    fire = conn.execute(sa.text("SELECT id FROM categories WHERE code = 'fire'")).scalar_one()
    conn.execute(
        sa.text(
            "INSERT INTO checklists (id, current_version, created_by_id, created_at, updated_at)"
            " VALUES (:id, 1, :by, :at, :at)"
        ),
        {"id": _key(CHECKLIST), "by": SUPERVISOR, "at": AT},
    )
    conn.execute(
        sa.text(
            "INSERT INTO checklist_versions (checklist_id, version, name, sectors, request_hash,"
            " created_by_id, created_at) VALUES (:id, 1, '消防安全', '[]', 'h', :by, :at)"
        ),
        {"id": _key(CHECKLIST), "by": SUPERVISOR, "at": AT},
    )
    version = conn.execute(sa.text("SELECT id FROM checklist_versions")).scalar_one()
    conn.execute(
        sa.text(
            "INSERT INTO checklist_items (version_id, item_id, position, content, basis, method,"
            " category_id) VALUES (:v, :item, 1, '疏散通道畅通', 'GB 55036-2022 第7.1.2条', 'site', :c)"
        ),
        {"v": version, "item": _key(ITEM), "c": fire},
    )
    item = conn.execute(sa.text("SELECT id FROM checklist_items")).scalar_one()
    conn.execute(
        sa.text(
            "INSERT INTO inspections (id, request_hash, enterprise_id, area_path, checklist_version_id,"
            " inspected_on, enforcement, status, submitted_by_id, submitted_at) VALUES (:id, 'h', 1,"
            " '/350200/350206/', :v, '2026-11-20', false, 'submitted', :by, :at)"
        ),
        {"id": _key(INSPECTION), "v": version, "by": INSPECTOR, "at": AT},
    )
    conn.execute(
        sa.text(
            "INSERT INTO inspection_results (inspection_id, item_id, position, result, note, finding_id)"
            " VALUES (:i, :item, 1, 'fail', '', :f)"
        ),
        {"i": _key(INSPECTION), "item": item, "f": _key(IDS["planned"])},
    )
    conn.execute(sa.text("UPDATE findings SET inspection_id = :i, checklist_item_id = :item WHERE id = :f"),
                 {"i": _key(INSPECTION), "item": item, "f": _key(IDS["planned"])})  # fmt: skip


def _refused(conn, statement: str) -> bool:
    savepoint = conn.begin_nested()
    try:
        conn.execute(sa.text(statement))
    except sa.exc.DatabaseError:
        savepoint.rollback()
        return True
    savepoint.rollback()
    return False


def test_0009_adds_the_inspection_tables_in_place_and_takes_them_away_again(empty_database_url):  # noqa: F811
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            _old_world(conn)
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            before = _counts(conn)
        upgrade(revision="0009")
        assert set(inspect(db.engine).get_table_names()) >= NEW_TABLES
        with db.engine.begin() as conn:
            assert _counts(conn) == before  # nothing copied, nothing lost
            linked = sa.text("SELECT count(*) FROM findings WHERE inspection_id IS NOT NULL")
            assert conn.execute(linked).scalar() == 0
            _an_inspection(conn)
            assert conn.execute(linked).scalar() == 1
            if not ON_POSTGRES:
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        with db.engine.begin() as conn:  # the answers stand: the database refuses to change or remove them
            assert _refused(conn, "UPDATE inspection_results SET result = 'pass'")
            assert _refused(conn, "DELETE FROM inspection_results")
            assert _refused(conn, "UPDATE findings SET inspection_id = '" + str(uuid.uuid4()) + "'")  # a reference
        downgrade(revision="0008")
        tables = set(inspect(db.engine).get_table_names())
        assert not NEW_TABLES & tables
        columns = {c["name"] for c in inspect(db.engine).get_columns("findings")}
        assert not {"inspection_id", "checklist_item_id"} & columns
        with db.engine.begin() as conn:
            assert _counts(conn) == before  # the linked finding stays, as a finding reported alone
            if not ON_POSTGRES:
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        upgrade()
        assert set(inspect(db.engine).get_table_names()) >= NEW_TABLES
        db.engine.dispose()


@pytest.mark.parametrize("column", ["inspection_id", "checklist_item_id"])
def test_0009s_links_are_foreign_keys(empty_database_url, column):  # noqa: F811
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0009")
        keys = {
            k["constrained_columns"][0]: k["referred_table"] for k in inspect(db.engine).get_foreign_keys("findings")
        }
        assert keys[column] == {"inspection_id": "inspections", "checklist_item_id": "checklist_items"}[column]
        db.engine.dispose()
