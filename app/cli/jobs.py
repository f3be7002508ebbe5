"""flask jobs run NAME [--at ISO-TIME]: one background job, once, as of now or of another moment."""

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from app.domain.calendar import utcnow
from app.extensions import db
from app.jobs.deadlines import run_deadlines

jobs = AppGroup("jobs", help="Background jobs (run them from cron or a systemd timer).")
JOBS = {"deadlines": run_deadlines}


@jobs.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--at", "at", help="Run as of this moment (ISO 8601; without a zone it is UTC): tests, backfills.")
def run_job(name, at):
    """Run job NAME once and print how many notifications it wrote; safe to repeat, on any number of hosts."""
    now = _moment(at) if at else utcnow()
    try:
        written = JOBS[name](db.session, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"{name}: {written} notifications written")


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {text}", param_hint="--at") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
