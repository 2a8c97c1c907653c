"""Server-rendered pages (Jinja + htmx); plugins add theirs through a hook."""
from __future__ import annotations


def register(app, pm) -> None:
    from core.web.views import blp

    app.register_blueprint(blp)
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        for web_blp in getattr(plugin, "bekwaam_web_blueprints", lambda: [])() or []:
            if web_blp.name != name:
                raise RuntimeError(f"Plugin {name}: web blueprint must be named '{name}', not '{web_blp.name}'.")
            app.register_blueprint(web_blp)
