"""One JSON shape for every API error (SPEC 8.2).

``{"code": 422, "status": "Unprocessable Entity", "errors": {field: [messages]}}``
"""
from __future__ import annotations

from flask_smorest import Api, abort

__all__ = ["BekwaamApi", "abort", "field_errors", "conflict"]


class BekwaamApi(Api):
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


def field_errors(errors: dict[str, list[str] | str], code: int = 422):
    """Abort with errors for named fields."""
    abort(code, errors={k: v if isinstance(v, list) else [v] for k, v in errors.items()})


def conflict(message: str, **extra):
    abort(409, message=message, **extra)
