"""Who may open which page: the same roles as the API (core/auth/permissions.py).

Every page needs a login; an auditor reads everything and every POST of theirs
is refused (403) before a view runs, as the API refuses their writes.
"""
from __future__ import annotations

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user

from core.auth import visibility
from core.auth.permissions import ALL_ROLES_READ
from core.extensions import login
from core.staff.models import Staff
from core.web.blueprint import blp
from core.web.context import label

PUBLIC = {"web.login", "web.language", "web.sso_start", "web.sso_callback"}
AUDITOR_MAY_POST = {"web.logout", "web.language"}
READ = ALL_ROLES_READ


def login_required_response():
    """The door of every page: ``None`` for a signed-in user; otherwise the login page
    (or a bare 401 for an htmx request, which cannot follow a redirect into a fragment).
    The core's pages, the plugins' pages and the evidence pages all go through it."""
    if current_user.is_authenticated:
        return None
    if request.headers.get("HX-Request"):
        abort(401)
    return login.unauthorized()


@blp.before_request
def guard():
    if request.endpoint in PUBLIC:
        return None
    refused = login_required_response()
    if refused is not None:
        return refused
    if request.method == "POST" and g.user.role == "auditor" and request.endpoint not in AUDITOR_MAY_POST:
        abort(403, description=_("An auditor reads everything and writes nothing."))
    return None


def user():
    return g.user


def has_role(*roles: str) -> bool:
    return g.user.role in roles


def require_role(*roles: str) -> None:
    if g.user.role not in roles:
        abort(403, description=_("Your role (%(role)s) may not do this.", role=label(g.user.role)))


def visible_staff(staff_id: int) -> Staff:
    """The person if this user may see them; otherwise not found, as the API answers."""
    return visibility.visible_staff(g.user, staff_id)


def editable_staff(staff_id: int) -> Staff:
    return visibility.editable_staff(g.user, staff_id)

