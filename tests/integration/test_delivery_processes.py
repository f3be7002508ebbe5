"""The jobs as separate processes on this test's database (a SQLite file, or PostgreSQL): a worker killed in the
middle of sending leaves the message to the next worker once its lease runs out, and it arrives once; two
`flask jobs run deliver` at once send each message once; two `flask jobs run deadlines` at the same moment on
PostgreSQL write each notification once, and their counts add up to the whole."""

import re
import signal
from datetime import timedelta

import factories as f
import pytest
from delivery_support import (
    DEADLINE,
    DUE,
    REPORTED,
    SmtpServer,
    deliveries,
    due_finding,
    flask_jobs,
    notify,
    process_env,
    recipient,
    wait_for,
)  # fmt: skip
from sqlalchemy import func, select

from app.domain.calendar import utcnow
from app.models import Notification


def finish(process, timeout: float = 120) -> tuple[str, str]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return out, err


def test_a_delivery_survives_a_worker_killed_mid_send(database_url, session, tmp_path):
    world = f.World(session)
    finding = due_finding(session, world)
    officer = recipient(world, session)
    notify(session, finding, [officer], now=utcnow())  # due now: the workers read the real clock
    session.commit()
    with SmtpServer() as smtp:
        smtp.mailbox.mode = "stall"  # the server holds the message in DATA and never says 250
        env = process_env(database_url, tmp_path, SMTP_URL=smtp.url, DELIVERY_LEASE_SECONDS="2")
        first = flask_jobs("worker", "--idle", "0.2", env=env)
        try:
            wait_for(smtp.mailbox.in_data.is_set, "the first worker sending")
        finally:
            first.kill()  # SIGKILL: no chance to record or hand anything back
            first.communicate(timeout=60)
        (row,) = deliveries(session)
        assert (row.status, row.attempts) == ("queued", 0) and row.claimed_until is not None  # still leased
        smtp.mailbox.mode = "accept"
        smtp.mailbox.release.set()
        second = flask_jobs("worker", "--idle", "0.2", env=env)  # takes it once the lease has run out
        try:
            wait_for(lambda: deliveries(session)[0].status == "sent", "the second worker's delivery")
        finally:
            second.send_signal(signal.SIGTERM)
            _, log = finish(second)
        assert "stopped" in log  # SIGTERM ends the loop cleanly, exit status 0
    (row,) = deliveries(session)
    assert smtp.mailbox.message_ids() == [f"<delivery-{row.id}@closeloop.test>"]  # exactly once
    assert (row.status, row.attempts, row.claimed_by) == ("sent", 1, None)


def test_two_deliver_runs_at_once_send_each_message_once(database_url, session, tmp_path):
    world = f.World(session)
    finding = due_finding(session, world)
    people = [recipient(world, session, email_address=f"officer{n}@example.cn") for n in range(15)]
    for rule in ("deadline_in_3_days", "deadline_today"):
        notify(session, finding, people, now=utcnow(), rule=rule)
    session.commit()
    with SmtpServer() as smtp:
        smtp.mailbox.delay = 0.05  # slow enough that the two runs overlap
        env = process_env(database_url, tmp_path, SMTP_URL=smtp.url)
        runs = [flask_jobs("run", "deliver", env=env) for _ in range(2)]
        outputs = [finish(run)[0] for run in runs]
    sent = [int(re.fullmatch(r"deliver: (\d+) sent, 0 to retry, 0 failed\n", out).group(1)) for out in outputs]
    assert sum(sent) == 30
    ids = smtp.mailbox.message_ids()
    assert len(ids) == 30 and len(set(ids)) == 30
    assert {d.status for d in deliveries(session)} == {"sent"}


@pytest.mark.postgres
def test_two_deadline_runs_at_the_same_moment_write_each_notification_once(database_url, session, tmp_path):
    world = f.World(session)
    inspector = world.user("inspector")
    data = {"observed_at": REPORTED - timedelta(minutes=5), "deadline": DEADLINE}
    for _ in range(12):
        f.report(session, inspector, f.finding_data(world.enterprise, **data), now=REPORTED)
    for n in range(5):  # after the reports: what they tell the officers at once is not this test's
        recipient(world, session, email_address=f"officer{n}@example.cn")
    session.commit()
    env = process_env(database_url, tmp_path)
    runs = [flask_jobs("run", "deadlines", "--at", DUE.isoformat(), env=env) for _ in range(2)]
    outputs = [finish(run)[0] for run in runs]
    written = [int(re.fullmatch(r"deadlines: (\d+) notifications written\n", out).group(1)) for out in outputs]
    assert sum(written) == 12 * 5
    session.rollback()
    keys = select(Notification.finding_id, Notification.recipient_id).where(Notification.created_at == DUE)
    rows = session.execute(keys).all()
    assert len(rows) == len(set(rows)) == 12 * 5
    rules = session.scalars(select(func.distinct(Notification.rule)).where(Notification.created_at == DUE)).all()
    assert rules == ["deadline_in_3_days"]
    assert len(deliveries(session)) == 12 * 5  # each queued once, for the email each officer chose
