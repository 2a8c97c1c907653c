"""The VZI portfolio of a medical technician, stored per person (tables ``vzi_mt_*``).

Every row is keyed to ``staff.id``; the core tables are never altered (STYLE 9).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, Hours, UTCDateTime, utcnow


class Education(Base):
    """Opleiding: diploma level, fields (kenmerken) and components (onderdelen)."""

    __tablename__ = "vzi_mt_education"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    name: Mapped[Optional[str]] = mapped_column(String(200))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    components: Mapped[list] = mapped_column(JSON, default=list)
    obtained_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    equivalence_accepted_for: Mapped[Optional[str]] = mapped_column(String(3))


class Certificate(Base):
    """Aanvullend certificaat MTA/MTB/MTC, or a diploma the committee accepted instead."""

    __tablename__ = "vzi_mt_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    code: Mapped[str] = mapped_column(String(3))
    obtained_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    equivalent: Mapped[bool] = mapped_column(Boolean, default=False)


class Position(Base):
    """Aanstelling als medisch technicus at a profile level; ``end_date`` inclusive, empty = running."""

    __tablename__ = "vzi_mt_position"
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    level: Mapped[str] = mapped_column(String(3))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[Optional[dt.date]] = mapped_column(Date)


CPD_PENDING, CPD_APPROVED, CPD_REJECTED = "pending", "approved", "rejected"
CPD_STATUSES = (CPD_PENDING, CPD_APPROVED, CPD_REJECTED)


class CpdActivity(Base):
    """Deskundigheidsbevordering; no technology group = "Algemene niet-technische scholing"."""

    __tablename__ = "vzi_mt_cpd_activity"
    __table_args__ = (CheckConstraint("hours >= 0", name="hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    hours: Mapped[Decimal] = mapped_column(Hours)
    title: Mapped[str] = mapped_column(String(300))
    technology_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("technology_group.id"))
    # Self-service: a technician's own entry waits for review; only approved hours count.
    status: Mapped[str] = mapped_column(String(10), default=CPD_APPROVED, server_default=CPD_APPROVED)
    attachment: Mapped[Optional[str]] = mapped_column(String(100))  # stored file name (random)
    attachment_name: Mapped[Optional[str]] = mapped_column(String(255))  # name as uploaded
    reviewed_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[Optional[str]] = mapped_column(Text)


class WorkExperience(Base):
    """Werkervaring: hours in one technology group over a period (both ends inclusive)."""

    __tablename__ = "vzi_mt_work_experience"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="dates"),
        CheckConstraint("hours >= 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    technology_group_id: Mapped[int] = mapped_column(ForeignKey("technology_group.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Hours)


class Certification(Base):
    """Certificatieperiode: level + designation over [start_date, end_date).

    ``end_date`` is start + 3 years, or the start of a later period granted
    while this one was running (VZI certificatienormen (juni 2025), "Aanvraag toelating of hercertificatie"). ``dispensation_percent`` is fixed
    at the start of the period (VZI certificatienormen, Inleiding "Ervaringsjaren").
    """

    __tablename__ = "vzi_mt_certification"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="dates"),
        Index("ix_vzi_mt_certification_end_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    level: Mapped[str] = mapped_column(String(3))
    designation: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    dispensation_percent: Mapped[int] = mapped_column(Integer, default=0)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Deskundigheidsgebieden (technology group codes) fixed at the grant: the certificate
    # shows them (VZI certificatienormen: "Het toont het niveau en de deskundigheidsgebieden").
    expertise_areas: Mapped[list] = mapped_column(JSON, default=list)


class RegistrationCancellation(Base):
    """Opzegging: the registration ends on ``cancelled_on`` (VZI certificatienormen: "behoudt ... tot opzegging").

    A basisregistratie (and a running certification) lasts until a cancellation;
    a later position or certification starts a new registration.
    """

    __tablename__ = "vzi_mt_registration_cancellation"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    cancelled_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
