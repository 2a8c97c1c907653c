"""``bekwaam vzi import-cpd EMPLOYEE_NUMBER FILE [--dry-run] [--partial]``.

An alias of ``bekwaam import cpd FILE`` for one person: the same import kind
(``plugins.vzi_mt.imports``), headers, dates, hours, limits and report; the
file has no employee-number column, the argument gives it.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core.dataio.cli import run_import
from core.extensions import db
from core.staff.models import Staff


@click.group("vzi")
def vzi():
    """VZI medical technicians."""


@vzi.command("import-cpd")
@click.argument("employee_number")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="check every row, write nothing")
@click.option("--partial", is_flag=True, help="write the good rows even when some are rejected")
@with_appcontext
def import_cpd(employee_number, file, dry_run, partial):
    """Import CPD activities (CSV or XLSX: date,hours,title,category) for one person."""
    if db.session.scalar(select(Staff.id).where(Staff.employee_number == employee_number)) is None:
        raise click.ClickException(f"No staff with employee number {employee_number}.")
    run_import("cpd", file, dry_run=dry_run, partial=partial, fixed={"employee_number": employee_number})
