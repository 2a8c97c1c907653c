"""Server-rendered pages (Jinja + htmx); plugins add theirs through a hook.

A plugin's web blueprint is named after the plugin; it is registered as
``<plugin>_web`` because the plugin's API blueprint already holds the plugin's
name in Flask, so its endpoints are ``<plugin>_web.<view>``. If it sets
``nav_label`` (a string, or a lazy gettext string) it gets an entry in the
navigation, pointing at ``nav_endpoint`` (default ``"<plugin>_web.index"``).
"""
from __future__ import annotations

from flask import url_for


def register(app, pm) -> None:
    from core.auth.routes import add_blueprint
    from core.web import views  # noqa: F401 - adds the routes to the blueprint
    from core.web.blueprint import blp
    from core.web.errors import install as install_errors

    app.register_blueprint(blp)
    nav = []
    from core.plugins import by_plugin

    for name, provided in by_plugin(pm, "bekwaam_web_blueprints"):
        for web_blp in provided or ():
            if web_blp.name != name:
                raise RuntimeError(f"Plugin {name}: web blueprint must be named '{name}', not '{web_blp.name}'.")
            app.register_blueprint(web_blp, name=f"{name}_web")
            add_blueprint(app, web_blp, f"{name}_web")
            label = getattr(web_blp, "nav_label", None)
            if label:
                nav.append((label, getattr(web_blp, "nav_endpoint", None) or f"{name}_web.index"))
    app.extensions["bekwaam_web_nav"] = nav
    install_errors(app)

    @app.context_processor
    def plugin_nav():
        def entries():
            return [(str(label), url_for(endpoint)) for label, endpoint in app.extensions.get("bekwaam_web_nav", ())]
        return {"plugin_nav": entries}
