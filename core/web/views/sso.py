"""Sign-in with the hospital account: the redirect out and the callback in (OpenID Connect)."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from core.audit.services import set_actor
from core.auth import oidc
from core.auth.services import may_sign_in
from core.extensions import db
from core.web.blueprint import blp
from core.web.forms import LoginForm
from core.web.views.auth import begin_session, safe_next

NEXT_KEY = "bekwaam_sso_next"


def _refused(message: str, status: int = 401):
    current_app.logger.warning("OpenID Connect sign-in refused: %s", message)
    return render_template("login.html", form=LoginForm(), error=message), status


@blp.route("/login/sso")
def sso_start():
    if not oidc.configured():
        abort(404)
    session[NEXT_KEY] = safe_next(request.args.get("next")) or ""
    return oidc.client().authorize_redirect(url_for("web.sso_callback", _external=True))


@blp.route("/login/sso/callback")
def sso_callback():
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError
    from requests import RequestException

    if not oidc.configured():
        abort(404)
    target = session.pop(NEXT_KEY, "") or url_for("web.dashboard")
    try:
        oidc.check_discovery()
        token = oidc.client().authorize_access_token(claims_options=oidc.claims_options())
        claims = token.get("userinfo")
        if not claims:
            raise oidc.SignInRefused(_("The identity provider sent no ID token."))
        # Changes made while signing in (a new account, a role from the provider) are the provider's doing.
        set_actor(type("Actor", (), {"id": None, "email": f"oidc:{claims.get('iss')}"})())
        user = oidc.user_for_claims(dict(claims))
    except oidc.SignInRefused as exc:
        db.session.rollback()
        return _refused(str(exc), 403)
    except (AuthlibBaseError, JoseError, RequestException, KeyError, ValueError) as exc:
        # A wrong issuer, an expired or forged token, a replayed state, an unreachable provider.
        db.session.rollback()
        return _refused(_("Signing in with your hospital account failed (%(reason)s).",
                          reason=exc.__class__.__name__))
    if not may_sign_in(user):
        db.session.commit()  # the provider's account data is kept; the door stays shut
        return _refused(_("Your account has no access to Bekwaam (any more)."), 403)
    begin_session(user, "oidc")
    return redirect(target)
