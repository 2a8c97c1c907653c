"""Settings, read from ``BEKWAAM_*`` environment variables.

Only this module reads the environment; everything else reads ``app.config``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import InvalidOperation
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Setting:
    """A plugin's setting (``bekwaam_settings``): the ``app.config`` key, the environment
    variable that sets it (None: none does) and its default. ``check`` raises ValueError
    for a value the plugin cannot use (``expects`` says what it wants); the value is kept
    as the string given, the plugin reads it."""

    key: str
    env: str | None = None
    default: object = None
    check: Callable[[str], object] | None = None
    expects: str = ""


def plugin_settings(settings) -> dict:
    """``app.config`` values of the plugins' settings: the environment's, else the defaults.
    A value a plugin cannot use stops the app (``ConfigError``), naming the variable."""
    values = {}
    for setting in settings:
        raw = os.environ.get(setting.env) if setting.env else None
        if raw in (None, ""):
            values[setting.key] = setting.default
        elif setting.check is None:
            values[setting.key] = raw
        else:
            values[setting.key] = _optional(setting.env, setting.check, setting.expects)
    return values


def split(value: str | None) -> list[str]:
    """A comma-separated setting as its parts (for plugins' checks)."""
    return _split(value)


class ConfigError(ValueError):
    """A setting the app cannot run with; the message names the variable and what it expects."""


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not true or false.")


def _horizons(name: str) -> list[int]:
    raw = os.environ.get(name)
    try:
        days = [int(x) for x in _split(raw)]
    except ValueError:
        raise ConfigError(f"{name}={raw!r} must be whole numbers of days separated by commas, e.g. 90,30,7.") from None
    if any(d < 0 for d in days):
        raise ConfigError(f"{name}={raw!r}: a horizon cannot be negative.")
    return days or [90, 30, 7]


def _horizons_by_role(name: str) -> dict:
    raw = os.environ.get(name) or "{}"
    try:
        value = json.loads(raw)
        if not isinstance(value, dict) or not all(
                isinstance(days, list) and all(isinstance(d, int) and d >= 0 for d in days) for days in value.values()):
            raise ValueError
    except ValueError:
        raise ConfigError(f'{name} must be a JSON object of role to days, e.g. {{"user": [30, 7]}}.') from None
    return value


def _optional(name: str, parse, expects: str):
    """Plugins read these as strings; a wrong one is refused at start, not on the first evaluation."""
    raw = os.environ.get(name)
    if raw in (None, ""):
        return None
    try:
        parse(raw)
    except (ValueError, InvalidOperation):
        raise ConfigError(f"{name}={raw!r} is not {expects}.") from None
    return raw


def _timezone(name: str, default: str) -> str:
    raw = os.environ.get(name) or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name}={raw!r} is not a time zone name such as Europe/Amsterdam.") from None
    return raw


def _schedule(name: str, default: str, zone: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    raw = os.environ.get(name) or default
    try:
        CronTrigger.from_crontab(raw, timezone=zone)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a crontab line (minute hour day month weekday): {exc}") from None
    return raw


# The shared multi-tenant issuers accept an account of any Entra tenant in the world.
_MULTI_TENANT = ("/common/", "/organizations/", "/consumers/", "/common", "/organizations", "/consumers")


def _oidc() -> dict:
    env = os.environ.get
    issuer = (env("BEKWAAM_OIDC_ISSUER") or "").strip().rstrip("/")
    settings = {"BEKWAAM_OIDC_ISSUER": issuer or None}
    if not issuer:
        return settings
    if any(part in issuer + "/" for part in _MULTI_TENANT[:3]) or issuer.endswith(_MULTI_TENANT[3:]):
        raise ConfigError(f"BEKWAAM_OIDC_ISSUER={issuer!r} is a shared multi-tenant issuer; use the hospital "
                          "tenant's own (https://login.microsoftonline.com/<tenant id>/v2.0).")
    loopback = issuer.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]"))
    if not issuer.startswith("https://") and not loopback:
        raise ConfigError(f"BEKWAAM_OIDC_ISSUER={issuer!r} must be an https:// URL.")
    for name in ("BEKWAAM_OIDC_CLIENT_ID", "BEKWAAM_OIDC_CLIENT_SECRET"):
        if not env(name):
            raise ConfigError(f"{name} is required when BEKWAAM_OIDC_ISSUER is set.")
    raw_map = env("BEKWAAM_OIDC_ROLE_MAP") or "{}"
    try:
        role_map = json.loads(raw_map)
        if not isinstance(role_map, dict) or not all(
                isinstance(v, dict) and isinstance(v.get("role"), str) and isinstance(v.get("department", ""), str)
                for v in role_map.values()):
            raise ValueError
    except ValueError:
        raise ConfigError('BEKWAAM_OIDC_ROLE_MAP must be a JSON object of claim value to {"role": ..., '
                          '"department": ...}, e.g. {"Bekwaam.Manager.IC": {"role": "manager", '
                          '"department": "IC"}}.') from None
    from core.auth.models import ROLES

    unknown = sorted({v["role"] for v in role_map.values()} - set(ROLES))
    if unknown:
        raise ConfigError(f"BEKWAAM_OIDC_ROLE_MAP names unknown role(s) {', '.join(unknown)}; "
                          f"choose from {', '.join(ROLES)}.")
    return {
        **settings,
        "BEKWAAM_OIDC_CLIENT_ID": env("BEKWAAM_OIDC_CLIENT_ID"),
        "BEKWAAM_OIDC_CLIENT_SECRET": env("BEKWAAM_OIDC_CLIENT_SECRET"),
        "BEKWAAM_OIDC_ROLE_CLAIM": env("BEKWAAM_OIDC_ROLE_CLAIM") or "roles",
        "BEKWAAM_OIDC_ROLE_MAP": role_map,
        "BEKWAAM_OIDC_EMPLOYEE_CLAIM": env("BEKWAAM_OIDC_EMPLOYEE_CLAIM") or "employeeid",
    }


