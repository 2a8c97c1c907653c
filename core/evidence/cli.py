"""``bekwaam cmms token | revoke``: the maintenance system's key for the competence check."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("cmms")
def cmms_group():
    """The maintenance system (CMMS) competence check at /integrations/cmms/v1."""


@cmms_group.command("token")
@click.option("--label", default=None, help="which system holds the key, e.g. Ultimo")
@with_appcontext
def cmms_token(label):
    """Issue a key for the CMMS; the key is the last line printed (only its hash is kept)."""
    from core.auth.cli import _act
    from core.evidence import cmms

    secret, row = _act(lambda: cmms.issue(label=label))
    click.echo(f"CMMS key {row.id} issued{f' for {label}' if label else ''}; it reaches the competence check only.")
    click.echo(secret)


@cmms_group.command("revoke")
@click.argument("key_id", type=int)
@with_appcontext
def cmms_revoke(key_id):
    """Revoke a CMMS key by its id: it stops working at once."""
    from core.auth.cli import _act
    from core.evidence.models import EvidenceToken
    from core.extensions import db

    def change():
        row = db.session.get(EvidenceToken, key_id)
        if row is None or row.kind != "cmms":
            raise click.ClickException(f"No CMMS key with id {key_id}.")
        from core.evidence.calendar import revoke
        revoke(row)

    _act(change)
    click.echo(f"CMMS key {key_id} revoked.")
