"""flask --app wsgi photos verify [--repair]: objects without rows, rows without objects."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.domain.calendar import utcnow
from app.extensions import db

photos = AppGroup("photos", help="Check the photo store against the database.")


@photos.command("verify")
@click.option(
    "--repair",
    is_flag=True,
    help="Delete orphan objects and killed uploads' temporary files; forget blobs whose objects are gone.",
)
@click.option(
    "--grace-minutes",
    default=15,
    show_default=True,
    type=click.IntRange(min=0),
    help="Unreferenced objects and temporary files younger than this may be uploads in flight: never deleted.",
)
def verify_command(repair, grace_minutes):
    """Report (and with --repair remove) objects without rows and rows without objects. Exit 1 if any."""
    from app.services.photo_audit import verify_photos

    storage = current_app.extensions["storage"]
    audit = verify_photos(db.session, storage, now=utcnow(), repair=repair, grace=timedelta(minutes=grace_minutes))
    db.session.commit()
    click.echo(f"{audit.blobs_seen} photo blobs in the database, {audit.objects_seen} objects in storage")
    for key in audit.orphan_objects:
        click.echo(f"object without a row: {key}" + (" (deleted)" if repair else ""))
    for sha256, keys in audit.broken_blobs.items():
        fate = " (forgotten: its photos are missing again)" if repair else ""
        click.echo(f"row without objects: {sha256} lacks {', '.join(keys)}{fate}")
    for name in audit.unfinished:
        click.echo(f"unfinished write (a killed upload): {name}" + (" (deleted)" if repair else ""))
    if audit.young_objects:
        click.echo(f"{audit.young_objects} unreferenced objects younger than {grace_minutes} min left alone")
    if audit.young_unfinished:
        click.echo(f"{audit.young_unfinished} unfinished writes younger than {grace_minutes} min left alone")
    if audit.clean:
        click.echo("photo store and database agree")
    elif not repair:
        raise SystemExit(1)
