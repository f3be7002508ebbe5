"""The deadline job reads only the findings that can be due, by index, on PostgreSQL (issue 12, "fix while you are
here"): the plan of the job's own candidate query, on an analyzed table of 5,000 findings of which 10 are
candidates, uses ix_findings_status_deadline and ix_findings_status_received_at, no Seq Scan on findings, and
reads exactly the 10 rows. No timing here: the 1,000,000-row figure is bench/deadlines.py's (docs/benchmarks.md).

The planner is left alone (no enable_seqscan = off): on a table this size, with fresh statistics, a Seq Scan
would be its choice if the indexes did not serve the predicate.
"""

import uuid
from datetime import timedelta

import factories as f
import pytest
from sqlalchemy import event, insert, select, text

from app.domain.calendar import local_today
from app.extensions import db
from app.jobs.deadlines import run_deadlines
from app.models import Finding

pytestmark = pytest.mark.postgres

AT = f.NOW
TODAY = local_today(AT)
# (how many, status, deadline, received_at): most of the table can have nothing due at AT
MIX = [
    (3_500, "closed", lambda i: TODAY - timedelta(days=100 + i % 300), lambda i: AT - timedelta(days=115 + i % 300)),
    (700, "rectifying", lambda i: TODAY + timedelta(days=30 + i % 200), lambda i: AT - timedelta(days=i % 20)),
    (400, "reported", lambda i: None, lambda i: AT - timedelta(days=60, minutes=i)),  # an old, untriaged backlog
    (390, "reported", lambda i: None, lambda i: AT - timedelta(hours=1, minutes=i % 60)),  # too new to be due
    # the candidates: overdue orders, and reports waiting for triage
    (5, "rectifying", lambda i: TODAY - timedelta(days=2), lambda i: AT - timedelta(days=20)),
    (5, "reported", lambda i: None, lambda i: AT - timedelta(days=3, minutes=i)),
]
CANDIDATES = 10


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


@pytest.fixture
def table(session):
    world = f.World(session)
    yesterday = AT - timedelta(days=1)
    # an order with a deadline beyond the job's horizon, copied into every row below
    order = f.finding_data(world.enterprise, deadline=TODAY + timedelta(days=30), observed_at=yesterday)
    template = f.report(session, world.user("inspector"), order, now=yesterday)
    session.commit()
    row = dict(session.execute(select(Finding.__table__).where(Finding.id == template.id)).mappings().one())
    rows, n = [], 0
    for count, status, deadline, received_at in MIX:
        for i in range(count):
            n += 1
            rows.append({**row, "id": uuid.uuid4(), "number": f"YH-PLAN-{n:05d}", "status": status,
                         "deadline": deadline(i), "received_at": received_at(i), "updated_at": received_at(i),
                         "triaged": status != "reported"})  # fmt: skip
    session.execute(insert(Finding.__table__), rows)
    session.commit()
    session.execute(text("ANALYZE findings"))
    session.commit()


def _candidate_query(session) -> tuple[str, dict]:
    """The job's own statement on findings, as it sent it at AT."""
    seen = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        if not seen and "FROM findings" in statement and "deadline" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        run_deadlines(session, AT)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        session.rollback()
    assert seen, "the job read no findings"
    return seen[0]


def test_the_candidate_query_reads_the_candidates_by_index_and_nothing_else(session, table):
    statement, parameters = _candidate_query(session)
    with db.engine.connect() as conn:
        (doc,) = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
        conn.rollback()
    nodes = list(_nodes(doc["Plan"]))
    on_findings = [n for n in nodes if n.get("Relation Name") == "findings"]
    assert on_findings and not [n for n in on_findings if n["Node Type"] == "Seq Scan"], doc
    indexes = {n["Index Name"] for n in nodes if "Index Name" in n}
    assert {"ix_findings_status_deadline", "ix_findings_status_received_at"} <= indexes, indexes
    # exactly the candidates come out of the indexes and off the heap: no row read and thrown away
    assert doc["Plan"]["Actual Rows"] == CANDIDATES
    assert sum(n["Actual Rows"] for n in nodes if "Index Name" in n) == CANDIDATES
    assert not [n for n in on_findings if n.get("Rows Removed by Filter") or n.get("Rows Removed by Index Recheck")]
