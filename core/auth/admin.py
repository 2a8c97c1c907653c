"""User administration: list, deactivate, reactivate, reset a password, tokens.

Shared by the CLI (``bekwaam users ...``), the API (``/api/v1/users``) and the
admin page. Services flush, never commit; the audit listener records each
change with the actor set by the caller.
"""
from __future__ import annotations

import secrets

from sqlalchemy import func, select

from core.auth.leavers import has_left
from core.auth.models import ApiToken, User
from core.auth.services import UserError, set_password
from core.db import utcnow
from core.extensions import db


def users(active: bool | None = None, role: str | None = None) -> list[User]:
    stmt = select(User).order_by(User.email)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if role:
        stmt = stmt.where(User.role == role)
    return list(db.session.scalars(stmt))


def user_by_key(key: str | int) -> User:
    """A user by id or e-mail address (the CLI takes either)."""
    if isinstance(key, int) or str(key).isdigit():
        user = db.session.get(User, int(key))
    else:
        user = db.session.scalar(select(User).where(User.email == str(key).strip().lower()))
    if user is None:
        raise UserError(f"No user {key}.")
    return user


def deactivate(user: User) -> User:
    """Blocks web login and every token at once; nothing is deleted (the audit trail keeps pointing at the user)."""
    if user.role == "admin" and user.active:
        others = db.session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != user.id))
        if not others:
            raise UserError(f"{user.email} is the last active admin; make another admin first.")
    user.active = False
    db.session.flush()
    return user


def reactivate(user: User) -> User:
    """Let the user in again: always an explicit act (audited), never a side effect.

    Refused while the linked staff record says the person has left: first put
    them back in service (remove the leaving date, mark the record active).
    """
    if has_left(db.session, user.staff_id):
        raise UserError(f"{user.email} is linked to a staff member who has left (inactive or leaving date reached); "
                        "put the staff record back in service first.")
    user.active = True
    db.session.flush()
    return user


def reset_password(user: User, password: str | None = None) -> str:
    """Sets the given password, or a generated one; returns it (to hand over once)."""
    from core.auth import sessions

    password = password or secrets.token_urlsafe(12)
    set_password(user, password)
    sessions.end_all(user.id)  # whoever knew the old password is signed out too
    db.session.flush()
    return password


def tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def token_state(token: ApiToken) -> str:
    if token.revoked:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= utcnow():
        return "expired"
    return "active"


def revoke_token(token_id: int, user: User | None = None) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or (user is not None and token.user_id != user.id):
        raise UserError(f"No token {token_id}" + (f" of {user.email}." if user is not None else "."))
    token.revoked = True
    db.session.flush()
    return token
