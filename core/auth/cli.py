"""``bekwaam users list|deactivate|reactivate|reset-password|token|tokens|revoke-token``.

USER is an id or an e-mail address. Every change is in the audit trail with
the actor ``cli:<operating-system user>``.
"""
from __future__ import annotations

import getpass
from types import SimpleNamespace

import click
from flask.cli import with_appcontext

from core.auth.services import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, UserError


def cli_actor() -> SimpleNamespace:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        name = "unknown"
    return SimpleNamespace(id=None, email=f"cli:{name}")


def _act(change):
    """Run a change as the CLI actor and commit it; a refused change is one error line."""
    from core.audit.services import set_actor
    from core.extensions import db

    set_actor(cli_actor())
    try:
        result = change()
    except UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    return result


def _day(value) -> str:
    return value.date().isoformat() if value else "never"


def register(users: click.Group) -> None:
    for command in (list_users, deactivate, reactivate, reset_password, token, list_tokens, revoke_token):
        users.add_command(command)


@click.command("list")
@click.option("--all", "show_all", is_flag=True, help="include deactivated users")
@with_appcontext
def list_users(show_all):
    """The users: id, e-mail, role, active, active tokens."""
    from core.auth import admin

    for user in admin.users(active=None if show_all else True):
        live = sum(admin.token_state(t) == "active" for t in admin.tokens(user))
        click.echo(f"{user.id:>5}  {user.email:<40}  {user.role:<10}  "
                   f"{'active' if user.active else 'inactive':<8}  {live} token(s)")


@click.command("deactivate")
@click.argument("user")
@with_appcontext
def deactivate(user):
    """Block USER's web login and every API token (nothing is deleted)."""
    from core.auth import admin

    row = _act(lambda: admin.deactivate(admin.user_by_key(user)))
    click.echo(f"Deactivated {row.email}.")


@click.command("reactivate")
@click.argument("user")
@with_appcontext
def reactivate(user):
    """Let USER log in again (their unexpired, unrevoked tokens work again)."""
    from core.auth import admin

    row = _act(lambda: admin.reactivate(admin.user_by_key(user)))
    click.echo(f"Reactivated {row.email}.")


@click.command("reset-password")
@click.argument("user")
@click.option("--password", default=None, help="the new password (at least 12 characters, not a common password, not containing the e-mail name); default: generated")
@with_appcontext
def reset_password(user, password):
    """Set a new password; a generated one is printed on the last line."""
    from core.auth import admin

    new = _act(lambda: admin.reset_password(admin.user_by_key(user), password))
    click.echo("Password changed.")
    if not password:
        click.echo(new)


@click.command("token")
@click.argument("user")
@click.option("--expires-in-days", type=click.IntRange(1, MAX_TOKEN_DAYS), default=DEFAULT_TOKEN_DAYS,
              show_default=True)
@with_appcontext
def token(user, expires_in_days):
    """Issue an API token for USER; the token is the last line printed (shown once)."""
    from core.auth import admin
    from core.auth.services import issue_token

    secret, row = _act(lambda: issue_token(admin.user_by_key(user), expires_in_days))
    click.echo(f"Token {row.id} expires on {_day(row.expires_at)}.")
    click.echo(secret)


@click.command("tokens")
@click.argument("user")
@with_appcontext
def list_tokens(user):
    """USER's tokens: id, issued, expires, state (the tokens themselves are never stored)."""
    from core.auth import admin

    for row in admin.tokens(_user(user)):
        click.echo(f"{row.id:>5}  issued {_day(row.created_at)}  expires {_day(row.expires_at):<10}  "
                   f"{admin.token_state(row)}")


def _user(key):
    from core.auth import admin

    try:
        return admin.user_by_key(key)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("revoke-token")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token(token_id):
    """Revoke token TOKEN_ID (see `bekwaam users tokens USER`)."""
    from core.auth import admin

    row = _act(lambda: admin.revoke_token(token_id))
    click.echo(f"Revoked token {row.id}.")


@click.group("scim")
def scim_group():
    """Provisioning by the hospital's identity system (SCIM 2.0 at /scim/v2)."""


@scim_group.command("token")
@click.option("--expires-in-days", type=click.IntRange(1, MAX_TOKEN_DAYS), default=365, show_default=True)
@with_appcontext
def scim_token(expires_in_days):
    """Issue the provisioning token (earlier ones stop working); the token is the last line printed."""
    from core.auth import scim

    secret, row = _act(lambda: scim.issue_token(expires_in_days))
    click.echo(f"SCIM token {row.id} expires on {_day(row.expires_at)}; earlier SCIM tokens are revoked.")
    click.echo(secret)
