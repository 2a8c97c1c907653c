"""Bekwaamheid: proven ability of a person for a device type (or a procedure) in a role."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

COMPETENCE_ROLES = ("user", "key_user", "technician", "trainer")
# The widest alert horizon (docs/alerts.md); within it a valid competence is "expiring".
EXPIRING_DAYS = 90


def expiry_status(expires_on: dt.date | None, on: dt.date, horizon_days: int = EXPIRING_DAYS) -> str:
    """valid / expiring / expired on ``on`` (valid while on < expires_on; none = no expiry)."""
    if expires_on is None:
        return "valid"
    if on >= expires_on:
        return "expired"
    return "expiring" if (expires_on - on).days <= horizon_days else "valid"
METHODS = ("instruction", "training", "training_and_assessment")


class Competence(Base):
    __tablename__ = "competence"
    __table_args__ = (
        # The subject is a device type or, for a procedure, an activity (a reserved procedure of the klinisch technoloog).
        CheckConstraint(
            "(device_type_id IS NULL) <> (activity_id IS NULL)", name="one_subject"
        ),
        Index("ix_competence_staff_device_type", "staff_id", "device_type_id", "role"),
        Index("ix_competence_device_type_role", "device_type_id", "role"),
        Index("ix_competence_activity", "activity_id"),
        Index("ix_competence_expires_on", "expires_on"),
        # A department's expiring competences (the manager's dashboard): from its
        # people, not from every competence of the hospital in the window.
        Index("ix_competence_staff_expires", "staff_id", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    device_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("device_type.id"))
    activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tvb_activity.id"))
    role: Mapped[str] = mapped_column(String(20))
    obtained_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(30))
    assessor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    evidence: Mapped[Optional[str]] = mapped_column(String(200))
    expires_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    # Name of the plugin that computed expires_on; None when typed in by hand.
    expiry_source: Mapped[Optional[str]] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def status_on(self, on: dt.date, horizon_days: int = EXPIRING_DAYS) -> str:
        """valid / expiring / expired, from the dates alone."""
        return expiry_status(self.expires_on, on, horizon_days)
