"""Login, logout, language switch and the dashboard."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from core.auth.models import User
from core.auth.services import check_password
from core.competence.models import Competence
from core.devices.models import DeviceType
from core.extensions import db, login
from core.staff.models import Staff
from core.web.forms import LoginForm

blp = Blueprint("web", __name__, template_folder="templates")
login.login_view = "web.login"


@blp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user is not None and user.active and check_password(user, form.password.data):
            login_user(user)
            target = request.args.get("next", "")
            # Only local paths: an open redirect would help phishing.
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("web.dashboard"))
        error = _("Unknown e-mail address or wrong password.")
    return render_template("login.html", form=form, error=error), (401 if error else 200)




@blp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("web.login"))


@blp.route("/language/<code>", methods=["POST"])
def language(code):
    if code in ("nl", "en"):
        session["locale"] = code
    return redirect(request.referrer or url_for("web.dashboard"))


@blp.route("/")
@login_required
def dashboard():
    today = dt.date.today()
    horizons = {}
    for days in (7, 30, 90):
        horizons[days] = db.session.scalar(select(func.count()).select_from(Competence).where(
            Competence.expires_on > today, Competence.expires_on <= today + dt.timedelta(days=days)))
    expired = db.session.scalar(select(func.count()).select_from(Competence).where(Competence.expires_on <= today))
    counts = {
        "staff": db.session.scalar(select(func.count()).select_from(Staff).where(Staff.active.is_(True))),
        "device_types": db.session.scalar(select(func.count()).select_from(DeviceType)),
        "competences": db.session.scalar(select(func.count()).select_from(Competence)),
    }
    return render_template("dashboard.html", counts=counts, horizons=horizons, expired=expired, today=today,
                           user=current_user)
