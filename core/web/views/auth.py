"""Login, logout and the language switch."""
from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import select

from core.audit.services import record
from core.auth.models import User
from core.auth.services import check_password
from core.extensions import db, login as login_manager
from core.web.blueprint import blp
from core.web.forms import LoginForm

login_manager.login_view = "web.login"
login_manager.login_message = None  # the login page says enough; a lazy string would not fit the session


def _local(target: str) -> bool:
    # Only local paths: an open redirect would help phishing.
    return target.startswith("/") and not target.startswith("//") and "\\" not in target


@blp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user is not None and user.active and check_password(user, form.password.data):
            login_user(user)
            record(db.session, "login", "user_account", entity_id=user.id, actor=user,
                   after={"result": "success", "ip": request.remote_addr})
            target = request.args.get("next", "")
            return redirect(target if _local(target) else url_for("web.dashboard"))
        error = _("Unknown e-mail address or wrong password.")
        # The 401 rolls the request back: the failed attempt is committed on its own.
        db.session.rollback()
        record(db.session, "login", "user_account", entity_id=user.id if user is not None else None,
               actor=f"login attempt: {form.email.data.strip().lower()[:200]}",
               after={"result": "failed", "ip": request.remote_addr})
        db.session.commit()
    return render_template("login.html", form=form, error=error), (401 if error else 200)


@blp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.pop("locale", None)
    return redirect(url_for("web.login"))


@blp.route("/language/<code>", methods=["POST"])
def language(code):
    if code in ("nl", "en"):
        session["locale"] = code
    target = request.form.get("next", "")
    return redirect(target if _local(target) else url_for("web.dashboard"))
