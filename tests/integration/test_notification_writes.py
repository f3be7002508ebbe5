"""write_notifications bypasses the ORM for speed (docs/benchmarks.md, the deadline job's row): on PostgreSQL one
INSERT ... SELECT FROM unnest(arrays) per 10,000 rows, on SQLite a Core executemany. Both must store exactly what
the ORM stores for the same values, text that array syntax would mangle included, and queue the same deliveries."""

from datetime import datetime, timedelta

import factories as f
from sqlalchemy import select

from app.domain.calendar import SHANGHAI
from app.models import Delivery, Notification
from app.services.notifications import write_notifications

NOW = f.NOW
AWKWARD = ['逾期 "3" 天', "a\\b {c,d} 'e'", "NULL", "", "  spaced  ", "line\nbreak\ttab", "{}", "," * 3]
FIELDS = ("recipient_id", "finding_id", "kind", "due_at", "title", "body", "created_at", "read_at")


def test_the_bulk_write_stores_what_the_orm_stores_and_queues_the_same_deliveries(session):
    world = f.World(session)
    emailed, silent = world.user("enterprise_officer"), world.user("enterprise_officer")
    emailed.email, emailed.channels = "officer@example.cn", ["email", "webhook"]
    finding = f.report(session, world.user("inspector"), f.finding_data(world.enterprise))
    session.commit()
    due = datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI)
    rows = [
        {"recipient_id": who.id, "finding_id": finding.id, "rule": f"rule_{n}", "kind": "overdue",
         "due_at": due + timedelta(days=n), "title": text[:200], "body": text, "created_at": NOW,
         "read_at": None if n % 2 else NOW}
        for n, text in enumerate(AWKWARD)
        for who in (emailed, silent)
    ]  # fmt: skip
    assert write_notifications(session, rows, NOW) == len(rows)
    session.add_all(Notification(**{**row, "rule": row["rule"] + "_orm"}) for row in rows)
    session.commit()

    ours = {row["rule"] for row in rows}  # (reporting the finding told the officers of their new order too)
    stored = {(n.rule, n.recipient_id): n for n in session.scalars(select(Notification))}
    for row in rows:
        bulk = stored[(row["rule"], row["recipient_id"])]
        orm = stored[(row["rule"] + "_orm", row["recipient_id"])]
        assert {k: getattr(bulk, k) for k in FIELDS} == {k: getattr(orm, k) for k in FIELDS}
        assert bulk.body == row["body"] and bulk.due_at == row["due_at"]
    queued = session.execute(select(Notification.recipient_id, Delivery.channel, Delivery.status, Delivery.attempts,
                                    Delivery.next_attempt_at).join(Notification)
                            .where(Notification.rule.in_(ours))).all()  # fmt: skip
    assert sorted(queued) == sorted((emailed.id, c, "queued", 0, NOW) for c in ("email", "webhook") for _ in AWKWARD)
    assert write_notifications(session, rows, NOW) == 0  # the same rows again: nothing new, nothing queued twice
    assert len(session.execute(select(Delivery.id).join(Notification).where(Notification.rule.in_(ours))).all()) == (
        2 * len(AWKWARD)
    )
