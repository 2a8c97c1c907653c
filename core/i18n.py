"""The templates' gettext, with the request's translations looked up once.

Flask-Babel's own template callables find the translations afresh on every
``_()``: the context, the domain, the locale and its cache key, about 8 µs a
call. A page says a few hundred of them (the dashboard of the large hospital
about 400), so that was milliseconds per page (benchmarks/RESULTS.md, "Under
load"). Here the translations are kept on Flask-Babel's own per-request
namespace next to the locale they are for: ``force_locale`` and a change of
locale give another locale object, and so a fresh lookup.
"""
from __future__ import annotations

from flask import g, has_app_context
from flask_babel import get_translations


def request_translations():
    if not has_app_context():
        return get_translations()
    space = g.get("_flask_babel")
    locale = getattr(space, "babel_locale", None)
    held = getattr(space, "bekwaam_translations", None)
    if held is not None and locale is not None and held[0] is locale:
        return held[1]
    translations = get_translations()  # sets the locale on the namespace when it was not yet chosen
    space = g.get("_flask_babel")
    if space is not None:
        space.bekwaam_translations = (getattr(space, "babel_locale", None), translations)
    return translations


def install(app) -> None:
    """Replace Flask-Babel's template gettext callables (same newstyle semantics: autoescaped,
    ``%(name)s`` formatting by Jinja)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(
            context, singular, plural, n))
