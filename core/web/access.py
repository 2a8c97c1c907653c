"""Who may open which page: the same roles as the API (core/auth/permissions.py).

Every page needs a login; an auditor reads everything and every POST of theirs
is refused (403) before a view runs, as the API refuses their writes.
"""
from __future__ import annotations

from flask import abort, g, request
from flask_login import current_user

from core.auth.permissions import ALL_ROLES_READ, may_edit_staff, may_see_staff
from core.extensions import db, login
from core.staff.models import Staff
from core.web.blueprint import blp

PUBLIC = {"web.login", "web.language", "web.sso_start", "web.sso_callback"}
AUDITOR_MAY_POST = {"web.logout", "web.language"}
READ = ALL_ROLES_READ


@blp.before_request
def guard():
    if request.endpoint in PUBLIC:
        return None
    if not current_user.is_authenticated:
        if request.headers.get("HX-Request"):
            abort(401)
        return login.unauthorized()
    if request.method == "POST" and g.user.role == "auditor" and request.endpoint not in AUDITOR_MAY_POST:
        abort(403, description="An auditor reads everything and writes nothing.")
    return None


def user():
    return g.user


def has_role(*roles: str) -> bool:
    return g.user.role in roles


def require_role(*roles: str) -> None:
    if g.user.role not in roles:
        abort(403, description=f"Role '{g.user.role}' may not do this.")


def visible_staff(staff_id: int) -> Staff:
    """The person if this user may see them; otherwise 404, as the API answers."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not may_see_staff(g.user, staff):
        abort(404, description=f"No staff with id {staff_id}.")
    return staff


def editable_staff(staff_id: int) -> Staff:
    staff = visible_staff(staff_id)
    if not may_edit_staff(g.user, staff):
        abort(403, description="You may read this person's data but not change it.")
    return staff

