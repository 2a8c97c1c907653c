"""A plugin's panels on a core page: rendered here, placed by the page's template."""
from __future__ import annotations

from markupsafe import Markup, escape
from flask import render_template

from core.contract import Panel


def rendered(panels: list[Panel], **page) -> list[tuple[Panel, Markup]]:
    """Each panel with its HTML: its template gets the page's variables and the panel's context.

    ``html`` that is not ``Markup`` is escaped: a plugin marks what it has escaped itself.
    """
    out = []
    for panel in panels:
        if panel.template is not None:
            body = Markup(render_template(panel.template, **{**page, **panel.context}))
        else:
            body = panel.html if isinstance(panel.html, Markup) else escape(panel.html)
        out.append((panel, body))
    return out
