"""The ``bekwaam`` command group."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext

from core import __version__, create_app
from core.auth.models import ROLES


class BekwaamGroup(FlaskGroup):
    """FlaskGroup without Flask's own entry-point commands.

    Flask-Migrate registers a ``db`` group whose ``upgrade`` targets the single
    ``head``; our plugins each own a branch, so ours upgrades to ``heads``.
    """

    def _load_plugin_commands(self) -> None:
        self._loaded_plugin_commands = True

    def invoke(self, ctx):
        """A database that is away or not migrated is one error line, never a traceback."""
        from sqlalchemy.exc import DBAPIError

        try:
            return super().invoke(ctx)
        except DBAPIError as exc:
            # with_appcontext has popped its context by now; the loaded app is cached.
            with ctx.ensure_object(ScriptInfo).load_app().app_context():
                message = database_fault(exc)
            raise click.ClickException(message) from None


def database_fault(exc) -> str:
    """Why a command's database statement failed, in the operator's terms."""
    from core import health
    from core.extensions import db

    where = current_app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the answer below is what matters
        pass
    missing = health.missing_heads()
    if missing is None:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return f"the database cannot be reached ({where}): {first}"
    if missing:
        return f"the database is not migrated ({', '.join(missing)} missing): run `bekwaam db upgrade` first."
    return f"the database refused the statement: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}"


def _cli_app():
    # Commands never serve pages, except the demo (which may): a throwaway
    # session key is fine here, where a served app refuses to start without one.
    return create_app({"BEKWAAM_THROWAWAY_SECRET_KEY": True})


# No `run`: the dev server would serve without BEKWAAM_SECRET_KEY; gunicorn or `bekwaam demo` serve.
cli = BekwaamGroup(create_app=_cli_app, add_default_commands=False, add_version_option=False,
                   help="Bekwaam: bevoegd en bekwaam voor medische technologie.")
cli.add_command(shell_command)
cli.add_command(routes_command)
cli = click.version_option(__version__, "--version", prog_name="bekwaam", message="%(prog)s %(version)s")(cli)


@cli.group()
def db():
    """Create or migrate the database (Alembic)."""


@db.command("upgrade")
@click.argument("revision", default="heads")
@with_appcontext
def db_upgrade(revision):
    """Migrate to the newest revision of the core and every enabled plugin."""
    from flask_migrate import upgrade

    upgrade(revision=revision)
    click.echo(f"Database at {revision}: {current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")


@db.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision):
    """Go back to REVISION ('base' removes every table)."""
    from flask_migrate import downgrade

    downgrade(revision=revision)


@db.command("current")
@with_appcontext
def db_current():
    from flask_migrate import current

    current()


@db.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--head", default="core@head", show_default=True, help="branch to extend, e.g. leidraad@head")
@click.option("--version-path", default=None, help="the branch's versions directory")
@with_appcontext
def db_revision(message, head, version_path):
    """Autogenerate a revision on one branch (developers)."""
    from flask_migrate import revision

    revision(message=message, autogenerate=True, head=head, version_path=version_path)


@cli.group()
def users():
    """Manage users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", default=None, help="for web login (at least 12 characters, not a common password, not containing the e-mail name)")
@click.option("--token", is_flag=True, help="print a new API token on the last line")
@click.option("--staff", "staff_number", default=None, help="employee number of the person this user is")
@click.option("--department", "department_code", default=None, help="department code a manager manages")
@click.option("--locale", default="nl", type=click.Choice(["nl", "en"]))
@click.option("--expires-in-days", type=click.IntRange(1, 3650), default=90, show_default=True,
              help="lifetime of the --token")
@with_appcontext
def users_create(email, role, password, token, staff_number, department_code, locale, expires_in_days):
    """Create a user; with --token the token is the last line printed."""
    from core.audit.services import set_actor
    from core.auth.cli import cli_actor
    from core.auth.services import UserError, create_user, new_token
    from core.extensions import db as database

    set_actor(cli_actor())
    try:
        user = create_user(email, role, password, staff_number=staff_number,
                           department_code=department_code, locale=locale)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    secret = new_token(user, expires_in_days) if token else None
    database.session.commit()
    click.echo(f"Created {role} {user.email} (id {user.id}).")
    if secret:
        click.echo(secret)


