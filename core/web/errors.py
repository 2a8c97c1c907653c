"""Errors on the pages are pages (the API keeps its JSON shape).

A domain error a service raises (``core.errors``) reaches a page as a Dutch
error page naming the fields; a view that wants it beside its form catches it
itself. Every page blueprint (the core's and each plugin's) gets these pages:
the app-wide handlers the API installed are wrapped by one that looks at the
blueprint the request is for.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from werkzeug.exceptions import HTTPException

from core.errors import DomainError
from core.web.context import known_label, label

PAGES_KEY = "bekwaam_page_blueprints"
# The status names in the pages' language (werkzeug's are English).
NAMES_NL = {400: "Ongeldig verzoek", 401: "Niet aangemeld", 403: "Niet toegestaan", 404: "Niet gevonden",
            405: "Methode niet toegestaan", 409: "Botst met wat is vastgelegd", 413: "Te groot",
            422: "Ongeldige invoer", 429: "Te veel pogingen", 500: "Interne fout"}


def _render(code: int, name: str, message: str | None, errors: dict | None = None):
    template = "partials/error.html" if request.headers.get("HX-Request") else "error.html"
    if str(get_locale()) == "nl":
        name = NAMES_NL.get(code, name)
    return render_template(template, code=code, name=name, message=message, errors=errors or {}), code


def html_error(error: HTTPException):
    message = (getattr(error, "data", None) or {}).get("message") or error.description
    if _dutch():
        # An abort's ``message`` is the API's English (the route guard's); werkzeug's description is English
        # too. A page's own ``description=_(...)`` is Dutch already. The page has a Dutch sentence per status.
        message = error.description if error.description != type(error).description else None
    return _render(error.code, error.name, message)


def domain_error_page(error: DomainError):
    if _dutch():
        # The English message stays the API's; a Dutch page shows the Dutch one or none (the title says it).
        return _render(error.status, error.title_nl, error.message_nl, _dutch_field_errors(error))
    return _render(error.status, error.title_nl, error.message, error.errors)


def _dutch_field_errors(error: DomainError) -> dict:
    """The fields a rule refused, each with its Dutch message (else a Dutch word: a plugin of the hospital's own)."""
    from flask_babel import gettext
    shown = {}
    for name, messages in (error.errors or {}).items():
        dutch = error.errors_nl.get(name) or [m for m in map(dutch_field_message, messages) if m]
        shown[name] = list(dutch) or [gettext("not accepted")]
    return shown


def dutch_field_message(message) -> str | None:
    """A service's field message in Dutch: its own (``core.contract.FieldMessage``), else the catalogue's."""
    from flask_babel import gettext
    if getattr(message, "nl", None):
        return message.nl
    translated = gettext(str(message))
    return translated if translated != str(message) else None


def field_errors(error: DomainError) -> dict[str, list[str]]:
    """A refusal's field messages in the page's language, for a view that puts them beside its fields."""
    if _dutch():
        return _dutch_field_errors(error)
    return {name: [str(m) for m in messages] for name, messages in (error.errors or {}).items()}


def _dutch() -> bool:
    return str(get_locale()) == "nl"


# Addresses of machines (the API, provisioning, the maintenance system): their errors stay JSON.
MACHINE_PREFIXES = ("/api/", "/scim/", "/integrations/")


def is_page_request() -> bool:
    if request.blueprint in current_app.extensions.get(PAGES_KEY, ()):
        return True
    # An address that matches no route: a browser (it asks for HTML first) gets the error page in its
    # language; an API client (JSON or */*) keeps the JSON answer.
    return (request.url_rule is None and not request.path.startswith(MACHINE_PREFIXES)
            and request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html")


def add_page_blueprint(app, name: str) -> None:
    """A blueprint of pages registered after ``install`` (the evidence pages): its errors are pages too."""
    app.extensions[PAGES_KEY] = app.extensions.get(PAGES_KEY, frozenset()) | {name}


def install(app, page_blueprints: set[str]) -> None:
    """Route errors of page requests to the pages; everything else keeps the handler it had (JSON)."""
    app.extensions[PAGES_KEY] = frozenset(page_blueprints)
    handlers = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    for exc_class, page in ((HTTPException, html_error), (DomainError, domain_error_page)):
        previous = handlers.get(exc_class)

        def dispatch(error, page=page, previous=previous):
            if is_page_request() or previous is None:
                return page(error)
            return previous(error)
        app.register_error_handler(exc_class, dispatch)


def error_text(error: DomainError) -> str:
    """A domain error in the page's language when its source gave one (else as the API says it)."""
    if _dutch():
        if error.message_nl:
            return error.message_nl
        said = []
        for name, messages in sorted((error.errors or {}).items()):
            texts = " ".join(error.errors_nl.get(name) or [t for t in map(dutch_field_message, messages) if t])
            if texts:
                said.append(f"{label(name)}: {texts}" if known_label(name) else texts)
        if said:
            return f"{error.title_nl}: " + "; ".join(said)
        fields = ", ".join(sorted(str(label(name)) for name in (error.errors or {}) if known_label(name)))
        return f"{error.title_nl}: {fields}." if fields else f"{error.title_nl}."
    if error.message:
        return error.message
    return " ".join(str(m) for messages in (error.errors or {}).values() for m in messages)


def flash_error(error: DomainError) -> None:
    """Show a refusal above the page the user goes back to, instead of an error page."""
    from flask import flash

    flash(error_text(error), "error")
