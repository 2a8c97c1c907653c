"""``bekwaam import / export / backup / restore / anonymise``.

The lead registers these on the ``bekwaam`` group (``COMMANDS``).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from types import SimpleNamespace

import click
from flask.cli import with_appcontext


SYSTEM = SimpleNamespace(id=None, role="admin", email="cli", staff_id=None, department_id=None)


def _open(path: str, mode: str, **kwargs):
    """open(), with a missing folder or a refused file as one error line instead of a traceback."""
    try:
        return open(path, mode, **kwargs)
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file or folder"
                                   + (" (create the folder first)." if "w" in mode else ".")) from None
    except IsADirectoryError:
        raise click.ClickException(f"{path} is a folder; give a file name.") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror or exc}.") from None


@click.command("import")
@click.argument("kind")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="check and report, write nothing")
@click.option("--partial", is_flag=True, help="write the good rows even when some are rejected")
@click.option("--mapping", "mapping_name", default=None, help="name of a saved column mapping")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None,
              help="write the full report (every row) as JSON to this file")
@with_appcontext
def import_command(kind, file, dry_run, partial, mapping_name, report_file):
    """Import FILE (CSV or XLSX) as KIND: staff, devices, device-types, competences, or an enabled plugin's kind."""
    run_import(kind, file, dry_run=dry_run, partial=partial, mapping_name=mapping_name, report_file=report_file)


def run_import(kind: str, file: str, *, dry_run: bool, partial: bool, mapping_name: str | None = None,
               report_file: str | None = None, fixed: dict | None = None) -> None:
    """The one import of the command line: ``bekwaam import KIND`` and a plugin's alias
    (``fixed``: values every row gets, e.g. the one person of a per-person import)."""
    from sqlalchemy import select

    from core.audit.services import set_actor
    from core.auth.cli import cli_actor
    from core.dataio import importers
    from core.dataio.models import ImportMapping
    from core.dataio.readers import FileError, open_table
    from core.extensions import db

    try:
        spec = importers.kind_of(kind)
    except importers.PluginDisabled as exc:
        click.echo(f"Skipped: {exc}")
        return
    except FileError as exc:
        raise click.ClickException(str(exc)) from None
    saved = None
    if mapping_name:
        saved = db.session.scalar(select(ImportMapping).where(ImportMapping.name == mapping_name))
        if saved is None or saved.kind != kind:
            raise click.ClickException(f"No saved mapping '{mapping_name}' for {kind}.")
    set_actor(cli_actor())
    try:
        with _open(file, "rb") as stream:
            report = importers.run(spec, open_table(stream, file), dry_run=dry_run, partial=partial,
                                   saved_columns=saved.columns if saved else None, mapping_name=mapping_name,
                                   fixed=fixed)
    except FileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if report.written:
        db.session.commit()
    else:
        db.session.rollback()
    for row in report.rows:
        if row.status == "rejected":
            click.echo(f"line {row.line}: rejected: {' '.join(row.reasons)}")
    if report_file:
        with _open(report_file, "w", encoding="utf-8") as out:
            json.dump(report.as_dict(), out, ensure_ascii=False, indent=1)
    click.echo(report.summary())
    if not report.ok:
        raise click.ClickException("rows were rejected; " + ("a real run would write nothing" if dry_run else
                                   "nothing was written") + " (--partial writes the good rows)")


@click.command("export")
@click.argument("what")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--filter", "filters", multiple=True, metavar="NAME=VALUE", help="a list filter, e.g. active=true")
@click.option("--sep", type=click.Choice([",", ";"]), default=",", show_default=True)
@with_appcontext
def export_command(what, file, filters, sep):
    """Export a list (or the competence matrix) to FILE; .xlsx or .csv by its extension."""
    from marshmallow import ValidationError

    from core.dataio import exports

    if what not in exports.kinds():
        raise click.ClickException(f"nothing to export as '{what}': one of {', '.join(sorted(exports.kinds()))}.")
    given = {}
    for item in filters:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise click.ClickException(f"bad filter {item!r}: write NAME=VALUE, e.g. active=true.")
        given[name.strip()] = value
    # The API ignores unknown query parameters; on the command line a misspelt
    # filter would silently export everything, so it is refused.
    known = exports.filter_names(what)
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise click.ClickException(f"unknown filter {', '.join(unknown)} for {what}; "
                                   f"known: {', '.join(known) or 'none'}.")
    try:
        args = exports.parse_filters(what, given)
    except ValidationError as exc:
        raise click.ClickException("bad filter: " + "; ".join(
            f"{field}: {' '.join(map(str, messages))}" for field, messages in exc.normalized_messages().items())) from exc
    sheet = exports.build(what, SYSTEM, args)
    if file.lower().endswith(".xlsx"):
        data = exports.to_xlsx(sheet)
        with _open(file, "wb") as out:
            out.write(data)
    else:
        with _open(file, "w", encoding="utf-8", newline="") as out:
            out.writelines(exports.to_csv(sheet, sep))
    click.echo(f"Exported {what} to {file}.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(file):
    """Write the whole instance to FILE (JSON); '-' writes to standard output."""
    from core.dataio import backup

    if file == "-":
        backup.write_backup(sys.stdout)
        return
    with _open(file, "w", encoding="utf-8") as out:
        backup.write_backup(out)
    click.echo(f"Backup written to {file}.", err=True)


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(file):
    """Load a backup FILE into this (migrated, empty) database."""
    from core.dataio import backup
    from core.extensions import db

    with _open(file, "rb") as stream:
        try:
            document = json.load(stream)
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
            raise click.ClickException(f"{file} is not a Bekwaam backup (not JSON: {exc}).") from None
    if not isinstance(document, dict):
        raise click.ClickException(f"{file} is not a Bekwaam backup (not a JSON object).")
    from core.audit.services import record
    from core.auth.cli import cli_actor

    try:
        counts = backup.restore(document)
    except backup.RestoreError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    # After the restored trail, so the entry continues its chain.
    record(db.session, "restore", "backup", actor=cli_actor(),
           after={"file": str(file)[:200], "exported_at": document.get("exported_at"), "rows": counts})
    db.session.commit()
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables.")


@click.command("anonymise")
@click.option("--dry-run", is_flag=True, help="list who is due, change nothing")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="default today")
@with_appcontext
def anonymise_command(dry_run, as_of):
    """Anonymise staff who left more than BEKWAAM_RETENTION_YEARS (default 2) ago."""
    from core.dataio import privacy
    from core.extensions import db

    from core.audit.services import set_actor
    from core.auth.cli import cli_actor

    set_actor(cli_actor())
    day = as_of.date() if as_of else dt.date.today()
    result = privacy.anonymise(day, privacy.retention_years(), dry_run=dry_run)
    db.session.commit()
    verb = "due" if dry_run else "anonymised"
    click.echo(f"{result['count']} {verb} (left on or before {result['left_on_or_before']}); "
               f"staff ids: {', '.join(map(str, result['staff_ids'])) or '-'}")


COMMANDS = (import_command, export_command, backup_command, restore_command, anonymise_command)
