"""flask --app wsgi enterprises import FILE [--dry-run]: the bureau's enterprise register from an XLSX or CSV."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.domain.calendar import utcnow
from app.domain.errors import DomainError
from app.extensions import db
from app.services.admin import enterprise_import
from app.services.admin.tabular import estimate_rows

enterprises = AppGroup("enterprises", help="Manage the enterprise register.")


@enterprises.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Judge every row and report the counts; write nothing.")
def import_command(path: Path, dry_run: bool):
    """Import enterprises from FILE (.xlsx or .csv), keyed by credit code: all rows or none.

    Headers: 企业名称, 统一社会信用代码, 所在区划代码, 行业, 地址, 经度, 纬度, 主要负责人, 联系电话 (规模 optional).
    See docs/samples/enterprises-sample.xlsx. The audit records the change with no actor (an operator's command).
    """
    data = path.read_bytes()
    rows = estimate_rows(data)
    bar = click.progressbar(length=2 * rows, label=f"{path.name}: ~{rows:,} rows", file=sys.stderr)
    try:
        with bar:  # reading and judging the rows, then writing them
            report = enterprise_import.import_enterprises(
                db.session, None, data, now=utcnow(), dry_run=dry_run, progress=bar.update
            )
            bar.update(bar.length)
        if not dry_run:
            db.session.commit()
    except DomainError as error:
        db.session.rollback()
        detail = error.detail if isinstance(error.detail, dict) else {}
        for problem in detail.get("errors", []):
            click.echo(f"row {problem['row']}, {problem['column'] or '-'}: {problem['message']}", err=True)
        raise click.ClickException(error.message) from None
    suffix = " (dry run: nothing was written)" if dry_run else ""
    click.echo(
        f"{report['rows']:,} rows: {report['created']:,} created, {report['updated']:,} updated, "
        f"{report['unchanged']:,} unchanged{suffix}."
    )
