"""``bekwaam big verify``: check every KT's entry against the public BIG register."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("big")
def big():
    """Klinisch technoloog (BIG)."""


@big.command("verify")
@with_appcontext
def verify():
    """Compare each local BIG entry with the public register and record the outcome."""
    from core.extensions import db
    from plugins.big_kt.services import verify_all

    summary = verify_all()
    db.session.commit()
    for row in summary["results"]:
        line = f"staff {row.staff_id}: {row.outcome}"
        if row.outcome == "different":
            line += " (" + ", ".join(d["field"] for d in row.differences) + ")"
        elif row.outcome == "error":
            line += f" ({row.message})"
        click.echo(line)
    click.echo(f"Checked {summary['checked']}: {summary['ok']} ok, {summary['different']} different, "
               f"{summary['error']} error.")
    # A cron job or monitor must see that a check failed, not only read it.
    if summary["different"] or summary["error"]:
        raise click.ClickException(f"{summary['different'] + summary['error']} of {summary['checked']} "
                                   "BIG entries did not match the register or could not be checked.")