@cli.command("plugins")
@with_appcontext
def plugins_command():
    """List the installed plugins, their versions and whether they are enabled."""
    from core.plugins import describe

    rows = describe(current_app.extensions["bekwaam_plugins"], current_app.config["BEKWAAM_DISABLED_PLUGINS"])
    width = max((len(r["name"]) for r in rows), default=4)
    for row in rows:
        click.echo(f"{row['name']:<{width}}  {row['version']:<8}  {'enabled' if row['enabled'] else 'disabled'}")


@cli.command("demo")
@click.option("--serve/--no-serve", default=True, help="serve on http://127.0.0.1:5000 afterwards")
@click.option("--port", default=5000, show_default=True)
@click.option("--size", type=click.Choice(["small", "large"]), default="small", show_default=True,
              help="large: the synthetic 15,000-person hospital for benchmarks (empty database only)")
@click.option("--seed", default=2026, show_default=True, help="random seed of the large hospital")
@with_appcontext
def demo_command(serve, port, size, seed):
    """Upgrade the database, load a demo hospital, print the admin login and serve."""
    from flask_migrate import upgrade

    from core.demo import load_demo

    occupied = _not_a_demo_database()
    if occupied:
        # The demo admin has a published password: it must never land in a real database.
        raise click.ClickException(
            f"this database already holds data ({', '.join(occupied)}); the demo only loads into an empty "
            "database or its own. Point BEKWAAM_DATABASE_URL at a new one.")
    upgrade(revision="heads")
    if size == "large":
        from core.demo_large import load_large

        try:
            counts = load_large(seed=seed)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo("Large hospital generated: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    login = load_demo(with_data=size == "small")
    click.echo(f"Demo hospital loaded. Log in at http://127.0.0.1:{port}/login")
    click.echo(f"  e-mail:   {login['email']}")
    click.echo(f"  password: {login['password']}")
    click.echo(f"  API token (admin): {login['token']}")
    if serve:
        # Flask ignores app.run() inside its own CLI; serve with werkzeug directly.
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", port, current_app._get_current_object(), use_reloader=False, threaded=True)


def _not_a_demo_database() -> list[str]:
    """The instance tables holding rows, unless the database is empty or a demo's (the demo admin exists)."""
    from sqlalchemy import inspect, select

    from core.auth.models import User
    from core.dataio.backup import is_empty
    from core.demo import ADMIN_EMAIL
    from core.extensions import db as database

    if not inspect(database.engine).has_table("user_account"):
        return []  # never migrated: nothing there but what migrations will seed
    occupied = is_empty()
    if occupied and database.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is None:
        return occupied
    return []


def _add_feature_commands() -> None:
    from core.auth.cli import register as register_user_commands

    register_user_commands(users)  # list, deactivate, reactivate, reset-password, token, tokens, revoke-token
    from core.auth.cli import scim_group

    cli.add_command(scim_group)  # bekwaam scim token
    from core.evidence.cli import cmms_group

    cli.add_command(cmms_group)  # bekwaam cmms token | revoke
    from core.alerts.cli import alerts as alerts_group, scheduler as scheduler_command

    cli.add_command(alerts_group)  # bekwaam alerts run [--as-of YYYY-MM-DD]
    cli.add_command(scheduler_command)  # bekwaam scheduler
    from core.audit.cli import audit as audit_group

    cli.add_command(audit_group)  # bekwaam audit verify | head | prune
    from core.dataio.cli import COMMANDS as dataio_commands

    for command in dataio_commands:  # import, export, backup, restore, anonymise
        cli.add_command(command)


_add_feature_commands()


def main() -> None:
    cli.main(prog_name="bekwaam")


if __name__ == "__main__":  # python -m core.cli, e.g. from a source tree
    main()
