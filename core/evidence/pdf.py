"""HTML to PDF with WeasyPrint: the documents are Jinja templates, printed with page numbers."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, render_template

from core.evidence import texts


def local_time(moment: dt.datetime, lang: str) -> str:
    """A UTC moment in the hospital's time zone (BEKWAAM_TIMEZONE), with the zone named."""
    zone = ZoneInfo(str(current_app.config.get("BEKWAAM_TIMEZONE") or "Europe/Amsterdam"))
    local = moment.astimezone(zone)
    shown = local.strftime("%d-%m-%Y %H:%M") if lang == "nl" else local.strftime("%Y-%m-%d %H:%M")
    return f"{shown} ({zone.key})"


def render(template: str, lang: str, **context) -> bytes:
    from weasyprint import HTML  # imported here: loading pango costs time the other requests need not pay

    html = render_template(template, lang=lang, L=lambda key: texts.label(key, lang),
                           day=lambda value: texts.day(value, lang),
                           pick=lambda table, key: texts.pick(getattr(texts, table), key, lang),
                           reason_text=lambda reason: texts.reason_text(reason, lang), **context)
    # No base URL: the templates carry their own CSS and fetch nothing.
    return HTML(string=html).write_pdf()
