"""What the Leidraad plugin stores: screenings, policy versions, overrides, approvals, safety notices."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Screening(Base):
    """Risicoscreening of a device type; rows are history, the latest on a date counts."""

    __tablename__ = "leidraad_screening"
    __table_args__ = (Index("ix_leidraad_screening_device_type_on", "device_type_id", "screened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"))
    screened_on: Mapped[dt.date] = mapped_column(Date)
    product_risk: Mapped[str] = mapped_column(String(6))
    usage_context: Mapped[str] = mapped_column(String(6))
    novelty: Mapped[str] = mapped_column(String(6))
    impact: Mapped[str] = mapped_column(String(6))
    score_sum: Mapped[int] = mapped_column(Integer)
    risk_class: Mapped[str] = mapped_column(String(6))
    pri_required: Mapped[bool] = mapped_column(Boolean)
    # Leidraad Medische Technologie 2026: a PRI "bij nieuwe of aangepaste toepassingen
    # en bij nieuwe inzichten die leiden tot een verhoogd risico".
    new_or_adapted_use: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    new_risk_insights: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[Optional[str]] = mapped_column(Text)
    screened_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PolicyVersion(Base):
    """The institution's risk and competence policy; each PUT adds a version."""

    __tablename__ = "leidraad_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_on: Mapped[dt.date] = mapped_column(Date, index=True)
    document: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class RequirementOverride(Base):
    """Per-device-type requirements that win over the policy for the roles they name.

    Kept as dated history: each change is a new row from ``valid_from`` (today
    or later), so an earlier date keeps the override it had; ``requirements``
    empty (NULL) means the override was removed from that day.
    """

    __tablename__ = "leidraad_override"
    __table_args__ = (Index("ix_leidraad_override_device_type_valid_from", "device_type_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"))
    requirements: Mapped[Optional[dict]] = mapped_column(JSON)
    valid_from: Mapped[dt.date] = mapped_column(Date)


APPROVAL_KINDS = ("technical", "clinical", "pri")


class Approval(Base):
    """A technical or clinical approval, or the completed PRI, before release (Leidraad Medische Technologie 2026, fase 5 vrijgave)."""

    __tablename__ = "leidraad_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    # The screening in force on the approval's date: an approval (or PRI) belongs to
    # the screening it was given for; one given before a screening does not count for it.
    screening_id: Mapped[Optional[int]] = mapped_column(ForeignKey("leidraad_screening.id"), index=True)
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Release(Base):
    """Vrijgave: a dated (re-)release of a device type, given on the screening then in force."""

    __tablename__ = "leidraad_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"), index=True)
    released_on: Mapped[dt.date] = mapped_column(Date)
    screening_id: Mapped[int] = mapped_column(ForeignKey("leidraad_screening.id"))
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SafetyNotice(Base):
    """A safety notice or recall that requires re-instruction by a date."""

    __tablename__ = "leidraad_safety_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    reinstruct_by: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
