"""``AlertEvent.key`` written in SQL, so a query can skip what earlier nights stored.

Most of a night's events were stored on an earlier night: a competence keeps
the same key every day until it crosses the next horizon. Building tens of
thousands of events (with two messages each) only for ``store`` to find their
keys already there was most of the nightly run (the large-hospital benchmarks, benchmarks/RESULTS.md). A source query that
computes the key next to its row can leave those rows out with one probe of
the unique index on ``alert.key``.

The SQL form must equal ``AlertEvent.key`` character for character; if it ever
drifts, nothing is lost (``store`` still skips stored keys and ON CONFLICT
settles the rest) but the run is slow again. ``tests/alerts/test_sql_keys.py``
compares the two on every kind that uses it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, case, cast, exists, func, literal
from sqlalchemy.sql import ColumnElement

from core.alerts.models import Alert


def text_of(value) -> ColumnElement:
    return cast(value, String)


def date_text(session, column) -> ColumnElement:
    """A date as ``date.isoformat()`` gives it (YYYY-MM-DD) on every dialect."""
    if session.get_bind().dialect.name == "postgresql":
        # Not a cast to text, which follows the session's DateStyle; and through
        # a timestamp *without* time zone, so the session's TimeZone plays no part.
        return func.to_char(cast(column, DateTime(timezone=False)), "YYYY-MM-DD")
    return text_of(column)  # SQLite stores a Date as its ISO text


def horizon_text(due, as_of: dt.date, horizons: list[int]) -> ColumnElement:
    """The smallest horizon that holds ``due``, as text; NULL when none does (as ``smallest_horizon``)."""
    if not horizons:
        return literal(None, String)
    return case(*((due <= as_of + dt.timedelta(days=h), str(h)) for h in sorted(horizons)), else_=None)


def key(source: str, kind, subject, detail, due_text, horizon) -> ColumnElement:
    """``source|kind|subject|detail|due|horizon``, as ``AlertEvent.key`` joins them.

    ``horizon`` is text or NULL; NULL (no horizon) becomes the empty string,
    like ``horizon_days=None`` in Python.
    """
    return (literal(source + "|", String) + kind + literal("|", String) + subject + literal("|", String)
            + detail + literal("|", String) + due_text + literal("|", String) + func.coalesce(horizon, ""))


def not_stored(key_expression) -> ColumnElement:
    """True for a row whose key no alert has yet (one probe of the unique index)."""
    return ~exists().where(Alert.key == key_expression)
