"""``bekwaam vzi import-cpd EMPLOYEE_NUMBER FILE [--dry-run] [--partial]``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.staff.models import Staff
from plugins.vzi_mt import cpd_import


@click.group("vzi")
def vzi():
    """VZI medical technicians."""


@vzi.command("import-cpd")
@click.argument("employee_number")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="check every row, write nothing")
@click.option("--partial", is_flag=True, help="write the good rows even when some are rejected")
@with_appcontext
def import_cpd(employee_number, file, dry_run, partial):
    """Import CPD activities (CSV date,hours,title,category) for one person."""
    from core.audit.services import set_actor
    from core.auth.cli import cli_actor

    set_actor(cli_actor())  # each activity written is audited with the operator as actor
    staff = db.session.scalar(select(Staff).where(Staff.employee_number == employee_number))
    if staff is None:
        raise click.ClickException(f"No staff with employee number {employee_number}.")
    try:
        report, ok = cpd_import.run(db.session, staff.id, file.read(), dry_run, partial)
    except cpd_import.ImportFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    for row in report["rows"]:
        click.echo(f"line {row['line']}: {row['status']}" + (": " + " ".join(row["reasons"]) if row["reasons"] else ""))
    if report["written"]:
        db.session.commit()
    else:
        db.session.rollback()
    click.echo(f"{report['created']} created, {report['rejected']} rejected; "
               + ("written." if report["written"] else "nothing written."))
    if not ok:
        raise click.exceptions.Exit(1)
