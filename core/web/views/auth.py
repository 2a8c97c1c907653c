"""Login, logout and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from core.audit.services import record
from core.auth import sessions, throttle
from core.auth.models import User
from core.auth.services import check_password, may_sign_in
from core.extensions import db, login as login_manager
from core.web.blueprint import blp
from core.web.forms import LoginForm

login_manager.login_view = "web.login"
login_manager.login_message = None  # the login page says enough; a lazy string would not fit the session


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: an open redirect would help phishing.

    Browsers drop tabs and newlines from URLs and read ``\\`` as ``/``, so
    ``/\\t/evil.com`` and ``/\\evil.com`` become ``//evil.com``: any control
    character or backslash is refused outright, and what is left must be a
    plain path (no scheme, no host).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def password_login_enabled() -> bool:
    return current_app.config.get("BEKWAAM_PASSWORD_LOGIN", True)


def begin_session(user: User, method: str) -> None:
    """Sign in: a fresh cookie (no fixation) tied to a new server-side session."""
    session.clear()
    login_user(user)
    session[sessions.SESSION_KEY] = sessions.start(user.id, method)


@blp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    status = 200
    if request.method == "POST" and not password_login_enabled():
        error, status = _("Password login is switched off; sign in with your hospital account."), 403
    elif form.validate_on_submit():
        email = form.email.data.strip().lower()
        address = request.remote_addr or "unknown"
        wait = throttle.retry_after(email, address)
        if wait:
            page = render_template("login.html", form=form, error=_(
                "Too many failed attempts. Try again in %(minutes)s minute(s).", minutes=-(-wait // 60)))
            response = make_response(page, 429)
            response.headers["Retry-After"] = str(wait)
            return response
        user = db.session.scalar(select(User).where(User.email == email))
        # The password is checked first, for every address: known and unknown
        # accounts take the same time, and a leaver learns nothing new.
        if check_password(user, form.password.data) and may_sign_in(user):
            begin_session(user, "password")
            record(db.session, "login", "user_account", entity_id=user.id, actor=user,
                   after={"result": "success", "ip": address})
            return redirect(safe_next(request.args.get("next")) or url_for("web.dashboard"))
        throttle.record_failure(email, address)  # commits: the 401 below rolls the request back
        record(db.session, "login", "user_account", entity_id=user.id if user is not None else None,
               actor=f"login attempt: {email[:200]}", after={"result": "failed", "ip": address})
        db.session.commit()
        error, status = _("Unknown e-mail address or wrong password."), 401
    return render_template("login.html", form=form, error=error), status


@blp.route("/logout", methods=["POST"])
def logout():
    sessions.end(session.get(sessions.SESSION_KEY))
    logout_user()
    session.clear()
    return redirect(url_for("web.login"))


@blp.route("/language/<code>", methods=["POST"])
def language(code):
    """The language switch in the header: kept for this browser and, signed in, on the user (it
    survives the next login; ``core._select_locale``), an auditor's too: a preference, not data."""
    if code in ("nl", "en"):
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code  # the request commits
    target = request.form.get("next", "")
    return redirect(safe_next(target) or url_for("web.dashboard"))
