"""Security headers on every response, pages and API alike.

The Content-Security-Policy allows scripts and styles from this site only:
no inline script, no inline style, nothing from a CDN. An injected
``<script>`` or event attribute therefore does not run even if an escaping
mistake ever lets one through. The one exception is the vendored Swagger UI
page, whose template starts the viewer with an inline script.
"""
from __future__ import annotations

from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (/api/v1/docs) renders from an inline script and inline styles.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HSTS_SECONDS = 63072000  # two years, as the HSTS preload list asks


def install(app) -> None:
    docs_path = app.config.get("OPENAPI_URL_PREFIX", "/api/v1").rstrip("/") + "/" + app.config.get(
        "OPENAPI_SWAGGER_UI_PATH", "docs")

    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", DOCS_CSP if request.path == docs_path else CSP)
        h.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers that predate CSP 2
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("BEKWAAM_HSTS"):
            h.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}; includeSubDomains")
        if request.endpoint not in ("static",) and "Cache-Control" not in h and response.mimetype == "text/html":
            # Pages show personal data: not kept by shared caches or the back button after logout.
            h["Cache-Control"] = "no-store"
        return response
