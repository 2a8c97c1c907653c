"""SCIM 2.0 provisioning of user accounts: the identity system creates, updates and closes them.

The SCIM documents are parsed and written by scim2-models (RFC 7643/7644),
not by hand. What a SCIM User is in Bekwaam: ``userName`` the e-mail address,
``externalId`` the identity system's own id, ``active`` the account's state,
and the enterprise extension's ``employeeNumber`` the staff record it belongs
to. Accounts are created as technicians linked to that staff record; the role
a person really has comes from the role claim when they sign in (OpenID
Connect), or from an admin. Nothing is ever deleted: DELETE and
``active: false`` deactivate, so the audit trail keeps its actor.
"""
from __future__ import annotations

import datetime as dt
import secrets

from scim2_models import EnterpriseUser, Meta
from scim2_models import User as ScimUser
from sqlalchemy import select, update

from core.auth import admin
from core.auth.models import ApiToken, ScimToken, User
from core.auth.services import UserError
from core.db import utcnow
from core.extensions import db
from core.staff.models import Staff

Resource = ScimUser[EnterpriseUser]
DEFAULT_TOKEN_DAYS = 365


class ScimProblem(Exception):
    """A request the SCIM client must change: status and SCIM ``scimType`` go into the Error answer."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def issue_token(days: int = DEFAULT_TOKEN_DAYS) -> tuple[str, ScimToken]:
    """A new provisioning token; earlier ones are revoked (the identity system holds one secret)."""
    db.session.execute(update(ScimToken).where(ScimToken.revoked.is_(False)).values(revoked=True))
    token = secrets.token_urlsafe(32)
    row = ScimToken(token_hash=ApiToken.hash(token), expires_at=utcnow() + dt.timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    return token, row


def token_valid(token: str) -> bool:
    return db.session.scalar(select(ScimToken.id).where(
        ScimToken.token_hash == ApiToken.hash(token), ScimToken.revoked.is_(False),
        ScimToken.expires_at > utcnow())) is not None


def to_scim(user: User, location: str) -> Resource:
    resource = Resource(id=str(user.id), user_name=user.email, external_id=user.scim_id, active=user.active,
                        meta=Meta(resource_type="User", created=user.created_at, location=location))
    number = db.session.scalar(select(Staff.employee_number).where(Staff.id == user.staff_id)) if user.staff_id else None
    resource[EnterpriseUser] = EnterpriseUser(employee_number=number)
    return resource


def _staff_for(resource: Resource) -> int:
    extension = resource[EnterpriseUser]
    number = extension.employee_number if extension is not None else None
    if not number:
        raise ScimProblem(400, "employeeNumber (enterprise extension) is required: it links the staff record.",
                          "invalidValue")
    staff_id = db.session.scalar(select(Staff.id).where(Staff.employee_number == number))
    if staff_id is None:
        raise ScimProblem(400, f"No staff record with employeeNumber {number}; import the staff first.",
                          "invalidValue")
    return staff_id


def _email(resource: Resource) -> str:
    email = (resource.user_name or "").strip().lower()
    if "@" not in email:
        raise ScimProblem(400, "userName must be the person's e-mail address.", "invalidValue")
    return email


def create(resource: Resource) -> User:
    email = _email(resource)
    taken = db.session.scalar(select(User).where(User.email == email))
    if taken is not None:
        raise ScimProblem(409, f"A user with userName {email} already exists.", "uniqueness")
    user = User(email=email, role="technician", locale="nl", active=True, staff_id=_staff_for(resource),
                scim_id=resource.external_id)
    db.session.add(user)
    db.session.flush()
    if resource.active is False:
        admin.deactivate(user)
    return user


def replace(user: User, resource: Resource) -> User:
    email = _email(resource)
    if email != user.email and db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ScimProblem(409, f"A user with userName {email} already exists.", "uniqueness")
    user.email = email
    user.scim_id = resource.external_id
    user.staff_id = _staff_for(resource)
    set_active(user, resource.active is not False)
    db.session.flush()
    return user


def set_active(user: User, active: bool) -> None:
    if active == user.active:
        return
    try:
        # The same operations as an admin's: a leaver is not reactivated, the last admin not closed.
        admin.reactivate(user) if active else admin.deactivate(user)
    except UserError as exc:
        raise ScimProblem(409, str(exc), "mutability") from None
