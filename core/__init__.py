"""Bekwaam: who is bevoegd and bekwaam for which medical technology.

``create_app`` is the only place an application is built; nothing happens at
import time.
"""
from __future__ import annotations

import os

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

__version__ = "0.1.0"

API_PREFIX = "/api/v1"
PUBLIC_API_PATHS = (f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs")


def _freeze_startup_objects() -> None:
    """Move what the app built at start-up out of the garbage collector's sight (``gc.freeze``).

    A server process holds ~200,000 long-lived objects (modules, SQLAlchemy's and
    the schemas' structures, catalogues); every full collection walked all of them,
    and a request that decides a thousand people triggers several: 25 ms a request
    of collector time in authorised-staff (benchmarks/RESULTS.md). They are never
    garbage; frozen, a collection only walks what requests made. Not under tests,
    which build many apps in one process.
    """
    import gc

    gc.collect()
    gc.freeze()


def create_app(config: dict | None = None) -> Flask:
    from core import config as settings
    from core.errors import BekwaamApi
    from core.extensions import babel, csrf, db, login, migrate
    from core.plugins import build_manager

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings.STATIC)
    try:
        app.config.update(settings.from_environment(app.instance_path))
    except settings.ConfigError as exc:
        refuse_to_start(str(exc))
    app.config.update(config or {})
    if "SQLALCHEMY_DATABASE_URI" in (config or {}):
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    _require_secret_key(app)
    if app.config.get("BEKWAAM_TRUSTED_PROXIES"):
        # Behind a reverse proxy the client address (login throttling) and the
        # scheme (Secure cookies, HSTS) come from its X-Forwarded-* headers.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["BEKWAAM_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _import_core_models()
    extra = app.config.get("BEKWAAM_EXTRA_PLUGINS", ())
    unknown = sorted(set(app.config["BEKWAAM_DISABLED_PLUGINS"]) - installed_plugin_names(extra))
    if unknown:
        refuse_to_start(f"BEKWAAM_DISABLED_PLUGINS names {', '.join(unknown)}, which is not an installed plugin "
                        f"(installed: {', '.join(sorted(installed_plugin_names(extra)))}).")
    pm = build_manager(disabled=app.config["BEKWAAM_DISABLED_PLUGINS"], extra=extra)
    app.extensions["bekwaam_plugins"] = pm
    # Every installed plugin, disabled ones too: their migrations still run (their tables
    # stay) and an import of a disabled plugin's kind is refused naming the plugin.
    installed = app.extensions["bekwaam_installed_plugins"] = build_manager(extra=extra)
    # The plugins' settings (``bekwaam_settings``): the environment's values or the defaults,
    # under what the caller set itself.
    try:
        defaults = settings.plugin_settings(item for result in installed.hook.bekwaam_settings() for item in result or ())
    except settings.ConfigError as exc:
        refuse_to_start(str(exc))
    app.config.update({key: value for key, value in defaults.items() if key not in (config or {})})

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    if _configure_alembic not in migrate.configure_callbacks:
        migrate.configure(_configure_alembic)
    # One Api per app: flask-smorest keeps the OpenAPI spec on the object, and a
    # shared one would describe whichever app was built last.
    api = BekwaamApi()
    api.init_app(app, spec_kwargs={"marshmallow_plugin": _marshmallow_plugin()})
    csrf.init_app(app)
    login.init_app(app)
    from core.auth import oidc
    oidc.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    from core import i18n
    i18n.install(app)

    _register_api(app, api, pm, csrf)
    _register_web(app, pm)
    for commands in pm.hook.bekwaam_cli_commands():
        for command in commands or ():
            app.cli.add_command(command)
    from core import compression
    compression.install(app)  # registered first, so it runs last: it compresses the final body
    _install_request_cycle(app)
    from core import headers
    headers.install(app)
    from core import health
    health.install(app)
    if not app.testing:
        _freeze_startup_objects()
    return app


# gunicorn's "worker failed to boot" status: its arbiter stops instead of
# starting the same failing worker again and again.
START_REFUSED = 3