def from_environment(instance_path: str) -> dict:
    """The configuration of a deployed app; tests pass their own dict on top."""
    env = os.environ.get
    database_url = env("BEKWAAM_DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "bekwaam.sqlite")
    )
    if "://" not in database_url:
        raise ConfigError(f"BEKWAAM_DATABASE_URL={database_url!r} is not a database URL "
                          "(postgresql://user:password@host/name or sqlite:///path).")
    zone = _timezone("BEKWAAM_TIMEZONE", "Europe/Amsterdam")
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # None when unset: create_app refuses to serve without it (every worker
        # would sign sessions with its own random key); the CLI and the demo use
        # a throwaway key, tests their own.
        "SECRET_KEY": env("BEKWAAM_SECRET_KEY") or None,
        "BEKWAAM_DISABLED_PLUGINS": _split(env("BEKWAAM_DISABLED_PLUGINS")),
        "BEKWAAM_SMTP_HOST": env("BEKWAAM_SMTP_HOST"),
        "BEKWAAM_SMTP_PORT": _int("BEKWAAM_SMTP_PORT", 25, minimum=1),
        "BEKWAAM_SMTP_FROM": env("BEKWAAM_SMTP_FROM", "bekwaam@localhost"),
        "BEKWAAM_SMTP_USER": env("BEKWAAM_SMTP_USER"),
        "BEKWAAM_SMTP_PASSWORD": env("BEKWAAM_SMTP_PASSWORD"),
        "BEKWAAM_SMTP_TLS": env("BEKWAAM_SMTP_TLS", "") in ("1", "true", "yes"),
        "BEKWAAM_WEBHOOK_URL": env("BEKWAAM_WEBHOOK_URL"),
        "BEKWAAM_WEBHOOK_SECRET": env("BEKWAAM_WEBHOOK_SECRET"),
        "BEKWAAM_ALERT_HORIZONS": _horizons("BEKWAAM_ALERT_HORIZONS"),
        "BEKWAAM_ALERT_HORIZONS_BY_ROLE": _horizons_by_role("BEKWAAM_ALERT_HORIZONS_BY_ROLE"),
        "BEKWAAM_ALERT_RETRY_SECONDS": _int("BEKWAAM_ALERT_RETRY_SECONDS", 300),
        "BEKWAAM_ALERT_EXPIRED_LOOKBACK_DAYS": _int("BEKWAAM_ALERT_EXPIRED_LOOKBACK_DAYS", 90),
        "BEKWAAM_RETENTION_YEARS": _int("BEKWAAM_RETENTION_YEARS", 2),
        "BEKWAAM_UPLOAD_MAX_BYTES": _int("BEKWAAM_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1),
        "BEKWAAM_IMPORT_MAX_BYTES": _int("BEKWAAM_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1),
        "BEKWAAM_IMPORT_MAX_ROWS": _int("BEKWAAM_IMPORT_MAX_ROWS", 200_000, minimum=1),
        "BEKWAAM_IMPORT_MAX_UNPACKED_BYTES": _int("BEKWAAM_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024, minimum=1),
        "BEKWAAM_IMPORT_MAX_RATIO": _int("BEKWAAM_IMPORT_MAX_RATIO", 100, minimum=1),
        "BEKWAAM_ACCESS_LOG_RETENTION_DAYS": _int("BEKWAAM_ACCESS_LOG_RETENTION_DAYS", 5 * 366, minimum=1),
        "BEKWAAM_SCHEDULE": _schedule("BEKWAAM_SCHEDULE", "0 6 * * *", zone),
        "BEKWAAM_TIMEZONE": zone,
        # Identity and access.
        "BEKWAAM_SESSION_IDLE_MINUTES": _int("BEKWAAM_SESSION_IDLE_MINUTES", 30, minimum=1),
        "SESSION_COOKIE_SECURE": _bool("BEKWAAM_SECURE_COOKIES", False),
        "REMEMBER_COOKIE_SECURE": _bool("BEKWAAM_SECURE_COOKIES", False),
        "BEKWAAM_HSTS": _bool("BEKWAAM_HSTS", False),
        "BEKWAAM_TRUSTED_PROXIES": _int("BEKWAAM_TRUSTED_PROXIES", 0),
        "BEKWAAM_LOGIN_MAX_PER_ACCOUNT": _int("BEKWAAM_LOGIN_MAX_PER_ACCOUNT", 5, minimum=1),
        "BEKWAAM_LOGIN_MAX_PER_ADDRESS": _int("BEKWAAM_LOGIN_MAX_PER_ADDRESS", 20, minimum=1),
        "BEKWAAM_LOGIN_WINDOW_MINUTES": _int("BEKWAAM_LOGIN_WINDOW_MINUTES", 15, minimum=1),
        "BEKWAAM_PASSWORD_LOGIN": _bool("BEKWAAM_PASSWORD_LOGIN", True),
        **_oidc(),
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
    # Scripts never read the session cookie; other sites' forms never send it.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}
