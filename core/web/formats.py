"""Dates and numbers as the reader writes them: one set of Jinja filters for every page (core and plugins).

``|datum`` -> ``30-11-2026`` for a Dutch reader (``30 Nov 2026`` for an English one),
``|datumtijd`` the same with the time in the hospital's time zone, ``|getal`` a number
with a decimal comma and thousands points (``1.234,5``; ``|getal(2)`` always two
decimals, as hours are kept). Babel does the formatting in the reader's locale (the
user's language, ``core.__init__._select_locale``). An input's ``value`` stays ISO:
that is what ``<input type="date">`` reads, whatever language it shows.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal, get_locale

DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}
DATETIME_PATTERNS = {"nl": "dd-MM-yyyy HH:mm", "en": "d MMM yyyy HH:mm"}
EMPTY = "–"


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "nl"


def datum(value) -> str:
    """A day: ``30-11-2026``; a datetime is shown as its day in the hospital's time zone."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    pattern = DATE_PATTERNS.get(_language(), DATE_PATTERNS["nl"])
    if isinstance(value, dt.datetime):
        return format_datetime(value, pattern)
    return format_date(value, pattern)


def datumtijd(value) -> str:
    """A moment (tz-aware UTC in the database) in the hospital's time zone: ``30-11-2026 14:05``."""
    if value is None:
        return EMPTY
    if not isinstance(value, dt.datetime):
        return datum(value)
    return format_datetime(value, DATETIME_PATTERNS.get(_language(), DATETIME_PATTERNS["nl"]))


def getal(value, places: int | None = None) -> str:
    """``Decimal("1234.5")`` -> ``1.234,5``; with ``places`` exactly that many decimals (``1.234,50``)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        value = Decimal(value)
    pattern = "#,##0" + ("." + "0" * places if places else "") if places is not None else "#,##0.##########"
    return format_decimal(value, format=pattern)


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dagen(text) -> str:
    """A text made elsewhere (an alert, a shortfall) with its ISO days as a Dutch reader writes them.

    Alerts are stored with their text; older rows carry ``2026-11-30``. Only for a Dutch reader.
    """
    if text is None:
        return ""
    if _language() != "nl":
        return str(text)
    return ISO_DAY.sub(r"\3-\2-\1", str(text))


def register(app) -> None:
    """The filters, once, for every template of the app (the core's and the plugins' alike)."""
    app.add_template_filter(datum, "datum")
    app.add_template_filter(datumtijd, "datumtijd")
    app.add_template_filter(getal, "getal")
    app.add_template_filter(dagen, "dagen")
