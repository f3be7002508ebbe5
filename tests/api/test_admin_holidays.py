"""The working-day calendar an admin keeps: the 2026 notice as migration 0006 seeded it, a next year's notice
entered, replaced and removed, every bad notice refused whole, and the deadline job counting by what is stored."""

from datetime import UTC, date, datetime, timedelta

import factories as f
import pytest
from admin_support import OTHER_ROLES, Admin, audit_rows, fresh
from sqlalchemy import create_engine, select, text
from testbed import ON_POSTGRES, PG_URL

from app.domain.workdays import HOLIDAYS_2026, WorkCalendar
from app.models import HolidayDay, HolidayYear, Notification
from app.services.admin.holidays import work_calendar

URL = "/api/v1/admin/holidays"
# A made-up notice for a year no real one is loaded for (2027's was not published when this was written): 元旦
# Friday 1 January to Sunday 3 January, and a worked Saturday 9 January.
NOTICE_2027 = {
    "source": "测试用通知（非真实）",
    "rest_days": [{"day": "2027-01-01", "name": "元旦"}, {"day": "2027-01-02", "name": "元旦"},
                  {"day": "2027-01-03", "name": "元旦"}, {"day": "2027-01-04", "name": "元旦"}],
    "workdays": [{"day": "2027-01-09", "name": "元旦"}],
}  # fmt: skip


@pytest.fixture
def admin(session):
    return Admin(session)


@pytest.fixture(autouse=True)
def _calendar_put_back():
    """PostgreSQL keeps the holiday tables between tests (tests/testbed.py): take out what a test added."""
    yield
    if ON_POSTGRES:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM holiday_years WHERE year <> 2026"))
        engine.dispose()


def test_the_seeded_2026_notice_is_the_rules_own(client, session, admin):
    stored = work_calendar(session)
    official = WorkCalendar([HOLIDAYS_2026])
    year = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    assert [stored.is_workday(d) for d in year] == [official.is_workday(d) for d in year]
    assert stored.covers(2026) and not stored.covers(2027)
    listed = client.get(URL, headers=admin.headers).get_json()["items"]
    assert [(n["year"], len(n["rest_days"]), len(n["workdays"])) for n in listed] == [(2026, 33, 6)]
    assert listed[0]["source"].startswith("国务院办公厅关于2026年部分节假日安排的通知")
    assert {"day": "2026-02-14", "name": "春节"} in listed[0]["workdays"]


def test_an_admin_enters_replaces_and_removes_a_years_notice(client, session, admin):
    assert client.get(f"{URL}/2027", headers=admin.headers).status_code == 404
    put = client.put(f"{URL}/2027", json=NOTICE_2027, headers=admin.headers)
    assert put.status_code == 200, put.get_json()
    assert [d["day"] for d in put.get_json()["workdays"]] == ["2027-01-09"]
    calendar = work_calendar(fresh(session))
    assert calendar.covers(2027)
    assert not calendar.is_workday(date(2027, 1, 4)) and calendar.is_workday(date(2027, 1, 9))
    replaced = {**NOTICE_2027, "rest_days": NOTICE_2027["rest_days"][:3], "workdays": []}
    assert client.put(f"{URL}/2027", json=replaced, headers=admin.headers).status_code == 200
    assert work_calendar(fresh(session)).is_workday(date(2027, 1, 4))  # a Monday again
    assert client.delete(f"{URL}/2027", headers=admin.headers).status_code == 204
    assert not work_calendar(fresh(session)).covers(2027)
    steps = [(r.action, r.entity_key) for r in audit_rows(session, entity="holidays")]
    assert steps == [("create", "2027"), ("update", "2027"), ("delete", "2027")]
    first = audit_rows(session, entity="holidays")[1]
    assert first.before["workdays"] == ["2027-01-09"] and first.after["workdays"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rest_days": [{"day": "2026-12-31"}]}, "rest_days"),  # outside the year
        ({"workdays": [{"day": "2027-01-08"}]}, "workdays"),  # a Friday: worked anyway
        ({"workdays": [{"day": "2027-01-02"}]}, "workdays"),  # both off and worked
        ({"rest_days": [{"day": "2027-01-01"}, {"day": "2027-01-01"}]}, "rest_days"),  # twice
        ({"rest_days": []}, "rest_days"),  # no day off at all
        ({"rest_days": [{"day": "2027-02-30"}]}, "rest_days"),  # no such date
        ({"rest_days": [{"day": "1月1日"}]}, "rest_days"),
        ({"rest_days": "2027-01-01"}, "rest_days"),
        ({"source": ""}, "source"),
        ({"source": None}, "source"),
        ({"workdays": [{"name": "元旦"}]}, "workdays"),  # no day
        ({"rest_days": [{"day": "2027-01-01", "name": "元" * 41}]}, "rest_days"),
    ],
)
def test_a_bad_notice_is_refused_whole_with_the_field(client, session, admin, change, field):
    answer = client.put(f"{URL}/2027", json={**NOTICE_2027, **change}, headers=admin.headers)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert fresh(session).get(HolidayYear, 2027) is None
    assert session.scalars(select(HolidayDay).where(HolidayDay.year == 2027)).all() == []


def test_a_year_out_of_range_and_a_missing_body_are_refused(client, admin):
    assert client.put(f"{URL}/1999", json=NOTICE_2027, headers=admin.headers).status_code == 422
    missing = client.put(f"{URL}/2027", json={"source": "x"}, headers=admin.headers)
    assert missing.status_code == 422 and {"rest_days", "workdays"} <= set(missing.get_json()["error"]["fields"])


def test_only_an_admin_keeps_the_calendar(client, admin):
    for role in OTHER_ROLES:
        headers = admin.role_headers[role]
        assert client.get(URL, headers=headers).status_code == 403
        assert client.put(f"{URL}/2027", json=NOTICE_2027, headers=headers).status_code == 403
        assert client.delete(f"{URL}/2026", headers=headers).status_code == 403
    assert client.get(URL).status_code == 401


def test_the_deadline_job_counts_working_days_by_the_stored_notice(app, client, session, admin):
    """A grid worker's report of Wednesday 30 December 2026 waits 2 working days for triage: Thursday 31 and,
    with no notice for 2027, Friday 1 January. With the admin's notice (1–4 January off) it is Tuesday 5th."""
    received = datetime(2026, 12, 30, 2, 0, tzinfo=UTC)
    report = f.report(session, admin.world.user("grid_worker"), f.finding_data(admin.world.enterprise,
                      observed_at=received - timedelta(minutes=5)), now=received)  # fmt: skip
    admin.world.user("inspector", area=admin.world.street)
    session.commit()
    assert client.put(f"{URL}/2027", json=NOTICE_2027, headers=admin.headers).status_code == 200

    def nudged(at: str) -> bool:
        result = app.test_cli_runner().invoke(args=["jobs", "run", "deadlines", "--at", at])
        assert result.exit_code == 0, result.output
        rows = fresh(session).scalars(select(Notification.rule).where(Notification.finding_id == report.id))
        return "triage_waiting" in rows.all()

    assert not nudged("2027-01-01T01:30:00")  # 元旦, by the stored notice
    assert not nudged("2027-01-04T01:30:00")
    assert nudged("2027-01-05T01:30:00")
