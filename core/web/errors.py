"""Errors on the pages are pages (the API keeps its JSON shape)."""
from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import HTTPException

from core.web.blueprint import blp


@blp.errorhandler(HTTPException)
def html_error(error: HTTPException):
    message = (getattr(error, "data", None) or {}).get("message") or error.description
    template = "partials/error.html" if request.headers.get("HX-Request") else "error.html"
    return render_template(template, code=error.code, name=error.name, message=message), error.code


def install(app) -> None:
    """Nothing app-wide: API errors stay JSON; this module's handler covers the pages."""
