"""flask --app wsgi seed-demo: a believable Xiamen demo, loaded once."""

import click

from app.extensions import db


@click.command("seed-demo")
@click.option("--findings", default=200, show_default=True, help="How many findings to generate.")
def seed_demo(findings):
    """Load the Xiamen demo: areas, enterprises, one login per role, findings in every state."""
    from app.demo.seed import DEMO_PASSWORD, already_seeded, seed

    if already_seeded(db.session):
        click.echo("demo data already loaded; nothing to do")
    else:
        summary = seed(db.session, findings=findings)
        db.session.commit()
        click.echo(summary)
    click.echo(f"demo logins (password: {DEMO_PASSWORD}): inspector, grid, officer, supervisor, admin, inspector2")
