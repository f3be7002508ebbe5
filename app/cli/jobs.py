"""flask jobs run NAME [--at ISO-TIME]: one background job, once, as of now or of another moment; flask jobs worker:
the long-running loop that sends queued email and webhook deliveries."""

import logging
import signal
import threading
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.domain.calendar import utcnow
from app.extensions import db
from app.jobs.deadline_config import deadline_settings
from app.jobs.deadlines import run_deadlines
from app.jobs.deliver import run_deliver, worker_name

log = logging.getLogger(__name__)
jobs = AppGroup("jobs", help="Background jobs (run them from cron or a systemd timer).")


def _deadlines(session, now) -> str:
    try:
        settings = deadline_settings(current_app.config)
    except ValueError as problem:
        raise click.UsageError(str(problem)) from None
    return f"{run_deadlines(session, now, settings=settings)} notifications written"


def _deliver(session, now) -> str:
    return str(run_deliver(session, now))  # commits each step itself


JOBS = {"deadlines": _deadlines, "deliver": _deliver}


@jobs.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--at", "at", help="Run as of this moment (ISO 8601; without a zone it is UTC): tests, backfills.")
def run_job(name, at):
    """Run job NAME once and print what it did: deadlines writes the notifications due, deliver sends what is
    queued and due. Safe to repeat, on any number of hosts at once."""
    now = _moment(at) if at else utcnow()
    try:
        summary = JOBS[name](db.session, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"{name}: {summary}")


@jobs.command("worker")
@click.option("--idle", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to sleep when nothing is due.")  # fmt: skip
def worker(idle):
    """Send queued deliveries continuously until SIGTERM or SIGINT, which end it after the message in hand."""
    stop = threading.Event()
    name = worker_name()

    def ask_to_stop(signum, _frame):
        # Only a flag: a send in progress finishes (PEP 475 resumes its socket calls), then the loop ends.
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    click.echo(f"worker {name}: started", err=True)
    while not stop.is_set():
        try:
            counts = run_deliver(db.session, utcnow(), worker=name, stop=stop)
        except Exception:  # the database restarting, say: log, wait, go on (systemd restarts us if we die)
            log.exception("worker %s: a delivery round failed", name)
            db.session.rollback()
            counts = None
        if counts is not None and counts.handled:
            click.echo(f"worker {name}: {counts}", err=True)
        else:
            stop.wait(idle)
    db.session.remove()
    click.echo(f"worker {name}: stopped", err=True)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {text}", param_hint="--at") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
