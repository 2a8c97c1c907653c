"""``bekwaam audit verify | head | prune``: check and anchor the hash chains."""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext


def _tables():
    from core.audit.models import AccessLogEntry, AuditEntry

    # The access log loses its oldest rows to retention; the audit trail never does.
    return [(AuditEntry.__table__, False), (AccessLogEntry.__table__, True)]


@click.group()
def audit():
    """The audit trail and the NEN 7513 access log."""


@audit.command("verify")
@with_appcontext
def verify_command():
    """Recompute both hash chains; exit 1 naming the first row changed, inserted or removed."""
    from core.audit.chain import verify
    from core.extensions import db

    failed = False
    for table, pruned in _tables():
        count, problem = verify(db.session.connection(), table, pruned=pruned)
        if problem is None:
            click.echo(f"{table.name}: {count} rows, chain intact.")
        else:
            click.echo(f"Error: {problem.message}", err=True)
            failed = True
    if failed:
        raise SystemExit(1)


@audit.command("head")
@with_appcontext
def head_command():
    """Print each chain's last id and hash, for an anchor outside the database."""
    from core.audit.chain import head
    from core.extensions import db

    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for table, _ in _tables():
        last_id, last_hash = head(db.session.connection(), table)
        click.echo(f"{now} bekwaam {table.name} head id={last_id} sha256={last_hash}")


@audit.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="keep this many days (default BEKWAAM_ACCESS_LOG_RETENTION_DAYS)")
@with_appcontext
def prune_command(days):
    """Remove access-log rows older than the retention period."""
    from core.audit.access import prune
    from core.extensions import db

    removed = prune(days)
    db.session.commit()
    click.echo(f"access_log: {removed} rows older than the retention period removed.")
