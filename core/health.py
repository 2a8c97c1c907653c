"""Liveness, readiness, and what a request gets while the database is away.

``/healthz`` answers without touching the database (a load balancer restarts
a process that fails it); ``/readyz`` answers 200 only when the database is
reachable and every installed branch (core and each enabled plugin) is at its
head, so a server is put in rotation only after ``bekwaam db upgrade``.
"""
from __future__ import annotations

from flask import current_app, request
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from core.extensions import db

_DOWN_HTML = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>503 · Bekwaam</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>Tijdelijk niet beschikbaar</h1>
<p>De database van Bekwaam is op dit moment niet bereikbaar. Probeer het over een paar minuten opnieuw.</p>
<hr>
<h2 lang="en">Temporarily unavailable</h2>
<p lang="en">Bekwaam's database cannot be reached right now. Please try again in a few minutes.</p>
</body></html>
"""
DOWN_MESSAGE = "The database cannot be reached; try again in a few minutes. (De database is niet bereikbaar.)"


def install(app) -> None:
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)
    # A lost connection is the operator's problem, not the user's input: 503, never a 500.
    app.register_error_handler(OperationalError, database_down)


def healthz():
    return {"status": "ok"}


def readyz():
    problems = missing_heads()
    if problems is None:
        return {"status": "unavailable", "database": "unreachable", "message": DOWN_MESSAGE}, 503
    if problems:
        return {"status": "unavailable", "database": "reachable",
                "message": "The database is not migrated: run `bekwaam db upgrade`.",
                "missing": problems}, 503
    return {"status": "ready", "database": "reachable", "migrations": "at head"}


def expected_heads(app=None) -> dict[str, str]:
    """{head revision: branch} of the core and every enabled plugin (scripts do not change while running)."""
    app = app or current_app._get_current_object()
    cached = app.extensions.get("bekwaam_heads")
    if cached is None:
        from alembic.script import ScriptDirectory

        scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        disabled = set(app.config["BEKWAAM_DISABLED_PLUGINS"])
        cached = {}
        for head in scripts.get_revisions("heads"):
            # Alembic gives every revision of a branch its base's label.
            branch = sorted(head.branch_labels)[0] if head.branch_labels else head.revision
            if branch not in disabled:
                cached[head.revision] = branch
        # A plugin revision that depends on the core's newest one hides it from "heads".
        core_head = scripts.get_revision("core@head")
        cached.setdefault(core_head.revision, "core")
        app.extensions["bekwaam_heads"] = cached
    return cached


def missing_heads() -> list[str] | None:
    """The branches whose head the database lacks; None when the database cannot be reached."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            try:
                present = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
            except DBAPIError:
                present = set()
    except DBAPIError:
        return None
    applied = _with_ancestors(present)
    return sorted(f"{branch} ({revision})" for revision, branch in expected_heads().items()
                  if revision not in applied)


def _with_ancestors(present: set[str]) -> set[str]:
    """Every revision the stored heads stand on (down revisions and ``depends_on``):
    Alembic stores only the heads, and a dependency of a plugin head is not one."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    seen: set[str] = set()
    stack = list(present)
    while stack:
        name = stack.pop()
        try:
            revision = scripts.get_revision(name)
        except Exception:  # noqa: BLE001 - a revision of a disabled or removed plugin
            continue
        if revision is None or revision.revision in seen:
            continue
        seen.add(revision.revision)
        for down in (*_as_tuple(revision.down_revision), *_as_tuple(revision.dependencies)):
            stack.append(down)
    return seen


def _as_tuple(value) -> tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def database_down(exc):
    current_app.logger.error("Database unreachable: %s", str(exc).splitlines()[0] if str(exc) else exc)
    try:
        db.session.rollback()
    except DBAPIError:
        pass
    headers = {"Retry-After": "30"}
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"code": 503, "status": "Service Unavailable", "message": DOWN_MESSAGE}, 503, headers
    return _DOWN_HTML, 503, {**headers, "Content-Type": "text/html; charset=utf-8"}
