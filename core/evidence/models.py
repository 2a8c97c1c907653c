"""Private tokens of the evidence feeds: a calendar feed per person or department, the CMMS check.

Only a token's SHA-256 is stored (like API tokens): the calendar URL or the
maintenance system's key shown once cannot be read back from the database,
and revoking one ends it at once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

KINDS = ("staff_calendar", "department_calendar", "cmms")


class EvidenceToken(Base):
    __tablename__ = "evidence_token"
    __table_args__ = (
        CheckConstraint("kind IN ('staff_calendar', 'department_calendar', 'cmms')", name="kind"),
        # a person's feed names the person, a department's the department, the CMMS key neither
        CheckConstraint("(kind <> 'staff_calendar') OR (staff_id IS NOT NULL)", name="staff_feed_has_staff"),
        CheckConstraint("(kind <> 'department_calendar') OR (department_id IS NOT NULL)",
                        name="department_feed_has_department"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    label: Mapped[Optional[str]] = mapped_column(String(100))
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
