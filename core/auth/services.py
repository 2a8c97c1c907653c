"""Passwords (argon2), API tokens (stored as SHA-256) and request authentication."""
from __future__ import annotations

import datetime as dt
import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select

from core.auth.models import ROLES, ApiToken, User
from core.db import utcnow
from core.extensions import db
from core.staff.models import Department, Staff

_hasher = PasswordHasher()


class UserError(ValueError):
    """A user could not be created; the message says why."""


def set_password(user: User, password: str) -> None:
    from core.auth.passwords import problems

    found = problems(password, user.email)
    if found:
        raise UserError(" ".join(found))
    user.password_hash = _hasher.hash(password)


# Verified when the account is unknown or has no password, so that every
# failed login costs one argon2 verification: the answer time does not tell
# which e-mail addresses exist.
@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def check_password(user: User | None, password: str) -> bool:
    if user is None or not user.password_hash:
        try:
            _hasher.verify(_dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def create_user(email: str, role: str, password: str | None = None, *,
                staff_number: str | None = None, department_code: str | None = None,
                staff_id: int | None = None, department_id: int | None = None,
                locale: str = "nl") -> User:
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"Unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    if "@" not in email:
        raise UserError(f"'{email}' is not an e-mail address.")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(f"A user with e-mail {email} already exists.")
    user = User(email=email, role=role, locale=locale, active=True, staff_id=staff_id, department_id=department_id)
    if staff_number:
        user.staff_id = db.session.scalar(select(Staff.id).where(Staff.employee_number == staff_number))
        if user.staff_id is None:
            raise UserError(f"No staff member with employee number {staff_number}.")
    if department_code:
        user.department_id = db.session.scalar(select(Department.id).where(Department.code == department_code))
        if user.department_id is None:
            raise UserError(f"No department with code {department_code}.")
    if role == "technician" and user.staff_id is None:
        raise UserError("A technician user must be linked to a staff member (--staff EMPLOYEE_NUMBER).")
    if role == "manager" and user.staff_id is None and user.department_id is None:
        raise UserError("A manager needs a department (--department CODE) or a staff member (--staff).")
    if password:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650


def new_token(user: User, expires_in_days: int = DEFAULT_TOKEN_DAYS) -> str:
    return issue_token(user, expires_in_days)[0]


def issue_token(user: User, expires_in_days: int = DEFAULT_TOKEN_DAYS) -> tuple[str, ApiToken]:
    """A new bearer token (shown once: only its hash is kept) and its row."""
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise UserError(f"A token lives between 1 and {MAX_TOKEN_DAYS} days, not {expires_in_days}.")
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=ApiToken.hash(token),
                   expires_at=utcnow() + dt.timedelta(days=expires_in_days))
    db.session.add(row)
    db.session.flush()
    return token, row


def user_for_token(token: str) -> User | None:
    from core.auth.leavers import not_a_leaver_clause

    row = db.session.execute(
        select(User).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == ApiToken.hash(token), ApiToken.revoked.is_(False), User.active.is_(True),
               or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()),
               not_a_leaver_clause(User))
    ).scalar_one_or_none()
    return row


def may_sign_in(user: User | None) -> bool:
    """An active account whose staff record (if any) is still in service today."""
    from core.auth.leavers import has_left

    return user is not None and user.active and not has_left(db.session, user.staff_id)


def bearer_user(authorization: str | None) -> User | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(token.strip())
