"""Operator commands: flask --app wsgi users create, tokens create|list|revoke, seed-demo, photos verify, jobs run."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.domain.calendar import utcnow
from app.domain.errors import RuleViolation
from app.domain.terms import PERSON_ROLES
from app.extensions import db
from app.models import User
from app.services.accounts import create_user, issue_token, live_tokens, revoke_credentials

users = AppGroup("users", help="Manage users.")
tokens = AppGroup("tokens", help="Manage API bearer tokens.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in PERSON_ROLES]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--area", "area_code", help="Home area code (every role but admin).")
@click.option("--enterprise", "credit_code", help="Credit code of the officer's enterprise.")
@click.option("--name", "display_name", default="", help="Display name.")
def create_user_command(username, role, password, area_code, credit_code, display_name):
    """Create a user with one role and a home area."""
    try:
        user = create_user(
            db.session,
            username=username,
            password=password,
            role=role,
            now=utcnow(),
            area_code=area_code,
            credit_code=credit_code,
            display_name=display_name,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except RuleViolation as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        raise click.ClickException(f"{error.message} {details}") from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")


@tokens.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for (a script, a device).")
@click.option("--days", type=click.FloatRange(min=0, min_open=True), help="Lifetime (default TOKEN_DAYS, 90).")
def create_token_command(username, label, days):
    """Issue a bearer token for USERNAME and print it (it is shown only once)."""
    user = _user(username)
    token = issue_token(db.session, user, now=utcnow(), days=days or current_app.config["TOKEN_DAYS"], label=label)
    db.session.commit()
    click.echo(token)


@tokens.command("list")
@click.argument("username")
def list_tokens_command(username):
    """The live tokens of USERNAME: id, label, created, expires, last used (the tokens themselves are not kept)."""
    for row in live_tokens(db.session, _user(username).id, now=utcnow()):
        used = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "never"
        created, expires = (t.isoformat(timespec="minutes") for t in (row.created_at, row.expires_at))
        click.echo(f"{row.id}\t{row.label or '-'}\tcreated {created}\texpires {expires}\tlast used {used}")


@tokens.command("revoke")
@click.argument("username")
@click.option("--sessions", is_flag=True, help="End the user's browser sessions too.")
def revoke_tokens_command(username, sessions):
    """End every bearer token of USERNAME at once (a lost phone, a leaked script): each is 401 from now on."""
    user = _user(username)
    ended = revoke_credentials(db.session, user.id, now=utcnow(), tokens=True, sessions=sessions)
    db.session.commit()
    click.echo(f"ended {ended} {'tokens and sessions' if sessions else 'tokens'} of {user.username}")


def _user(username: str) -> User:
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise click.ClickException(f"no user {username}")
    return user


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(tokens)
    from app.cli.demo import seed_demo
    from app.cli.enterprises import enterprises
    from app.cli.jobs import jobs
    from app.cli.photos import photos

    app.cli.add_command(seed_demo)
    app.cli.add_command(photos)
    app.cli.add_command(enterprises)
    app.cli.add_command(jobs)
