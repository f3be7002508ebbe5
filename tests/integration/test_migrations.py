"""The migrations and the models agree, there is one head, and the schema builds from empty and back."""

import os
import shutil
import uuid
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from testbed import FAST_SETTINGS, ON_POSTGRES, PG_URL

from app import MIGRATIONS, create_app
from app.extensions import db


def test_there_is_a_single_head():
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1


def test_models_and_migrations_agree(app):
    """No pending autogenerate diff: the same check `flask db check` makes."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@pytest.fixture
def empty_database_url(tmp_path):
    if ON_POSTGRES:
        url = PG_URL.rsplit("/", 1)[0] + "/postgres"
        name = f"mig_{os.getpid()}"
        admin = create_engine(url.replace("app:app@", "postgres@"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name} OWNER app"))
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_upgrade_from_empty_downgrade_to_base_and_up_again(empty_database_url):
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"findings", "finding_events", "areas", "enterprises", "users", "api_tokens"} <= tables
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM categories")).scalar() == 15
            assert conn.execute(text("SELECT count(*) FROM major_criteria")).scalar() == 12
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "findings" in inspect(db.engine).get_table_names()
        db.engine.dispose()


# --- 0003: a database from before it, with the rows it must bring to the new rules -------------------------------

T = {
    name: sa.table(name, *(sa.column(c, kind) for c, kind in columns))
    for name, columns in {
        "areas": [("id", sa.Integer()), ("code", sa.String()), ("name", sa.String()), ("level", sa.String()),
                  ("path", sa.String()), ("parent_id", sa.Integer())],
        "users": [("id", sa.Integer()), ("username", sa.String()), ("display_name", sa.String()),
                  ("password_hash", sa.String()), ("role", sa.String()), ("active", sa.Boolean()),
                  ("created_at", sa.DateTime()), ("area_id", sa.Integer()), ("enterprise_id", sa.Integer())],
        "enterprises": [("id", sa.Integer()), ("name", sa.String()), ("credit_code", sa.String()),
                        ("sector", sa.String()), ("address", sa.String()), ("area_id", sa.Integer()),
                        ("area_path", sa.String()), ("contact_name", sa.String()), ("contact_phone", sa.String())],
        "findings": [("id", sa.Uuid()), ("number", sa.String()), ("request_hash", sa.String()),
                     ("enterprise_id", sa.Integer()), ("area_id", sa.Integer()), ("area_path", sa.String()),
                     ("category_id", sa.Integer()), ("level", sa.String()), ("title", sa.String()),
                     ("description", sa.String()), ("address", sa.String()), ("observed_at", sa.DateTime()),
                     ("received_at", sa.DateTime()), ("updated_at", sa.DateTime()), ("reporter_id", sa.Integer()),
                     ("rectify_mode", sa.String()), ("deadline", sa.Date()), ("status", sa.String()),
                     ("version", sa.Integer()), ("events_count", sa.Integer()), ("extension_pending", sa.Boolean()),
                     ("plan_complete", sa.Boolean()), ("rectified_by_id", sa.Integer())],
        "finding_events": [("id", sa.Uuid()), ("finding_id", sa.Uuid()), ("seq", sa.Integer()),
                           ("action", sa.String()), ("actor_id", sa.Integer()), ("role", sa.String()),
                           ("received_at", sa.DateTime()), ("from_state", sa.String()), ("to_state", sa.String()),
                           ("version", sa.Integer()), ("payload", sa.JSON()), ("request_hash", sa.String())],
        "rectification_plans": [("finding_id", sa.Uuid()), ("measures", sa.String()), ("responsible", sa.String()),
                                ("funds", sa.String()), ("time_limit", sa.Date()), ("contingency", sa.String()),
                                ("submitted_by_id", sa.Integer()), ("submitted_at", sa.DateTime())],
        "extension_requests": [("id", sa.Integer()), ("finding_id", sa.Uuid()), ("requested_by_id", sa.Integer()),
                               ("requested_at", sa.DateTime()), ("requested_deadline", sa.Date()),
                               ("reason", sa.String()), ("status", sa.String())],
        "photos": [("id", sa.Uuid()), ("finding_id", sa.Uuid()), ("kind", sa.String()), ("sha256", sa.String()),
                   ("declared_at", sa.DateTime()), ("uploaded_at", sa.DateTime()), ("uploaded_by_id", sa.Integer())],
    }.items()
}  # fmt: skip
AT = datetime(2026, 11, 20, 2, 0)
DAY = date(2026, 12, 20)
IDS = {name: uuid.uuid5(uuid.NAMESPACE_URL, name) for name in ("planned", "orphan", "voided", "decided", "triage")}
INSPECTOR, OFFICER, SUPERVISOR, GRID = 1, 2, 3, 4


def _old_world(conn) -> None:
    """Findings as revision 0002 left them: a five-element plan, a pending request orphaned by a submission, a
    report voided in triage, decided requests, a report waiting."""
    _people(conn)
    _stories(conn)


def _people(conn) -> None:
    """Two areas, an enterprise and its four kinds of user, in a shape every revision since 0002 accepts."""
    conn.execute(sa.insert(T["areas"]), [
        {"id": 1, "code": "350200", "name": "厦门市", "level": "city", "path": "/350200/", "parent_id": None},
        {"id": 2, "code": "350206", "name": "湖里区", "level": "district", "path": "/350200/350206/",
         "parent_id": 1},
    ])  # fmt: skip
    conn.execute(sa.insert(T["enterprises"]).values(
        id=1, name="厦门测试有限公司", credit_code="91350206MA2XK4L71K", sector="manufacturing", address="湖里区",
        area_id=2, area_path="/350200/350206/", contact_name="张三", contact_phone="13800000000"))  # fmt: skip
    people = [(INSPECTOR, "inspector", None), (OFFICER, "enterprise_officer", 1), (SUPERVISOR, "supervisor", None),
              (GRID, "grid_worker", None)]  # fmt: skip
    conn.execute(sa.insert(T["users"]), [
        {"id": i, "username": role, "display_name": role, "password_hash": "x", "role": role, "active": True,
         "created_at": AT, "area_id": 2, "enterprise_id": company} for i, role, company in people
    ])  # fmt: skip


def _stories(conn) -> None:
    fire = conn.execute(sa.text("SELECT id FROM categories WHERE code = 'fire'")).scalar_one()
    stories = {
        "planned": ("rectifying", INSPECTOR, [("report", None, "rectifying"),
                                              ("submit_plan", "rectifying", "rectifying"),
                                              ("request_extension", "rectifying", "rectifying")]),
        "orphan": ("pending_review", INSPECTOR, [("report", None, "rectifying"),
                                                 ("request_extension", "rectifying", "rectifying"),
                                                 ("submit_rectification", "rectifying", "pending_review")]),
        "voided": ("voided", GRID, [("report", None, "reported"), ("void", "reported", "voided")]),
        "decided": ("closed", INSPECTOR, [("report", None, "rectifying"), ("reopen", "closed", "rectifying"),
                                          ("submit_rectification", "rectifying", "pending_review"),
                                          ("approve", "pending_review", "closed")]),
        "triage": ("reported", GRID, [("report", None, "reported")]),
    }  # fmt: skip
    for n, (name, (status, reporter, steps)) in enumerate(stories.items(), start=1):
        conn.execute(sa.insert(T["findings"]).values(
            id=IDS[name], number=f"YH-350206-2026-{n:06d}", request_hash="h", enterprise_id=1, area_id=2,
            area_path="/350200/350206/", category_id=fire, level="major" if name == "planned" else "general",
            title=name, description="", address="", observed_at=AT, received_at=AT, updated_at=AT,
            reporter_id=reporter, rectify_mode="deadline", deadline=DAY, status=status, version=len(steps),
            events_count=len(steps), extension_pending=name in ("planned", "orphan"),
            plan_complete=name == "planned",
            rectified_by_id=OFFICER if status in ("pending_review", "closed") else None,
        ))  # fmt: skip
        conn.execute(sa.insert(T["finding_events"]), [
            {"id": uuid.uuid4(), "finding_id": IDS[name], "seq": seq, "action": action, "actor_id": reporter,
             "role": "inspector", "received_at": AT + timedelta(hours=seq), "from_state": before, "to_state": after,
             "version": seq, "payload": {"reason": "复查发现反弹"} if action == "reopen" else {}, "request_hash": "h"}
            for seq, (action, before, after) in enumerate(steps, start=1)
        ])  # fmt: skip
    conn.execute(sa.insert(T["rectification_plans"]).values(
        finding_id=IDS["planned"], measures="更换", responsible="李四", funds="5万元", time_limit=DAY,
        contingency="停产", submitted_by_id=OFFICER, submitted_at=AT))  # fmt: skip
    conn.execute(sa.insert(T["extension_requests"]), [
        {"id": i, "finding_id": IDS[name], "requested_by_id": OFFICER, "requested_at": AT,
         "requested_deadline": DAY + timedelta(days=10), "reason": "配件", "status": status}
        for i, (name, status) in enumerate([("planned", "pending"), ("orphan", "pending"), ("decided", "approved"),
                                            ("decided", "rejected")], start=1)
    ])  # fmt: skip
    conn.execute(sa.insert(T["photos"]), [
        {"id": uuid.uuid5(IDS["orphan"], "after"), "finding_id": IDS["orphan"], "kind": "rectification",
         "sha256": None, "declared_at": AT + timedelta(hours=3), "uploaded_at": None, "uploaded_by_id": None},
        {"id": uuid.uuid5(IDS["voided"], "before"), "finding_id": IDS["voided"], "kind": "evidence",
         "sha256": None, "declared_at": AT, "uploaded_at": None, "uploaded_by_id": None},
    ])  # fmt: skip


def _counts(conn) -> dict:
    counted = {name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for name, t in T.items()}
    return {**counted, "api_tokens": conn.execute(sa.text("SELECT count(*) FROM api_tokens")).scalar()}


def test_0003_brings_old_rows_to_the_new_rules_without_losing_any(empty_database_url):
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            _old_world(conn)
            before = _counts(conn)
        upgrade()
        with db.engine.connect() as conn:
            assert _counts(conn) == {**before, "users": before["users"] + 1}  # 0006 adds the system user
            rows = {r.title: r for r in conn.execute(sa.text(
                "SELECT title, status, extension_pending, plan_complete, triaged, rectification_round,"
                " after_photos_owed, reopen_reason FROM findings"))}  # fmt: skip
            requests = conn.execute(sa.text(
                "SELECT status, requested_deadline, granted_deadline FROM extension_requests ORDER BY id")).all()
            plan = conn.execute(sa.text("SELECT objective, measures FROM rectification_plans")).one()
            photos = dict(conn.execute(sa.text("SELECT kind, round FROM photos")).all())
            declarers = sorted(conn.execute(sa.text("SELECT declared_by_id FROM photos")).scalars())
        # the five-element plan is kept, its sixth element shown missing, and so it is incomplete again
        assert tuple(plan) == ("", "更换") and not rows["planned"].plan_complete
        # the request pending on a rectifying finding still waits; the one the submission orphaned lapsed
        assert [r.status for r in requests] == ["pending", "lapsed", "approved", "refused"]
        assert rows["planned"].extension_pending and not rows["orphan"].extension_pending
        assert _as_date(requests[2].granted_deadline) == _as_date(requests[2].requested_deadline)
        assert requests[3].granted_deadline is None
        # the report voided in triage never reached the enterprise; the waiting report has not yet
        assert {t: bool(r.triaged) for t, r in rows.items()} == {
            "planned": True, "orphan": True, "voided": False, "decided": True, "triage": False,
        }  # fmt: skip
        assert (rows["orphan"].rectification_round, rows["orphan"].after_photos_owed) == (1, 1)
        assert photos == {"rectification": 1, "evidence": None}
        assert declarers == sorted([GRID, OFFICER])  # a before-photo's reporter, an after-photo's rectifier
        assert rows["decided"].reopen_reason == "复查发现反弹"
        downgrade(revision="0002")
        with db.engine.connect() as conn:
            assert _counts(conn) == before
            statuses = conn.execute(sa.text("SELECT status FROM extension_requests ORDER BY id")).scalars().all()
            assert statuses == ["pending", "rejected", "approved", "rejected"]
        db.engine.dispose()


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


# --- 0006: the system actor, the delivery queue and the calendar table -------------------------------------------


def _role_refused(conn, username: str, role: str, area_id) -> bool:
    """Whether the users table refuses a row of `role` (its CHECK constraints), leaving nothing behind."""
    savepoint = conn.begin_nested()
    try:
        conn.execute(sa.insert(T["users"]).values(username=username, display_name="", password_hash="x", role=role,
                                                  active=True, created_at=AT, area_id=area_id))  # fmt: skip
    except sa.exc.IntegrityError:
        savepoint.rollback()
        return True
    savepoint.rollback()
    return False


def test_0006_widens_roles_in_place_and_makes_one_system_user(empty_database_url):
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as conn:
            _people(conn)
            # a row that points at a user: SQLite's foreign keys would refuse a batch copy of `users` now
            conn.execute(sa.text("INSERT INTO api_tokens (user_id, token_hash, created_at, label, expires_at)"
                                 " VALUES (1, 'abc', '2026-11-20 02:00:00', '', '2027-02-18 02:00:00')"))  # fmt: skip
            assert _role_refused(conn, "robot", "system", None)
            before = _counts(conn)
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            system = conn.execute(sa.text("SELECT role, area_id, password_hash FROM users WHERE username = 'system'"))
            assert tuple(system.one()) == ("system", None, "!")
            assert _counts(conn) == {**before, "users": before["users"] + 1}
            assert not _role_refused(conn, "robot", "system", None)  # the widened constraint
            assert _role_refused(conn, "nobody", "superuser", 2)  # still a closed list
            assert _role_refused(conn, "homeless", "inspector", None)  # and every person still has a home area
            kinds = dict(conn.execute(sa.text("SELECT kind, count(*) FROM holiday_days GROUP BY kind")).all())
            assert kinds == {"rest": 33, "work": 6}  # 国务院办公厅 2026 notice: 3+9+3+5+3+3+7 days off, 6 worked
            if not ON_POSTGRES:
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        downgrade(revision="0005")
        with db.engine.begin() as conn:
            assert _counts(conn) == before
            assert _role_refused(conn, "robot", "system", None)
        db.engine.dispose()


# --- 0007: 挂牌督办, a new table and one column added to `findings` in place -------------------------------------


def test_0007_adds_the_register_in_place_and_takes_it_away_again(empty_database_url):
    app = create_app({**FAST_SETTINGS, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            _old_world(conn)  # findings with events, plans, requests and photos pointing at them
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            before = _counts(conn)
        upgrade(revision="0007")
        key = IDS["planned"] if ON_POSTGRES else IDS["planned"].hex  # a text() bind: SQLite keeps a Uuid as hex
        listing = {"finding_id": key, "level": "city",
                   "authority": "厦门市安委办", "document_no": "厦安办督〔2026〕12号", "leader": "王五", "public": True,
                   "status": "listed", "listed_at": AT, "listed_by_id": SUPERVISOR}  # fmt: skip
        insert = sa.text(
            "INSERT INTO supervisions (finding_id, level, authority, document_no, leader, public, status, listed_at,"
            " listed_by_id, listed_event_id) SELECT :finding_id, :level, :authority, :document_no, :leader, :public,"
            " :status, :listed_at, :listed_by_id, id FROM finding_events WHERE finding_id = :finding_id AND seq = 1"
        )
        with db.engine.begin() as conn:
            assert _counts(conn) == before  # nothing copied, nothing lost
            listed = sa.text("SELECT count(*) FROM findings WHERE supervision_level IS NOT NULL")
            assert conn.execute(listed).scalar() == 0
            conn.execute(insert, listing)
            if not ON_POSTGRES:
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:  # one open listing per finding
            conn.execute(insert, {**listing, "level": "county"})
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE supervisions SET status = 'delisted'"))
            conn.execute(insert, {**listing, "level": "province"})  # listed again once the first has ended
            assert conn.execute(sa.text("SELECT count(*) FROM supervisions")).scalar() == 2
        downgrade(revision="0006")
        tables = set(inspect(db.engine).get_table_names())
        assert "supervisions" not in tables
        assert "supervision_level" not in {c["name"] for c in inspect(db.engine).get_columns("findings")}
        with db.engine.begin() as conn:
            assert _counts(conn) == before
        db.engine.dispose()
