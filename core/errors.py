"""Domain errors, and one JSON shape for every API error.

``{"code": 422, "status": "Unprocessable Entity", "errors": {field: [messages]}}``

Services know nothing of HTTP: they raise ``NotFound``, ``Conflict``,
``NotAllowed`` or ``Invalid``. The API answers them with the status codes and
JSON bodies it always gave (``api_answer``); the pages show them in Dutch
(``core.web.errors``), or a view catches one to put it next to the form field.
"""
from __future__ import annotations

from flask_smorest import Api, abort
from marshmallow import INCLUDE, Schema
from marshmallow.fields import Dict, Integer, String
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from core.contract import FieldMessage  # a field error with its Dutch (re-exported for the services)

__all__ = ["BekwaamApi", "abort", "field_errors", "conflict", "INT_MIN", "INT_MAX", "FieldMessage",
           "DomainError", "NotFound", "Conflict", "NotAllowed", "Invalid"]

class DomainError(Exception):
    """A rule refused the request; ``status`` is the HTTP code the API answers it with.

    ``message`` is English (the API's language); ``message_nl`` optionally Dutch for the
    pages; ``errors`` names fields (``{field: [messages]}``), each message English or a
    ``FieldMessage`` carrying its Dutch; ``errors_nl`` gives a field's Dutch messages where its
    English ones are not plain texts (structured items); ``extra`` adds keys to the
    API's JSON body (a refused release's ``missing`` items, a clash's ``certification_id``).
    """

    status = 400
    title_nl = "Niet uitgevoerd"

    def __init__(self, message: str | None = None, *, errors: dict | None = None, message_nl: str | None = None,
                 errors_nl: dict[str, list[str]] | None = None, **extra):
        super().__init__(message or "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in (errors or {}).items()))
        self.message = message
        self.message_nl = message_nl
        self.errors = {k: v if isinstance(v, list) else [v] for k, v in (errors or {}).items()} or None
        self.errors_nl = errors_nl or {}
        self.extra = extra


class NotFound(DomainError):
    """No such thing, or one this user may not know of (its existence is not revealed)."""

    status = 404
    title_nl = "Niet gevonden"


class NotAllowed(DomainError):
    """This user may not do this."""

    status = 403
    title_nl = "Niet toegestaan"


class Conflict(DomainError):
    """The change clashes with what is recorded; ``extra`` names the reasons (e.g. ``missing``)."""

    status = 409
    title_nl = "Botst met wat is vastgelegd"


class Invalid(DomainError):
    """Input a rule refuses, per field: ``Invalid({"field": ["message"]})``."""

    status = 422
    title_nl = "Ongeldige invoer"

    def __init__(self, errors: dict | None = None, message: str | None = None, **kwargs):
        super().__init__(message, errors=errors, **kwargs)


def api_answer(api, error: DomainError):
    """The API's answer to a domain error: the same status and JSON body ``abort`` gave."""
    from werkzeug.exceptions import HTTPException

    kwargs = dict(error.extra)
    if error.message is not None:
        kwargs["message"] = error.message
    if error.errors is not None:
        kwargs["errors"] = error.errors
    try:
        abort(error.status, **kwargs)
    except HTTPException as http_error:
        return api.handle_http_exception(http_error)


# Ids and counts are PostgreSQL ``integer`` columns: a larger number names no row.
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in a URL, limited to what an integer column holds.

    A larger id matches no route (404) instead of reaching the database, where
    PostgreSQL refuses it ("integer out of range") and SQLite overflows.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class BekwaamApi(Api):
    def init_app(self, app, *, spec_kwargs=None):
        # Before any route is added, so every <int:id> of the core and plugins is bounded.
        app.url_map.converters["int"] = IdConverter
        super().init_app(app, spec_kwargs=spec_kwargs)
        # A Decimal sent as a string ("66.96") is documented as a string, not a number.
        self.ma_plugin.converter.add_attribute_function(_decimal_as_string)
        app.register_error_handler(DomainError, lambda error: api_answer(self, error))
        app.register_error_handler(DataError, _value_out_of_range)
        app.register_error_handler(OverflowError, _value_out_of_range)

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        data = getattr(error, "data", None) or {}
        for key, value in data.items():
            if key not in ("message", "errors", "messages", "headers", "exc", "schema"):
                payload[key] = value  # e.g. "missing" items of a refused release
        errors = payload.get("errors")
        # webargs nests errors by location ({"json": {...}}); the contract
        # names fields directly, so a single location is flattened.
        if isinstance(errors, dict) and len(errors) == 1:
            (location, inner), = errors.items()
            if location in ("json", "query", "form", "files") and isinstance(inner, dict):
                payload["errors"] = inner
        if code == 500:
            payload.pop("errors", None)
            payload["message"] = "Internal error; it has been logged."
        return payload, code, headers


def _decimal_as_string(self, field, ret, **kwargs) -> dict:
    from marshmallow import fields

    if isinstance(field, fields.Decimal) and field.as_string and ret.get("type") in ("number", ["number", "null"]):
        return {"type": ["string", "null"] if field.allow_none else "string", "format": "decimal"}
    return {}


class ErrorSchema(Schema):
    """An error answer: code, status, message, errors per field, and whatever the refusal
    adds to explain itself (a release's ``missing`` items, a delete's ``dependents``,
    an import's ``report``)."""

    class Meta:
        unknown = INCLUDE

    code = Integer(metadata={"description": "HTTP status code"})
    status = String(metadata={"description": "HTTP status name"})
    message = String(metadata={"description": "what went wrong"})
    errors = Dict(metadata={"description": "field name -> messages"})


BekwaamApi.ERROR_SCHEMA = ErrorSchema


def _value_out_of_range(exc):
    """Last line of defence: a value the database cannot store is the client's error, not a 500.

    Schemas refuse such values first (``core.schemas``), naming the field; this
    catches what reaches the database anyway (e.g. a number in a hand-written query).
    """
    from core.extensions import db

    db.session.rollback()
    return {"code": 422, "status": "Unprocessable Entity",
            "message": "A value is out of range or not storable (too large a number, or a NUL character)."}, 422


def field_errors(errors: dict[str, list[str] | str]):
    """Refuse input, naming each field (``raise Invalid(...)`` says the same)."""
    raise Invalid(errors)


def conflict(message: str, **extra):
    """Refuse a change that clashes with what is recorded (``raise Conflict(...)`` says the same)."""
    raise Conflict(message, **extra)
