"""Sign-in with the hospital account over OpenID Connect (Microsoft Entra ID, ADFS, any compliant provider).

Authorization code flow with PKCE (S256); Authlib checks the state, the
nonce, the signature against the provider's published keys, the audience and
the expiry, and we make it check the issuer against the configured one (not
merely whatever the discovery document claims). The provider decides the
role: a claim (``BEKWAAM_OIDC_ROLE_CLAIM``, Entra's app roles by default) is
mapped by ``BEKWAAM_OIDC_ROLE_MAP`` to a Bekwaam role and department, and an
employee-number claim links the staff record. A token without a mapped role
signs nobody in.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.auth.models import ROLES, User
from core.extensions import db
from core.staff.models import Department, Staff

CLIENT_NAME = "hospital"


class SignInRefused(Exception):
    """The provider vouched for someone Bekwaam will not let in; the message says why (shown to them)."""


def configured(app=None) -> bool:
    app = app or current_app
    return bool(app.config.get("BEKWAAM_OIDC_ISSUER"))


def init_app(app) -> None:
    if not configured(app):
        return
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    issuer = app.config["BEKWAAM_OIDC_ISSUER"]
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["BEKWAAM_OIDC_CLIENT_ID"],
        client_secret=app.config["BEKWAAM_OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
    )


def client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(CLIENT_NAME)


def claims_options() -> dict:
    """The issuer must be the configured tenant's, whatever the discovery document says."""
    return {"iss": {"essential": True, "values": [current_app.config["BEKWAAM_OIDC_ISSUER"]]},
            "sub": {"essential": True}}


def check_discovery() -> None:
    metadata = client().load_server_metadata()
    if metadata.get("issuer", "").rstrip("/") != current_app.config["BEKWAAM_OIDC_ISSUER"]:
        raise SignInRefused(_("The identity provider calls itself %(issuer)s, not the configured issuer.",
                              issuer=repr(metadata.get("issuer"))))


@dataclass
class Grant:
    role: str
    department_code: str | None


def grant_for(claims: dict) -> Grant:
    """The highest Bekwaam role the claim values map to (admin above tvb_admin above … auditor)."""
    cfg = current_app.config
    values = claims.get(cfg.get("BEKWAAM_OIDC_ROLE_CLAIM") or "roles") or []
    if isinstance(values, str):
        values = [values]
    role_map = cfg.get("BEKWAAM_OIDC_ROLE_MAP") or {}
    grants = [Grant(role_map[v]["role"], role_map[v].get("department") or None)
              for v in values if isinstance(v, str) and v in role_map]
    if not grants:
        raise SignInRefused(_("Your hospital account has no role in Bekwaam; ask the application manager for one."))
    return min(grants, key=lambda g: ROLES.index(g.role))


def user_for_claims(claims: dict) -> User:
    """Find or create the user the provider vouched for, with role and links as the provider says now."""
    cfg = current_app.config
    subject = f"{claims['iss']} {claims['sub']}"
    email = (claims.get("email") or claims.get("preferred_username") or claims.get("upn") or "").strip().lower()
    grant = grant_for(claims)
    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None and email:
        # An account made earlier (CLI, SCIM) with the same address is this person's.
        user = db.session.scalar(select(User).where(User.email == email, User.oidc_subject.is_(None)))
    if user is None:
        if "@" not in email:
            raise SignInRefused(_("Your hospital account sends no e-mail address; Bekwaam needs one."))
        user = User(email=email, role=grant.role, locale="nl", active=True)
        db.session.add(user)
    elif not user.active:
        raise SignInRefused(_("Your account has no access to Bekwaam (any more)."))
    user.oidc_subject = subject
    user.role = grant.role
    number = claims.get(cfg.get("BEKWAAM_OIDC_EMPLOYEE_CLAIM") or "employeeid")
    if number:
        staff_id = db.session.scalar(select(Staff.id).where(Staff.employee_number == str(number)))
        if staff_id is None:
            raise SignInRefused(_("No staff record with employee number %(number)s.", number=number))
        user.staff_id = staff_id
    if grant.department_code:
        department_id = db.session.scalar(select(Department.id).where(Department.code == grant.department_code))
        if department_id is None:
            raise SignInRefused(_("The role mapping names department %(code)s, which does not exist.",
                                  code=grant.department_code))
        user.department_id = department_id
    if grant.role == "technician" and user.staff_id is None:
        raise SignInRefused(_("A technician must be linked to a staff record (employee number claim)."))
    if grant.role == "manager" and user.staff_id is None and user.department_id is None:
        raise SignInRefused(_("A manager needs a department in the role mapping or a staff record."))
    db.session.flush()
    return user