def refuse_to_start(message: str) -> None:
    """One line on stderr and exit: a configuration fault is the operator's to fix, not a traceback."""
    import sys

    print(f"Error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(START_REFUSED)


def _require_secret_key(app) -> None:
    if app.config.get("SECRET_KEY"):
        return
    # Tests, and CLI commands that never serve pages (and the demo), may sign
    # with a throwaway key; a served app may not: each gunicorn worker would
    # pick its own and log users out at random.
    if app.config.get("TESTING") or app.config.get("BEKWAAM_THROWAWAY_SECRET_KEY"):
        import secrets

        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    refuse_to_start("BEKWAAM_SECRET_KEY is not set; set it to a long random value, the same on every server "
                    "(python -c 'import secrets; print(secrets.token_hex(32))').")


def installed_plugin_names(extra=()) -> set[str]:
    from importlib import metadata

    from core.plugins import GROUP

    return {ep.name for ep in metadata.entry_points(group=GROUP)} | {name for name, _ in extra}


def _marshmallow_plugin():
    from apispec.ext.marshmallow import MarshmallowPlugin
    from marshmallow import Schema

    def schema_name(schema):
        # PATCH bodies are partial variants of the same schema: inline them
        # instead of publishing near-duplicate components.
        if isinstance(schema, Schema) and (schema.partial or schema.only or schema.exclude):
            return None
        cls = schema if isinstance(schema, type) else type(schema)
        return cls.__name__.removesuffix("Schema")

    return MarshmallowPlugin(schema_name_resolver=schema_name)


def _import_core_models() -> None:
    # Importing registers the tables on the metadata (and the audit listeners).
    import core.alerts.models  # noqa: F401
    import core.audit.models  # noqa: F401
    import core.audit.services  # noqa: F401
    import core.auth.leavers  # noqa: F401 - locks the accounts of staff marked inactive
    import core.auth.models  # noqa: F401
    import core.competence.models  # noqa: F401
    import core.constants  # noqa: F401 - cache_version
    import core.dataio.models  # noqa: F401
    import core.devices.models  # noqa: F401
    import core.evidence.models  # noqa: F401
    import core.staff.models  # noqa: F401
    import core.storage.models  # noqa: F401
    import core.tvb.models  # noqa: F401
    import core.tvb.history  # noqa: F401 - records the TVB matrix history on every flush


def _configure_alembic(alembic_config):
    """Core revisions plus every installed plugin's own branch.

    Disabled plugins keep their tables: disabling switches behaviour off, it
    does not drop data, and re-enabling needs no migration.
    """
    from flask import current_app

    dirs = [os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "migrations", "versions"))]
    installed = current_app.extensions["bekwaam_installed_plugins"]
    for provided in installed.hook.bekwaam_migration_dirs():
        for directory in provided or ():
            if os.path.abspath(directory) not in dirs:
                dirs.append(os.path.abspath(directory))
    alembic_config.set_main_option("path_separator", "os")
    alembic_config.set_main_option("version_locations", os.pathsep.join(dirs))
    return alembic_config


def _register_api(app, api, pm, csrf) -> None:
    from core.alerts.api import blp as alerts_blp
    from core.audit.api import blp as audit_blp
    from core.auth.api import blp as users_blp
    from core.competence.api import blp as competence_blp
    from core.dataio.api import blp as dataio_blp
    from core.decision.api import blp as decision_blp
    from core.devices.api import blp as devices_blp
    from core.evidence.api import blp as evidence_blp
    from core.staff.api import blp as staff_blp
    from core.tvb.api import blp as tvb_blp

    blueprints = [staff_blp, devices_blp, competence_blp, tvb_blp, decision_blp, audit_blp, alerts_blp, dataio_blp,
                  users_blp, evidence_blp]
    from core.plugins import by_plugin

    for name, provided in by_plugin(pm, "bekwaam_api_blueprints"):
        for blp in provided or ():
            # A plugin owns its namespace and nothing else.
            if blp.name != name or not (blp.url_prefix or "").startswith(API_PREFIX + "/"):
                raise RuntimeError(
                    f"Plugin {name}: API blueprint '{blp.name}' must be named '{name}' "
                    f"and live under {API_PREFIX}/ (url_prefix {blp.url_prefix!r})."
                )
            blueprints.append(blp)
    from core.auth.routes import add_blueprint

    for blp in blueprints:
        add_blueprint(app, blp, blp.name)
        api.register_blueprint(blp)
        csrf.exempt(blp)  # the API takes bearer tokens only, never the session cookie


