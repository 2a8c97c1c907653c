"""The templates' gettext (core/i18n.py) keeps the request's translations, and still follows a
change of locale within the request (Flask-Babel's force_locale)."""
from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

PAGE = "{{ _('Coverage gaps') }} / {{ ngettext('%(num)d person', '%(num)d people', 2) }}"


def test_the_same_request_says_it_in_the_forced_language_and_then_in_its_own_again(app):
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        dutch = render_template_string(PAGE)
        with force_locale("en"):
            english = render_template_string(PAGE)
        again = render_template_string(PAGE)
    assert english.startswith("Coverage gaps / 2 people")
    assert dutch == again and dutch != english and dutch.startswith("Onderbezetting")


def test_two_requests_in_two_languages_each_get_their_own(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(PAGE)
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        dutch = render_template_string(PAGE)
    assert english.startswith("Coverage gaps") and dutch.startswith("Onderbezetting")
