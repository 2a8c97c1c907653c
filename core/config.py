"""Settings, read from ``BEKWAAM_*`` environment variables (SPEC 8.1).

Only this module reads the environment; everything else reads ``app.config``.
"""
from __future__ import annotations

import json
import os
import secrets


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def from_environment(instance_path: str) -> dict:
    """The configuration of a deployed app; tests pass their own dict on top."""
    env = os.environ.get
    database_url = env("BEKWAAM_DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "bekwaam.sqlite")
    )
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # Without a configured key every restart would log everybody out; the
        # random fallback is fine for the demo and refused nowhere else.
        "SECRET_KEY": env("BEKWAAM_SECRET_KEY") or secrets.token_hex(32),
        "BEKWAAM_DISABLED_PLUGINS": _split(env("BEKWAAM_DISABLED_PLUGINS")),
        "BEKWAAM_SMTP_HOST": env("BEKWAAM_SMTP_HOST"),
        "BEKWAAM_SMTP_PORT": _int("BEKWAAM_SMTP_PORT", 25),
        "BEKWAAM_SMTP_FROM": env("BEKWAAM_SMTP_FROM", "bekwaam@localhost"),
        "BEKWAAM_SMTP_USER": env("BEKWAAM_SMTP_USER"),
        "BEKWAAM_SMTP_PASSWORD": env("BEKWAAM_SMTP_PASSWORD"),
        "BEKWAAM_SMTP_TLS": env("BEKWAAM_SMTP_TLS", "") in ("1", "true", "yes"),
        "BEKWAAM_WEBHOOK_URL": env("BEKWAAM_WEBHOOK_URL"),
        "BEKWAAM_WEBHOOK_SECRET": env("BEKWAAM_WEBHOOK_SECRET"),
        "BEKWAAM_ALERT_HORIZONS": [int(x) for x in _split(env("BEKWAAM_ALERT_HORIZONS"))] or [90, 30, 7],
        "BEKWAAM_ALERT_HORIZONS_BY_ROLE": json.loads(env("BEKWAAM_ALERT_HORIZONS_BY_ROLE") or "{}"),
        "BEKWAAM_ALERT_RETRY_SECONDS": _int("BEKWAAM_ALERT_RETRY_SECONDS", 300),
        "BEKWAAM_ALERT_EXPIRED_LOOKBACK_DAYS": _int("BEKWAAM_ALERT_EXPIRED_LOOKBACK_DAYS", 90),
        "BIG_REREGISTRATION_EFFECTIVE_DATE": env("BEKWAAM_BIG_REREGISTRATION_EFFECTIVE_DATE"),
        "BIG_REREGISTRATION_HOURS": env("BEKWAAM_BIG_REREGISTRATION_HOURS"),
        "BIG_WARN_MONTHS": env("BEKWAAM_BIG_WARN_MONTHS"),
        "BEKWAAM_BIG_REGISTER_TIMEOUT": env("BEKWAAM_BIG_REGISTER_TIMEOUT", "10"),
        "BEKWAAM_RETENTION_YEARS": _int("BEKWAAM_RETENTION_YEARS", 2),
        "BEKWAAM_SCHEDULE": env("BEKWAAM_SCHEDULE", "0 6 * * *"),
        "BEKWAAM_TIMEZONE": env("BEKWAAM_TIMEZONE", "Europe/Amsterdam"),
        "BEKWAAM_BIG_REGISTER_URL": env(
            "BEKWAAM_BIG_REGISTER_URL",
            "https://api.bigregister.nl/zksrv/soap/4",
        ),
    }


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# Fixed settings of the framework extensions.
STATIC = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # A connection the database closed (restart, failover, idle timeout) is
    # replaced before use instead of failing the request that draws it.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "API_TITLE": "Bekwaam",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    "API_SPEC_OPTIONS": {
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearer": []}],
    },
    "PAGINATION_PAGE_SIZE_MAX": 1000,
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
}
