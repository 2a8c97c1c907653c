"""Dates and numbers as the reader writes them (core.web.formats): 30-11-2026, 1.234,5."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import render_template_string

from core.web import formats


@pytest.fixture
def dutch(app):
    with app.test_request_context():
        from flask import session
        session["locale"] = "nl"
        yield


@pytest.fixture
def english(app):
    with app.test_request_context():
        from flask import session
        session["locale"] = "en"
        yield


def test_a_day_for_a_dutch_reader(dutch):
    assert formats.datum(dt.date(2026, 11, 30)) == "30-11-2026"
    assert formats.datum(dt.date(2026, 1, 5)) == "05-01-2026"
    assert formats.datum("2026-11-30") == "30-11-2026"
    assert formats.datum(None) == "–"


def test_a_moment_is_shown_in_the_hospitals_time_zone(dutch):
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.timezone.utc)  # 00:30 on 1 December in Amsterdam
    assert formats.datumtijd(late) == "01-12-2026 00:30"
    assert formats.datum(late) == "01-12-2026"


def test_numbers_with_a_decimal_comma_and_thousands_points(dutch):
    assert formats.getal(Decimal("1234.5")) == "1.234,5"
    assert formats.getal(Decimal("7.5"), 2) == "7,50"
    assert formats.getal(Decimal("2080"), 2) == "2.080,00"
    assert formats.getal(3) == "3"
    assert formats.getal("12.25") == "12,25"


def test_an_english_reader_gets_english_formats(english):
    assert formats.getal(Decimal("1234.5")) == "1,234.5"
    assert formats.datum(dt.date(2026, 11, 30)) == "30 Nov 2026"


def test_the_filters_are_there_for_every_template(dutch):
    assert render_template_string("{{ d|datum }} {{ n|getal(2) }}", d=dt.date(2026, 11, 30),
                                  n=Decimal("1234.5")) == "30-11-2026 1.234,50"
