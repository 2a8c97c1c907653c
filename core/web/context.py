"""What every template may use: role checks, paging links and the labels of stored codes.

Codes stay English in the database and the API; the pages show them in the
reader's language through these tables (pybabel extracts the literals).
"""
from __future__ import annotations

from flask import current_app, g
from flask_babel import get_locale, lazy_gettext as _l

from core.auth.permissions import HOSPITAL_WIDE_WRITERS, STAFF_WRITERS
from core.web import uploads
from core.web.blueprint import blp
from core.web.util import page_url_args

LABELS = {
    # roles of users
    "admin": _l("administrator"), "tvb_admin": _l("TVB administrator"),
    "mt_manager": _l("medical technology manager"), "manager": _l("manager"),
    "technician": _l("technician"), "auditor": _l("auditor"),
    # competence roles
    "user": _l("user"), "key_user": _l("key user"), "trainer": _l("trainer"),
    # methods
    "instruction": _l("instruction"), "training": _l("training"),
    "training_and_assessment": _l("training and assessment"),
    # states (matrix, competences)
    "competent": _l("competent"), "valid": _l("valid"), "expiring": _l("expiring"), "expired": _l("expired"),
    "missing": _l("missing"),
    # levels and risk classes
    "low": _l("low"), "medium": _l("medium"), "high": _l("high"),
    # employment
    "internal": _l("internal"), "external": _l("external"),
    # CPD review
    "pending": _l("pending"), "approved": _l("approved"), "rejected": _l("rejected"),
    # audit actions
    "create": _l("create"), "update": _l("update"), "delete": _l("delete"),
    # the core's alert kinds (a plugin names its own: bekwaam_alert_labels)
    "competence_expiring": _l("competence expiring"), "competence_expired": _l("competence expired"),
    "assignment_ending": _l("role assignment ending"), "coverage_below_minimum": _l("coverage below minimum"),
    # activity levels
    "strategic": _l("strategic"), "tactical": _l("tactical"), "operational": _l("operational"),
}


def label(code) -> str:
    """The reader's words for a stored code; an unknown code is shown as it is."""
    if code is None:
        return "–"
    text = LABELS.get(str(code))
    if text is None:
        text = _plugin_labels().get(str(code))
    return str(text) if text is not None else str(code).replace("_", " ")


def known_label(code) -> bool:
    """Whether ``code`` has words of its own (else ``label`` shows the code itself)."""
    return str(code) in LABELS or str(code) in _plugin_labels()


def _plugin_labels() -> dict:
    """The plugins' words for their codes and alert kinds, asked once per request."""
    if "plugin_labels" not in g:
        from core.plugins_runtime import alert_labels, plugin_labels
        g.plugin_labels = {**alert_labels(), **plugin_labels()}
    return g.plugin_labels


def alert_text(alert) -> str:
    """An alert in the reader's language: Dutch from its ``message_nl``, else its kind in Dutch (never English)."""
    from core.web.formats import dagen, datum
    if str(get_locale()) != "nl":
        return alert.message
    if alert.message_nl:
        return dagen(alert.message_nl)
    return f"{label(alert.kind)}: {datum(alert.due_on)}"


def reason_text(reason) -> str:
    """A reason of can_perform in the reader's language (Dutch: never the English message)."""
    from core.reason_texts import dutch
    return dutch(reason) if str(get_locale()) == "nl" else reason.message


def _role_in(roles) -> bool:
    return getattr(g, "user", None) is not None and g.user.role in roles


@blp.app_context_processor
def template_helpers():
    return {
        "get_locale": get_locale,
        "has_role": lambda *roles: getattr(g, "user", None) is not None and g.user.role in roles,
        # The write forms' links and buttons show only for the roles that may write (as the API's write_roles).
        "may_write_staff": lambda: _role_in(STAFF_WRITERS),
        "may_write_hospital": lambda: _role_in(HOSPITAL_WIDE_WRITERS),
        "page_args": page_url_args,
        "state_text": label,
        "label": label,
        "reason_text": reason_text,
        "alert_text": alert_text,
        "upload_max_mb": lambda: uploads.max_bytes() // (1024 * 1024),
        "sso_enabled": bool(current_app.config.get("BEKWAAM_OIDC_ISSUER")),
        "password_login": current_app.config.get("BEKWAAM_PASSWORD_LOGIN", True),
    }
