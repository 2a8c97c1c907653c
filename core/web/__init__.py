"""Server-rendered pages (Jinja + htmx); plugins add theirs through hooks.

A plugin's web blueprint is named after the plugin; it is registered as
``<plugin>_web`` because the plugin's API blueprint already holds the plugin's
name in Flask, so its endpoints are ``<plugin>_web.<view>``. Its routes need a
login like the core's pages (unless its ``bekwaam_access`` makes them public),
and its errors are pages. Navigation entries come from ``bekwaam_nav_entries``.
"""
from __future__ import annotations

from flask import g, request, url_for


def register(app, pm) -> None:
    from core.auth.routes import PUBLIC, add_blueprint, allowed
    from core.web import views  # noqa: F401 - adds the routes to the blueprint
    from core.web.blueprint import blp
    from core.web.access import login_required_response
    from core.web.errors import install as install_errors

    app.register_blueprint(blp)
    plugin_pages = set()
    from core.plugins import by_plugin

    for name, provided in by_plugin(pm, "bekwaam_web_blueprints"):
        for web_blp in provided or ():
            if web_blp.name != name:
                raise RuntimeError(f"Plugin {name}: web blueprint must be named '{name}', not '{web_blp.name}'.")
            app.register_blueprint(web_blp, name=f"{name}_web")
            add_blueprint(app, web_blp, f"{name}_web")
            plugin_pages.add(f"{name}_web")
    install_errors(app, {"web", *plugin_pages})
    from core.web import audit_readable, charts, formats
    formats.register(app)
    charts.register(app)
    app.add_template_global(audit_readable.readable, "audit_rows")
    app.add_template_global(audit_readable.table_label, "table_label")

    @app.before_request
    def plugin_page_guard():
        # The core's pages have their own guard (core.web.access); a plugin's pages get the same door.
        if request.blueprint not in plugin_pages or allowed(request.endpoint, request.method) is PUBLIC:
            return None
        return login_required_response()

    @app.context_processor
    def plugin_nav():
        def entries():
            from core.plugins_runtime import nav_entries

            viewer = getattr(g, "user", None)
            if viewer is None:
                return []
            return [(str(entry.label), url_for(entry.endpoint, **entry.values)) for entry in nav_entries(viewer)]
        return {"plugin_nav": entries}