def _register_web(app, pm) -> None:
    from core.auth.scim_api import blp as scim_blp
    from core.extensions import csrf
    from core.web import register as register_web

    register_web(app, pm)
    from core.evidence.web import blp as evidence_web
    from core.web.errors import add_page_blueprint
    app.register_blueprint(evidence_web)
    add_page_blueprint(app, evidence_web.name)  # the scan page, the calendar feeds and the PDFs a browser asks for
    # The maintenance system's competence check: its own key, no cookies, so no CSRF.
    from core.evidence.cmms import blp as cmms_blp
    app.register_blueprint(cmms_blp)
    csrf.exempt(cmms_blp)
    # The identity system's provisioning endpoint: its own bearer token, no cookies, so no CSRF.
    app.register_blueprint(scim_blp)
    csrf.exempt(scim_blp)


LANGUAGES = ("nl", "en")


def _select_locale():
    """The page's language: the switch's choice in this browser session, else the language stored
    on the signed-in user (set by the switch, kept over logins; "nl" for a new account, also one
    that single sign-on or SCIM creates), else the browser's Accept-Language, else Dutch."""
    from flask import has_request_context, request, session
    from flask_login import current_user

    if not has_request_context():
        return "nl"
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def _install_request_cycle(app) -> None:
    from core.audit import access
    from core.audit.services import set_actor
    from core.auth.services import bearer_user
    from core.errors import abort
    from core.extensions import db, login

    @login.user_loader
    def load_user(user_id):
        # The cookie alone proves nothing: the server-side session must be
        # open and not idle, and the account active and not a leaver's.
        from flask import session

        from core.auth import sessions
        from core.auth.models import User
        from core.auth.services import may_sign_in
        user = db.session.get(User, int(user_id))
        if not may_sign_in(user) or sessions.current(session.get(sessions.SESSION_KEY), user.id) is None:
            return None
        return user

    @app.before_request
    def authenticate():
        if request.path.startswith(API_PREFIX):
            if request.path.startswith(PUBLIC_API_PATHS):
                return None
            user = bearer_user(request.headers.get("Authorization"))
            if user is None:
                abort(401, message="A valid bearer token is required (Authorization: Bearer <token>).")
            if user.role == "auditor" and request.method not in ("GET", "HEAD", "OPTIONS"):
                abort(403, message="An auditor reads everything and writes nothing.")
            g.user = user
            set_actor(user)
            _check_route(user)
        else:
            from flask_login import current_user
            if current_user.is_authenticated:
                g.user = current_user._get_current_object()
                set_actor(g.user)
                _check_route(g.user)
        return None

    def _check_route(user):
        from core.auth.routes import PUBLIC, allowed

        if request.url_rule is None:  # no such route: routing answers 404/405 itself
            return
        roles = allowed(request.endpoint, request.method)
        if roles is PUBLIC:
            return
        if roles is None:
            abort(403, message=f"No role may use {request.method} {request.url_rule.rule} yet "
                               "(it has no entry in the access table).")
        if user.role not in roles:
            abort(403, message=f"Role '{user.role}' may not do this.")
        staff_id = (request.view_args or {}).get("staff_id")
        if staff_id is not None:
            _check_person(user, staff_id)

    def _check_person(user, staff_id):
        # Before the body is read: someone outside the person's department is
        # told nothing about them, and never a 422 about data they may not send.
        from core.auth.permissions import may_edit_staff
        from core.auth.visibility import visible_staff

        staff = visible_staff(user, staff_id)
        # Held for the request: the session's identity map keeps rows only while
        # someone refers to them, and the view reads the same person again.
        g.checked_staff = staff
        if request.method not in ("GET", "HEAD", "OPTIONS") and user.role == "manager" \
                and not may_edit_staff(user, staff):
            abort(403, message="This person is outside your department.")

    @app.after_request
    def commit(response):
        # Services flush; the request commits once, and only on success.
        if response.status_code < 400:
            access.write(db.session, response.status_code)  # NEN 7513: one INSERT per request
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.errorhandler(IntegrityError)
    def integrity_error(exc):
        # Pre-checks give the friendly message; this catches the race between
        # two requests, so a duplicate is never a 500.
        db.session.rollback()
        return {"code": 409, "status": "Conflict",
                "message": "The change conflicts with existing data (a duplicate or a missing reference)."}, 409


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL is crash-safe (no corruption); it skips an fsync per commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
