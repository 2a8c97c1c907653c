"""Users (admins): who has access, deactivate, reactivate, a new password (as ``bekwaam users``)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from core.auth import admin
from core.auth.services import UserError
from core.web.access import require_role
from core.web.blueprint import blp


def _user(user_id: int):
    require_role("admin")
    try:
        return admin.user_by_key(user_id)
    except UserError:
        abort(404)


@blp.route("/users")
def users():
    require_role("admin")
    rows = [(user, sum(admin.token_state(t) == "active" for t in admin.tokens(user))) for user in admin.users()]
    return render_template("users.html", rows=rows)


@blp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def user_deactivate(user_id):
    user = _user(user_id)
    try:
        admin.deactivate(user)
    except UserError:
        flash(_("%(email)s is the last active administrator; make another administrator first.", email=user.email),
              "error")
    else:
        flash(_("%(email)s can no longer log in; their API tokens no longer work.", email=user.email), "success")
    return redirect(url_for("web.users"))


@blp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def user_reactivate(user_id):
    try:
        user = admin.reactivate(_user(user_id))
    except UserError:
        # the only refusal of a reactivation (core.auth.admin.reactivate); its text is the CLI's English
        flash(_("%(email)s is linked to a staff member who has left; put the staff record back in service first.",
                email=_user(user_id).email), "error")
        return redirect(url_for("web.users"))
    flash(_("%(email)s can log in again.", email=user.email), "success")
    return redirect(url_for("web.users"))


@blp.route("/users/<int:user_id>/password", methods=["POST"])
def user_password(user_id):
    user = _user(user_id)
    password = admin.reset_password(user)
    # Shown once, to the admin who hands it over; it is stored only as a hash.
    flash(_("New password for %(email)s: %(password)s", email=user.email, password=password), "success")
    return redirect(url_for("web.users"))
