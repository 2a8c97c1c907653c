"""Users of the application, and their API tokens (stored hashed)."""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

# mt_manager: manager medische technologie, the head of the medical-technology
# department, who decides on hospital-wide objects (device types, screenings,
# releases, policy); a department manager only writes their own department's staff data.
ROLES = ("admin", "tvb_admin", "mt_manager", "manager", "technician", "auditor")


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[Optional[str]] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # A technician is this person; a manager manages this person's department tree.
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "<issuer> <sub>" of the hospital account that signs in as this user (OpenID
    # Connect); the e-mail address can change, the subject never does.
    oidc_subject: Mapped[Optional[str]] = mapped_column(String(400), unique=True)
    # Set when the identity system (SCIM) created or manages this account.
    scim_id: Mapped[Optional[str]] = mapped_column(String(64), unique=True)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, so a leaked table grants nothing."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # None only for tokens issued before expiry existed (revision 0005_core_ops).
    expires_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    @staticmethod
    def hash(token: str) -> str:
        # Tokens are 256 random bits: a fast hash is enough (no brute force possible).
        return hashlib.sha256(token.encode()).hexdigest()


class UserSession(Base):
    """A signed-in browser, kept in the database so every worker and server sees logout and idle expiry.

    The cookie carries a random id; only its SHA-256 is stored, as for tokens.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    # How the session began: "password" or "oidc" (for the security officer reading the table).
    method: Mapped[str] = mapped_column(String(10), default="password")


class LoginAttempt(Base):
    """A failed sign-in, counted per account and per address to throttle guessing across all workers."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The e-mail as typed (lower-cased), also when no such user exists: unknown
    # addresses are throttled exactly like known ones, or the 429 would tell.
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)


class ScimToken(Base):
    """The bearer token the identity system (Entra ID provisioning) uses on /scim/v2; stored hashed."""

    __tablename__ = "scim_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
